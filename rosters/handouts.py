"""A batch's handouts: the 花名册 to print and the 通讯录 (page, XLSX, vCards).

Invariants:
- Who reaches a batch is `Batch.objects.visible_to(user)`: staff every batch, a lead their own;
  any other batch is not found (404), so nothing here filters by user again.
- The date of birth is its year and month (出生年月, 1985.10) for everyone, whatever the reader's
  rights (cohorts/privacy.py): a printed sheet leaves the access log's reach. ID numbers are
  never printed.
- Phones are shown: only staff and the batch's own leads reach these handouts, and both may
  see its cadres' phones.
- Rows come in group order (第一组 … 第十一组, by number; placements/order.py), by name within a
  group; a section per group when asked.
"""

from dataclasses import dataclass, field
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cohorts import privacy
from cohorts.models import Batch
from placements.models import Placement
from placements.order import group_sort_key, sorted_by_group
from spreadsheets.formulas import escape_formula

from . import columns

# The programme's kind in a title: 赴深圳体悟实训第3批干部花名册.
TITLE = "%(city)s %(kind)s, batch %(number)d: roster of cadres"


def batch_visible_by_code(*, user, code: str) -> Batch | None:
    """The batch `code` (SZ-3) names, if `user` may see it; None otherwise."""
    return Batch.objects.visible_to(user).by_code(code).first()


def batch_placements(batch: Batch):
    """The batch's placements with what the handouts show, in group order then by name."""
    placements = (
        Placement.objects.filter(batch=batch)
        .select_related("cadre", "host_unit")
        .order_by("cadre__name_sort", "id")
    )
    return sorted_by_group(placements)


def roster_title(batch: Batch) -> str:
    return _(TITLE) % {
        "city": batch.programme.city,
        "kind": batch.programme.get_kind_display(),
        "number": batch.number,
    }


@dataclass
class PrintRow:
    number: int
    name: str
    gender: str
    born: str  # 1985.10
    political_status: str
    unit_and_position: str
    rank: str
    group: str
    host_unit: str
    role: str
    phone: str


@dataclass
class Section:
    title: str  # the group's name, "" when the roster is one section
    rows: list[PrintRow] = field(default_factory=list)


def print_sections(batch: Batch, *, by_group: bool) -> list[Section]:
    """The roster as sections: one per group when `by_group`, else one. 序号 counts from 1 in
    each section."""
    sections: list[Section] = []
    for placement in batch_placements(batch):
        title = (placement.group or _("No group")) if by_group else ""
        if not sections or sections[-1].title != title:
            sections.append(Section(title))
        rows = sections[-1].rows
        rows.append(print_row(placement, len(rows) + 1))
    return sections


def print_row(placement: Placement, number: int) -> PrintRow:
    cadre = placement.cadre
    return PrintRow(
        number=number,
        name=cadre.name,
        gender=columns.gender_label(cadre.gender),
        born=privacy.birth_month(cadre.birth_date),
        political_status=cadre.political_status,
        unit_and_position=f"{placement.home_unit}{placement.position}",
        rank=columns.rank_label(placement.rank, placement.rank_tier),
        group=placement.group,
        host_unit=placement.host_unit.name if placement.host_unit else "",
        role=placement.role,
        phone=cadre.phone,
    )


@dataclass
class Contact:
    name: str
    phone: str = ""
    host_unit: str = ""
    host_contact: str = ""
    host_phone: str = ""
    group: str = ""


@dataclass
class ContactList:
    batch: Batch
    leads: list[Contact]
    groups: list[tuple[str, list[Contact]]]  # (group, its cadres) in group order


def contact_list(batch: Batch) -> ContactList:
    """The leads first, then each group's cadres with their host unit's contact. A lead's phone
    is that of the batch's one cadre of the same name, if there is exactly one (users carry no
    phone of their own)."""
    placements = batch_placements(batch)
    by_name: dict[str, list[Placement]] = {}
    for placement in placements:
        by_name.setdefault(placement.cadre.name, []).append(placement)
    leads = []
    for user in sorted(batch.leads.all(), key=lambda u: u.get_username()):
        name = user.get_full_name() or user.get_username()
        same = by_name.get(name, [])
        leads.append(Contact(name, phone=same[0].cadre.phone if len(same) == 1 else ""))
    groups: dict[str, list[Contact]] = {}
    for placement in placements:
        unit = placement.host_unit
        groups.setdefault(placement.group, []).append(
            Contact(
                placement.cadre.name,
                phone=placement.cadre.phone,
                host_unit=unit.name if unit else "",
                host_contact=unit.contact_person if unit else "",
                host_phone=unit.contact_phone if unit else "",
                group=placement.group,
            )
        )
    ordered = sorted(groups.items(), key=lambda item: group_sort_key(item[0]))
    return ContactList(batch, leads, ordered)


CONTACT_HEADERS = ["小组", "姓名", "手机号码", "实训单位", "实训单位联系人", "联系电话"]
LEAD_GROUP_LABEL = "实训队负责人"


def contacts_xlsx(contacts: ContactList) -> bytes:
    """The 通讯录 as a workbook: one sheet, leads first; phones are text cells (@)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "通讯录"
    sheet.append(CONTACT_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    people = [(LEAD_GROUP_LABEL, c) for c in contacts.leads]
    people += [(group, c) for group, members in contacts.groups for c in members]
    for group, c in people:
        values = [group, c.name, c.phone, c.host_unit, c.host_contact, c.host_phone]
        sheet.append([escape_formula(v) for v in values])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"
            cell.number_format = "@"
    for letter, width in zip("ABCDEF", (12, 10, 15, 36, 14, 16), strict=True):
        sheet.column_dimensions[letter].width = width
        sheet.column_dimensions[letter].alignment = Alignment(vertical="top")
    sheet.freeze_panes = "A2"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def vcard_name(contact: Contact, batch: Batch) -> str:
    """王浩（深圳第3批·第二组）: who it is and where from, as a phone's contact list shows it."""
    where = f"{batch}·{contact.group}" if contact.group else str(batch)
    return f"{contact.name}（{where}）"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets (RFC 6350), cut between characters, never inside one."""
    parts, current = [], ""
    for char in line:
        limit = 75 if not parts else 74  # continuation lines start with a space
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)


def contacts_vcf(contacts: ContactList) -> bytes:
    """vCards (3.0, which every phone imports) of the leads and cadres that have a phone."""
    people = [c for c in contacts.leads if c.phone]
    people += [c for _group, members in contacts.groups for c in members if c.phone]
    lines = []
    for contact in people:
        name = _escape(vcard_name(contact, contacts.batch))
        lines += ["BEGIN:VCARD", "VERSION:3.0", f"N:{name};;;;", f"FN:{name}"]
        lines.append(f"TEL;TYPE=CELL:{_escape(contact.phone)}")
        if contact.host_unit:
            lines.append(f"ORG:{_escape(contact.host_unit)}")
        lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines).encode()

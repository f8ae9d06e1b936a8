"""Can a user without 可查看完整身份证号 rebuild a cadre's ID number from what they see? (issue 13)

The attack: a team lead (and a clerk with every staff permission but that one) opens every page
and export they can reach — each URL pattern, path parameters filled with their own objects, the
lists with and without filters, search and sort, the exports as CSV and XLSX, the histories, the
admin for a lead who has is_staff, the JSON endpoints — and keeps everything they saw. Then, per
cadre, they know the region (6 digits, guessed from the district), the gender and the year and
month of birth; every 18-character masked string seen that fits the cadre's real number fixes the
characters it shows; the birth date written in full anywhere, in any common format, fixes the
day. The candidates are the valid ID numbers (check character included) that fit all of that.
The rule: never fewer than 100 for anyone.
"""

import calendar
import io
import json
import re
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cohorts import idnumbers
from cohorts.roles import STAFF_APPS
from ledger.models import Duty, DutyUpload, ProgressEntry, Project, Suggestion, Topic
from notifications.models import Delivery, Notification
from placements.models import Placement, RosterImport
from placements.services import placements_set_status
from rosters.importing import import_roster
from rosters.models import RosterExport
from security.models import AccessRecord, ApiToken

from ..factories import (
    DutyFactory,
    LeadFactory,
    ProjectFactory,
    SuggestionFactory,
    TopicFactory,
    UserFactory,
    make_id_number,
)
from ..roster_files import csv_bytes, person, table
from .test_permission_matrix import API_ROUTES, ROUTES, routes, url_for

pytestmark = pytest.mark.django_db

FEWEST_ALLOWED = 100

# --- The attacker's arithmetic --------------------------------------------------------------

_TOKEN = re.compile(r"(?<![0-9Xx*])[0-9Xx*]{18}(?![0-9Xx*])")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK_CHARS = "10X98765432"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "|".join(_MONTHS)
# A date written in full, each pattern with where its year, month and day are:
# 1985-10-07, 1985.10.7, 1985/10/07, 1985年10月7日; 19851007; Oct. 7, 1985; 7 October 1985.
_DATES = [
    (re.compile(r"(?<![0-9])([0-9]{4})\s*[-./年]\s*([0-9]{1,2})\s*[-./月]\s*([0-9]{1,2})(?![0-9])"),
     (1, 2, 3)),
    (re.compile(r"(?<![0-9])([0-9]{4})([0-9]{2})([0-9]{2})(?![0-9])"), (1, 2, 3)),
    (re.compile(rf"({_MONTH})[a-z]*\.? ([0-9]{{1,2}}), ([0-9]{{4}})"), (3, 1, 2)),
    (re.compile(rf"(?<![0-9])([0-9]{{1,2}}) ({_MONTH})[a-z]* ([0-9]{{4}})"), (3, 2, 1)),
]  # fmt: skip


class Seen:
    """What the attacker keeps of everything seen: the 18-character strings, the full dates."""

    def __init__(self, text: str):
        self.tokens = {token.upper() for token in _TOKEN.findall(text)}
        self.dates = set()
        for pattern, (y, m, d) in _DATES:
            for match in pattern.finditer(text):
                month = match[m] if match[m].isdigit() else _MONTHS.index(match[m]) + 1
                try:
                    self.dates.add(date(int(match[y]), int(month), int(match[d])))
                except ValueError:
                    continue

    def shown_positions(self, number: str) -> dict[int, str]:
        """The characters of `number` that a string seen shows (a masked string that fits the
        number, or the number itself)."""
        fixed = {}
        for token in self.tokens:
            if all(t in ("*", n) for t, n in zip(token, number, strict=True)):
                fixed |= {i: t for i, t in enumerate(token) if t != "*"}
        return fixed

    def day_shown(self, born: date) -> bool:
        return born in self.dates


def days_in_month(born: date) -> int:
    return calendar.monthrange(born.year, born.month)[1]


def candidates(number: str, *, fixed: dict[int, str], day_known: bool) -> int:
    """Valid ID numbers with the region, gender and birth month of `number`, the characters
    `fixed` and, if `day_known`, its birth day."""
    born = idnumbers.birth_date(number)
    # The sequences of the gender that fit the fixed digits, by their share of the checksum.
    by_remainder = [0] * 11
    for sequence in range(int(number[16]) % 2, 1000, 2):
        tail = f"{sequence:03d}"
        if all(fixed.get(14 + i, c) == c for i, c in enumerate(tail)):
            share = sum(int(c) * w for c, w in zip(tail, _WEIGHTS[14:], strict=True))
            by_remainder[share % 11] += 1
    count = 0
    for day in [born.day] if day_known else range(1, days_in_month(born) + 1):
        head = f"{number[:6]}{born.year}{born.month:02d}{day:02d}"
        if any(fixed.get(i, c) != c for i, c in enumerate(head)):
            continue
        partial = sum(int(c) * w for c, w in zip(head, _WEIGHTS, strict=False))
        for remainder, sequences in enumerate(by_remainder):
            check = _CHECK_CHARS[(partial + remainder) % 11]
            count += sequences if fixed.get(17, check) == check else 0
    return count


def candidates_left(number: str, text: str | Seen) -> int:
    seen = text if isinstance(text, Seen) else Seen(text)
    return candidates(
        number,
        fixed=seen.shown_positions(number),
        day_known=seen.day_shown(idnumbers.birth_date(number)),
    )


# The counting itself: it must find a number given away, or the attack proves nothing.

VALID = make_id_number(date(1985, 10, 7), male=True, region="370212", serial=17)


def test_the_old_mask_beside_a_full_birth_date_leaves_one_candidate():
    old_mask = VALID[:6] + "*" * 8 + VALID[-4:]
    assert candidates_left(VALID, f"<td>{old_mask}</td><td>1985-10-07</td>") == 1


def test_a_full_number_seen_leaves_one_candidate():
    assert candidates_left(VALID, f"\t{VALID}\n") == 1


def test_a_birth_date_in_chinese_is_a_birth_date_too():
    assert candidates_left(VALID, "1985年10月7日") == candidates_left(VALID, "") // 31


def test_another_day_of_the_month_is_not_the_birth_date():
    assert not Seen("1985.10.15 1985-10-10 19851011 Oct. 11, 1985").day_shown(date(1985, 10, 1))


@pytest.mark.parametrize(
    "written",
    ["1985-10-07", "1985.10.7", "1985/10/07", "19851007", "1985年10月7日", "Oct. 7, 1985"],
)
def test_a_birth_date_is_read_in_every_common_format(written):
    assert Seen(f"<td>{written}</td>").day_shown(date(1985, 10, 7))


def test_region_gender_and_month_alone_leave_every_day_and_sequence():
    assert candidates_left(VALID, "1985.10 男") == 31 * 500


def test_region_and_check_character_leave_about_an_eleventh():
    shown = VALID[:6] + "*" * 11 + VALID[-1]
    assert 1300 < candidates_left(VALID, shown) < 1500  # 31 × 500 / 11 ≈ 1409


def test_a_masked_number_of_someone_else_fixes_nothing():
    other = make_id_number(date(1985, 10, 7), male=True, region="370212", serial=18)
    assert candidates_left(VALID, other[:6] + "*" * 8 + other[-4:]) == 31 * 500


# --- The world: a district's roster, as the lead of its batch sees it ----------------------

# (born, male, region, district): several share a region and a birth month, as in a real
# district roster; February 1981 (28 days) is the smallest month there is.
PEOPLE = [
    *[(date(1985, 10, d), d % 2 == 1, "370212", "崂山区") for d in (1, 3, 7, 12, 15, 21, 28, 31)],
    *[(date(1981, 2, d), d % 3 != 0, "370202", "市南区") for d in (2, 9, 14, 28)],
    *[(date(1978, 6, d), True, "370203", "市北区") for d in (5, 30)],
    (date(1990, 1, 1), False, "370211", "黄岛区"),
    (date(1972, 12, 31), True, "370213", "李沧区"),
    (date(1988, 8, 8), False, "370214", "城阳区"),
    (date(1983, 5, 19), True, "370281", "胶州市"),
    (date(1979, 11, 11), False, "370212", "崂山区"),
    (date(1986, 4, 30), True, "370202", "市南区"),
]
NAMES = "王伟李娜张敏刘洋陈静杨磊赵强黄丽周军吴芳徐涛孙燕马超朱红胡斌郭亮何平高翔林峰罗娟"


@pytest.fixture
def roster(sz3, shenzhen):
    """SZ-3's 20 cadres, imported from the district's file (their history begins there), with
    a duty, progress, a topic, a suggestion and a project."""
    rows = [
        person(
            n,
            姓名=NAMES[2 * n : 2 * n + 2],
            性别="男" if male else "女",
            出生年月=f"{born:%Y.%m}",
            身份证号=make_id_number(born, male=male, region=region, serial=n * 7 + 3),
            区市=district,
        )
        for n, (born, male, region, district) in enumerate(PEOPLE)
    ]
    result = import_roster(csv_bytes(table(rows)), "SZ-3.csv")
    assert result.ok, result.problems
    placements = list(Placement.objects.filter(batch=sz3).select_related("cadre"))
    duty = DutyFactory(programme=None, batch=sz3, name="学习日志")
    ProgressEntry.objects.create(placement=placements[0], duty=duty, date=sz3.start_date)
    TopicFactory(batch=sz3).claimants.add(*placements[:3])
    SuggestionFactory(batch=sz3).credited.add(*placements[3:5])
    ProjectFactory(batch=sz3).credited.add(*placements[5:7])
    AccessRecord.objects.create(who="staff", kind="export", where="SZ-3.xlsx")
    return placements


@pytest.fixture
def lead(sz3, roster):
    lead = LeadFactory(username="lead", first_name="王书记", batches=[sz3])
    placements_set_status(placements=Placement.objects.filter(batch=sz3), status="on_site", by=lead)
    return lead


@pytest.fixture
def lead_in_admin(sz3, lead):
    """A lead who somehow has is_staff: the admin lets them in, scoped to their batch."""
    return LeadFactory(username="lead_admin", is_staff=True, batches=[sz3])


@pytest.fixture
def clerk(roster):
    """Staff in all but the one permission: every batch, the admin, the roster import."""
    clerk = UserFactory(username="clerk", is_staff=True)
    allowed = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    clerk.user_permissions.set(allowed.exclude(codename="view_full_id_number"))
    return clerk


# --- What they see ---------------------------------------------------------------------------

LIST_QUERIES = ["", "?q=王伟", "?o=-name", "?generation=80后&gender=M",
                "?district=崂山区&per_page=200"]  # fmt: skip
CADRE_QUERIES = [*LIST_QUERIES, "?o=birth_date", "?o=-birth_date"]
EXPORT_QUERIES = [
    f"{q}&format={f}" for q in ("?", "?q=王伟", "?o=-birth_date") for f in ("csv", "xlsx")
]
EXTRA = {
    "placements/": LIST_QUERIES,
    "cadres/": CADRE_QUERIES,
    "placements/export/": EXPORT_QUERIES,
    "cadres/export/": EXPORT_QUERIES,
    "host-units/": ["", "?batch=SZ-3"],
    "lead/batches/<int:pk>/": ["", "?q=王", "?status=on_site"],
    "duties/behind/export/": [
        "?batch=SZ-3&duty=学习日志&format=csv",
        "?batch=SZ-3&duty=学习日志&format=xlsx",
    ],  # fmt: skip
    "admin/cohorts/cadre/": ["", "?q=王伟", "?generation=80后", "?o=3", "?o=-3", "?o=-4"],
    "admin/placements/placement/": ["", "?q=王伟", "?district=崂山区"],
    "admin/placements/placement/export/": ["?format=csv", "?format=xlsx"],
    "admin/autocomplete/": [
        "?app_label=placements&model_name=placement&field_name=cadre&term=王",
        "?app_label=placements&model_name=placement&field_name=cadre&term=1985",
    ],
}
# The pages of one cadre: the lead's opened for each cadre, the admin's (the same template for
# each, and slower) for the first ADMIN_EACH, the cadres of the shortest months first.
EACH = {
    "lead/placements/<int:pk>/",
    "lead/placements/<int:pk>/history/",
    "admin/cohorts/cadre/<path:object_id>/change/",
    "admin/placements/placement/<path:object_id>/change/",
}
ADMIN_EACH = 5


def text_of(response) -> str:
    """What a response shows: a page, JSON, a CSV, or every cell of a workbook."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    text = data.decode("utf-8-sig", errors="replace")
    if "json" in kind:
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def objects_of(sz3, placements, user) -> dict[str, list]:
    """The user's own object of each kind; every cadre and placement, February's first."""
    placements = sorted(placements, key=lambda p: days_in_month(p.cadre.birth_date))
    return {
        "batch": [sz3],
        "placement": placements,
        "cadre": [p.cadre for p in placements],
        "hostunit": [placements[0].host_unit],
        "programme": [sz3.programme],
        "user": [user],
        "group": list(user.groups.all()[:1]),
        "duty": list(Duty.objects.filter(batch=sz3)[:1]),
        "progressentry": list(ProgressEntry.objects.all()[:1]),
        "topic": list(Topic.objects.filter(batch=sz3)[:1]),
        "suggestion": list(Suggestion.objects.filter(batch=sz3)[:1]),
        "project": list(Project.objects.filter(batch=sz3)[:1]),
        "rosterimport": list(RosterImport.objects.filter(batches=sz3)[:1]),
        "accessrecord": list(AccessRecord.objects.all()[:1]),
        "apitoken": list(ApiToken.objects.all()[:1]),
        "notification": list(Notification.objects.filter(user=user)[:1]),
        "delivery": list(Delivery.objects.filter(batch=sz3)[:1]),
        "rosterexport": list(RosterExport.objects.filter(user=user)[:1]),
        "dutyupload": list(DutyUpload.objects.filter(user=user)[:1]),
    }


def urls_to_visit(sz3, placements, user, *, admin: bool, api: bool = False):
    """Every route of the admin (or every other route; or the API's that read), with its
    queries and objects."""
    objects = objects_of(sz3, placements, user)
    for pattern in routes():
        if pattern.startswith("admin/") != admin or (api and not pattern.startswith("api/")):
            continue
        route = ROUTES.get(pattern) or API_ROUTES[pattern]
        if getattr(route, "get", True) is None:
            continue  # an API route that only writes
        chosen = objects[route.obj] if route.obj else [None]
        if pattern not in EACH:
            chosen = chosen[:1]
        elif admin:
            chosen = chosen[:ADMIN_EACH]
        for obj in chosen:
            url = url_for(pattern, route, {route.obj: obj})
            path = url.split("?")[0]
            for query in EXTRA.get(pattern, [None]):
                yield url if query is None else path + query


def everything_seen(client, sz3, placements, *, user=None, admin_user) -> str:
    """The text of every page and export: the admin's as `admin_user`, the others as `user`
    (none: the admin only)."""
    seen = []
    for who, admin in ((user, False), (admin_user, True)):
        if who is not None:
            client.force_login(who)
            urls = urls_to_visit(sz3, placements, who, admin=admin)
            seen += [text_of(client.get(url)) for url in urls]
    if user is not None:
        # The lead's forms sent back with errors: the duty import (every cadre, by the masked
        # number the lead reads, on a duty the batch has not) and an outcome.
        client.force_login(user)
        lines = ["姓名,身份证号,任务,日期"]
        lines += [
            f"{p.cadre.name},{p.cadre.masked_id_number},无此任务,2020-05-01" for p in placements
        ]
        upload = SimpleUploadedFile("进度.csv", "\n".join(lines).encode())
        response = client.post(f"/lead/batches/{sz3.pk}/duties/import/", {"file": upload})
        seen += [text_of(response)]
        response = client.post(f"/lead/batches/{sz3.pk}/outcomes/", {"kind": "suggestion"})
        seen += [text_of(response)]
    # The admin's export actions (a POST to its lists).
    selected = [p.pk for p in placements]
    for action in ("export_selected_csv", "export_selected_xlsx"):
        response = client.post(
            "/admin/placements/placement/", {"_selected_action": selected, "action": action}
        )
        seen.append(text_of(response))
    response = client.post(
        "/admin/cohorts/batch/", {"_selected_action": [sz3.pk], "action": "export_batches"}
    )
    seen.append(text_of(response))
    return "\n".join(seen)


def fewest_candidates(placements, text: str) -> tuple[int, str]:
    seen = Seen(text)
    counts = {p.cadre.name: candidates_left(p.cadre.id_number, seen) for p in placements}
    name = min(counts, key=counts.get)
    return counts[name], name


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_lead_cannot_rebuild_any_id_number(client, sz3, roster, lead, lead_in_admin,
                                             record_property):  # fmt: skip
    seen = everything_seen(client, sz3, roster, user=lead, admin_user=lead_in_admin)
    for placement in roster:  # the walk reached every cadre's number and birth month
        cadre = placement.cadre
        assert cadre.masked_id_number in seen and f"{cadre.birth_date:%Y.%m}" in seen
    fewest, name = fewest_candidates(roster, seen)
    record_property("fewest_id_candidates_left_to_a_lead", fewest)
    print(f"\nfewest ID candidates left to a lead: {fewest} ({name})")
    assert fewest >= FEWEST_ALLOWED, (name, fewest)


def test_a_clerk_without_the_permission_cannot_rebuild_any_id_number(
    client, sz3, roster, clerk, record_property
):
    # The pages outside the admin are the lead's, for more batches: the admin and the API.
    seen = everything_seen(client, sz3, roster, admin_user=clerk)
    client.force_login(clerk)
    urls = urls_to_visit(sz3, roster, clerk, admin=False, api=True)
    seen += "\n".join(text_of(client.get(url)) for url in urls)
    fewest, name = fewest_candidates(roster, seen)
    record_property("fewest_id_candidates_left_to_a_clerk", fewest)
    print(f"\nfewest ID candidates left to a clerk: {fewest} ({name})")
    assert fewest >= FEWEST_ALLOWED, (name, fewest)

"""The host-unit directory (实训单位库) as a spreadsheet: the django-import-export resource and
the file format behind the host-unit admin's import and export (adminsite/placements.py).

Columns: name, kind, city, address, contact person, phone — written with their Chinese headers
(名称, 类型, 城市, 地址, 联系人, 联系电话), read under those, their English names or a few
other spellings staff use. A unit is matched by its matching key (华润（集团） is 华润 (集团))
or by a former name left by a merge, and its stored name is then kept; a blank cell leaves the
stored value, as the roster import does.

Files are read by the roster reader (spreadsheets.reading: UTF-8 / GBK / GB18030 / UTF-16 CSV
told apart by their bytes, XLSX, old XLS; the web's size, row and time limits), through
`RosterReaderFormat`, not by import-export's own CSV, which assumes one encoding. Exports use
import-export's XLSX and CSV (UTF-8 with BOM, which Excel and WPS open as Chinese).
"""

import copy

import tablib
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.html import format_html
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm
from import_export.resources import Diff

from placements.models import HostUnit, host_unit_key
from spreadsheets import cells, reading
from spreadsheets.tables import header_key

FIELDS = ("name", "kind", "city", "address", "contact_person", "contact_phone")
# Other headers staff write, besides each field's name and its label in either language.
SPELLINGS = {
    "name": ("单位名称", "实训单位", "实训单位名称", "名称"),
    "kind": ("单位类型", "类型", "单位性质", "性质", "类别"),
    "city": ("所在城市", "城市"),
    "address": ("地址", "单位地址", "详细地址"),
    "contact_person": ("联系人", "对接人"),
    "contact_phone": ("联系电话", "电话", "联系人电话", "手机", "手机号码"),
}
HEADER_ROWS = 10  # rows searched for the header row (a title may come first)


def _labels(name: str) -> list[str]:
    field = HostUnit._meta.get_field(name)
    labels = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.append(str(field.verbose_name))
    return labels


def headers() -> dict[str, str]:
    """{header key: field name} for every header read."""
    found = {}
    for name in FIELDS:
        for spelling in (name, *_labels(name), *SPELLINGS[name]):
            found.setdefault(header_key(spelling), name)
    return found


class KindWidget(widgets.Widget):
    """A kind as its label (民营企业) in a file; its code or its label in either language read."""

    def clean(self, value, row=None, **kwargs):
        value = cells.text(value)
        if not value:
            return ""
        for code, label in HostUnit.Kind.choices:
            spellings = {code}
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    spellings.add(str(label))
            if header_key(value) in {header_key(s) for s in spellings}:
                return code
        known = "、".join(str(label) for label in HostUnit.Kind.labels)
        raise ValueError(
            _("%(value)s is not a kind of host unit; write one of %(kinds)s.")
            % {"value": value, "kinds": known}
        )

    def render(self, value, obj=None, **kwargs):
        return str(HostUnit.Kind(value).label) if value else ""


class PlainDiff(Diff):
    """The preview's cells as old → new in <del>/<ins>, without the inline styles of
    import-export's diff (diff_prettyHtml), which the site's content security policy blocks."""

    def as_html(self):
        shown = []
        for before, after in zip(self.left, self.right, strict=False):
            before, after = force_str(before), force_str(after)
            if self.new or before == after:
                shown.append(format_html("{}", after))
            else:
                shown.append(format_html("<del>{}</del> <ins>{}</ins>", before, after))
        return shown


class HostUnitResource(resources.ModelResource):
    kind = fields.Field(attribute="kind", column_name="kind", widget=KindWidget())

    class Meta:
        model = HostUnit
        fields = FIELDS
        export_order = FIELDS
        import_id_fields = ("name",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True  # HostUnit.clean: phone numbers, twins and former names

    def get_diff_class(self):
        return PlainDiff

    def get_instance(self, instance_loader, row):
        """The unit of this name, written either way, or of which it is a former name."""
        key = host_unit_key(cells.text(row.get("name")))
        if not key:
            return None
        return HostUnit.objects.filter(Q(name_key=key) | Q(aliases__name_key=key)).first()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if instance.pk and field.attribute == "name":
            return  # matched by its key or a former name: the stored name stays
        if field.column_name in row and not cells.text(row[field.column_name]):
            return  # a blank cell changes nothing
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            instance.version += 1  # every write bumps it (cadreprog/versioning.py)

    def get_export_headers(self, selected_fields=None):
        """The labels in the language of the request: 名称, 类型, … in Chinese."""
        return [
            str(HostUnit._meta.get_field(field.attribute).verbose_name)
            for field in self.get_export_fields(selected_fields)
        ]

    def get_diff_headers(self):
        return self.get_export_headers()

    def get_user_visible_fields(self):
        """The fields as the import page lists them: by their labels, 名称, 类型, … in Chinese
        (a copy each, for the page only: reading the file goes by the fields' own names)."""
        shown = []
        for field in super().get_user_visible_fields():
            field = copy.copy(field)
            field.column_name = _label(field.attribute)
            shown.append(field)
        return shown


def _label(name: str) -> str:
    return str(HostUnit._meta.get_field(name).verbose_name)


class HostUnitExportForm(SelectableFieldsExportForm):
    """The export page's field choices by their labels, not "Contact Person (contact_person)"."""

    def _get_field_label(self, resource, field_name: str) -> str:
        return _label(field_name)


class RosterReaderFormat(base_formats.Format):
    """CSV (UTF-8, GBK, UTF-16), XLSX or XLS, read as rosters are (spreadsheets.reading): the
    first sheet, its header row among the first HEADER_ROWS rows, blank rows skipped."""

    def __init__(self, encoding=None):
        pass  # the reader tells the encoding from the bytes

    def get_title(self):
        return "CSV / XLSX / XLS"

    def get_extension(self):
        return "csv"

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        sheets = reading.read(data, "", max_rows=settings.ROSTER_UPLOAD_MAX_ROWS)
        rows = [row for row in sheets[0].rows if any(not reading.is_blank(v) for v in row)]
        known = headers()
        found = [
            (at, {i: known.get(header_key(cells.text(v))) for i, v in enumerate(row)})
            for at, row in enumerate(rows[:HEADER_ROWS])
        ]
        at, columns = next(((a, c) for a, c in found if "name" in c.values()), (None, None))
        if columns is None:
            raise ValueError(_("The file has no column of host unit names (名称)."))
        used = {}
        for i, name in columns.items():
            if name:
                used.setdefault(name, i)  # the first column of each field
        dataset = tablib.Dataset(headers=list(used))
        for row in rows[at + 1 :]:
            values = [cells.text(row[i]) if i < len(row) else "" for i in used.values()]
            if values[list(used).index("name")]:
                dataset.append(values)
        return dataset

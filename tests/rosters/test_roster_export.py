"""Roster export: the import's columns, formula escaping, ID masking, and the round trip."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from cohorts.terms import today
from placements.models import Placement
from rosters import columns as roster
from rosters import exporting
from rosters.importing import import_roster

from ..factories import BatchFactory, PlacementFactory, ProgrammeFactory, make_id_number
from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db


def export(fmt="csv", full_ids=True, placements=None) -> bytes:
    out = io.BytesIO()
    exporting.write(placements or Placement.objects.all(), out, fmt, full_ids)
    return out.getvalue()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_starts_with_a_bom_and_the_import_headers(sz3):
    PlacementFactory(batch=sz3)
    data = export()
    assert data.startswith(b"\xef\xbb\xbf")
    headers = [column.header for column in roster.COLUMNS]
    assert csv_rows(data)[0] == ["序号", *headers[:-1], "状态", headers[-1]]


def test_csv_numbers_the_rows_and_writes_the_status(sz3):
    PlacementFactory.create_batch(2, batch=sz3, status="on_site")
    header, *rows = csv_rows(export())
    assert [row[0] for row in rows] == ["1", "2"]
    assert rows[0][header.index("状态")] == "已到岗"


def test_csv_writes_values_as_rosters_do(sz3):
    placement = PlacementFactory(batch=sz3, rank="division_deputy", category="district")
    row = dict(zip(csv_rows(export())[0], csv_rows(export())[1], strict=True))
    assert row["批次"] == "深圳第3批"
    assert row["职级"] == "副处级"
    assert row["干部类别"] == "区市"
    assert row["身份证号"] == placement.cadre.id_number  # plain: no tab, no ="…" (README)
    assert row["开始日期"] == "2020-04-15"


@pytest.mark.parametrize("text", ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_escapes_cells_a_spreadsheet_would_run(sz3, text):
    PlacementFactory(batch=sz3, notes=text)
    assert csv_rows(export())[1][-1] == "'" + text


def test_xlsx_writes_formula_text_as_a_string_never_a_formula(sz3):
    PlacementFactory(batch=sz3, notes="=1+1")
    sheet = load_workbook(io.BytesIO(export("xlsx"))).active
    cell = sheet.cell(row=2, column=sheet.max_column)
    assert (cell.value, cell.data_type) == ("'=1+1", "s")


def test_xlsx_id_number_and_phone_are_text(sz3):
    PlacementFactory(batch=sz3, cadre__phone="13800000001")
    sheet = load_workbook(io.BytesIO(export("xlsx"))).active
    header = [c.value for c in sheet[1]]
    id_cell = sheet.cell(row=2, column=header.index("身份证号") + 1)
    phone_cell = sheet.cell(row=2, column=header.index("手机号码") + 1)
    assert (id_cell.data_type, phone_cell.data_type) == ("s", "s")
    assert phone_cell.value == "13800000001"
    assert (id_cell.number_format, phone_cell.number_format) == ("@", "@")


def test_xlsx_freezes_the_header_and_sets_column_widths(sz3):
    PlacementFactory(batch=sz3)
    sheet = load_workbook(io.BytesIO(export("xlsx"))).active
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    id_letter = sheet.cell(row=1, column=header.index("身份证号") + 1).column_letter
    assert sheet.column_dimensions[id_letter].width >= 20  # all 18 digits show
    assert sheet.column_dimensions["A"].width < 10  # 序号


def test_batch_is_written_by_its_code_when_its_city_names_two_programmes(sz3):
    ProgrammeFactory(code="SZP", city="深圳")
    PlacementFactory(batch=sz3)
    header, row = csv_rows(export())
    assert row[header.index("批次")] == "SZ-3"  # 深圳第3批 would not read back


def test_masked_export_hides_the_middle_of_id_numbers(sz3):
    placement = PlacementFactory(batch=sz3)
    header, row = csv_rows(export(full_ids=False))
    assert row[header.index("身份证号")] == placement.cadre.masked_id_number


def test_masked_export_writes_the_month_of_birth_not_the_day(sz3):
    PlacementFactory(batch=sz3, cadre__id_number=make_id_number(datetime.date(1985, 10, 7)))
    header, row = csv_rows(export(full_ids=False))
    assert row[header.index("出生年月")] == "1985.10"


def test_full_export_writes_the_date_of_birth(sz3):
    PlacementFactory(batch=sz3, cadre__id_number=make_id_number(datetime.date(1985, 10, 7)))
    header, row = csv_rows(export(full_ids=True))
    assert row[header.index("出生年月")] == "1985-10-07"


def test_full_id_numbers_need_the_permission(admin_user, django_user_model):
    clerk = django_user_model.objects.create_user("clerk")
    assert exporting.can_see_full_id_numbers(admin_user)
    assert not exporting.can_see_full_id_numbers(clerk)
    clerk.user_permissions.add(Permission.objects.get(codename="view_full_id_number"))
    clerk = django_user_model.objects.get(pk=clerk.pk)
    assert exporting.can_see_full_id_numbers(clerk)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_reports_every_row_unchanged(sz3, fmt):
    notes = ["=1+1", "'=1+1", "-", "@home", "plain"]
    import_roster(csv_bytes(table([person(n, 备注=notes[n - 1]) for n in range(1, 6)])), "r.csv")
    result = import_roster(export(fmt), f"export.{fmt}")
    assert result.ok, [str(p) for p in result.problems]
    assert result.count("unchanged") == 5
    assert result.ignored_columns == []  # 序号 and 状态 are skipped without a word


def test_export_of_a_person_in_two_batches_imports_again_unchanged(sz3, shenzhen):
    BatchFactory(programme=shenzhen, number=5, start_date=datetime.date(2021, 4, 1))
    import_roster(csv_bytes(table([person(1), person(1, 批次="SZ-5")])), "r.csv")
    result = import_roster(export(), "both.csv")
    assert result.ok, [str(p) for p in result.problems]
    assert result.count("unchanged") == 2


def test_masked_export_imports_again_unchanged(sz3):
    import_roster(csv_bytes(table([person(n) for n in range(1, 4)])), "r.csv")
    result = import_roster(export(full_ids=False), "masked.csv")
    assert result.ok, [str(p) for p in result.problems]
    assert result.count("unchanged") == 3


def test_a_file_exported_with_the_old_mask_imports_again_unchanged(sz3):
    import_roster(csv_bytes(table([person(n) for n in range(1, 4)])), "r.csv")
    rows = csv_rows(export(full_ids=True))
    column = rows[0].index("身份证号")
    for row in rows[1:]:  # 370212********3792, as exports wrote them before issue 13
        number = row[column].strip()
        row[column] = number[:6] + "*" * 8 + number[-4:]
    result = import_roster(csv_bytes(rows), "old.csv")
    assert result.ok, [str(p) for p in result.problems]
    assert result.count("unchanged") == 3


def test_an_old_mask_that_fits_another_number_is_refused(sz3):
    import_roster(csv_bytes(table([person(1)])), "r.csv")
    rows = csv_rows(export(full_ids=True))
    column = rows[0].index("身份证号")
    number = rows[1][column].strip()
    rows[1][column] = number[:6] + "*" * 8 + ("0000" if number[-4:] != "0000" else "1111")
    assert not import_roster(csv_bytes(rows), "old.csv").ok


def test_masked_id_number_of_someone_else_is_refused(sz3):
    import_roster(csv_bytes(table([person(1)])), "r.csv")
    rows = csv_rows(export(full_ids=False))
    rows[1][rows[0].index("姓名")] = "李四"
    assert not import_roster(csv_bytes(rows), "masked.csv").ok


def test_file_name_says_which_batch_and_what_on_which_day(sz3):
    PlacementFactory(batch=sz3)
    stamp = f"{today():%Y-%m-%d}"
    assert exporting.file_stem(Placement.objects.all()) == f"深圳第3批-花名册-{stamp}"


def test_file_name_of_several_batches_says_what_it_holds(sz3, shenzhen):
    PlacementFactory(batch=sz3)
    PlacementFactory(batch=BatchFactory(programme=shenzhen, number=5))
    assert exporting.file_stem(Placement.objects.all(), "干部名单").startswith("干部名单-20")

"""Roster files that once gave a 500 (issue 13, item 7): control characters in cells, sheet
names an XLSX cannot hold, and rows thousands of columns wide. Each is refused or answered with
a message in Chinese, by row and column, through upload → preview → confirm → error file."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, connection
from django.urls import reverse
from openpyxl import load_workbook

from cadreprog.bulk import bulk_insert
from cohorts.models import Cadre
from placements.models import Placement
from spreadsheets import reading

from ..helpers import body
from ..roster_files import csv_bytes, person, table, xls_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:placements_placement_import")
CONFIRM = reverse("admin:placements_placement_import_confirm")


def upload(client, data: bytes, name="花名册.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def error_file(client, token):
    response = client.get(reverse("admin:placements_placement_import_errors", args=[token]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(body(response)))


def far_into_the_file(**values) -> bytes:
    """A CSV whose last row (row 302) is person(1) changed by `values`, beyond the first 20,000
    characters that the check for binary files reads."""
    rows = [person(n, 手机号码="", 身份证号="") for n in range(2, 302)] + [person(1, **values)]
    data = csv_bytes(table(rows))
    assert len(data.decode()) > 20000
    return data


@pytest.mark.parametrize("column", ["姓名", "工作单位", "备注"])
def test_a_nul_far_into_a_csv_is_refused_in_the_preview_by_row_and_column(
    staff_client, sz3, column
):
    response = upload(staff_client, far_into_the_file(**{column: "市\x00南"}))
    assert response.status_code == 200
    page = response.content.decode()
    refused = [(p.row, p.column) for p in response.context["result"].problems]
    assert refused == [(302, column)]
    assert f"{column}：单元格含有控制字符（U+0000）" in page and "确认导入" not in page


def test_a_nul_in_the_notes_is_refused_on_confirm_too_never_a_500(staff_client, sz3):
    token = upload(staff_client, far_into_the_file(备注="请\x00假")).context["token"]
    response = staff_client.post(CONFIRM, {"token": token}, follow=True)
    assert response.status_code == 200
    assert "未导入任何数据" in response.content.decode() and "控制字符" in response.content.decode()
    assert not Placement.objects.exists()


def test_a_control_character_in_an_old_excel_file_is_refused_by_row_and_column(staff_client, sz3):
    response = upload(staff_client, xls_bytes(table([person(1, 备注="a\x07b")])), "花名册.xls")
    page = response.content.decode()
    assert "控制字符" in page and "备注" in page and "确认导入" not in page


def test_the_error_file_of_a_csv_with_a_nul_marks_its_row(staff_client, sz3):
    token = upload(staff_client, far_into_the_file(姓名="王\x00")).context["token"]
    sheet = error_file(staff_client, token).active
    assert "控制字符" in sheet.cell(row=302, column=sheet.max_column).value


def test_copy_errors_arrive_as_djangos_errors():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; elsewhere bulk_insert is bulk_create")
    with pytest.raises(DataError):  # a Django error, which the import's handling catches
        bulk_insert(Cadre, [Cadre(name="王\x00伟")])


def renamed_sheet(data: bytes, old: str, new: str) -> bytes:
    """The workbook with a sheet's name changed in its XML, as other programs may write it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/workbook.xml":
                content = content.replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
            target.writestr(item, content)
    return out.getvalue()


def test_the_error_file_of_a_sheet_named_with_characters_excel_forbids(staff_client, sz3):
    rows = table([person(1), person(2, 性别="?")])
    data = renamed_sheet(xlsx_bytes(rows, rows, titles=["SZ3", "SH5"]), "SZ3", "SZ/3:?[第]*批")
    token = upload(staff_client, data, "花名册.xlsx").context["token"]
    workbook = error_file(staff_client, token)
    assert len(workbook.sheetnames) == 2
    assert not re.search(r"[/:?\[\]*]", workbook.sheetnames[0])
    first = workbook.worksheets[0]
    assert "性别" in first.cell(row=3, column=first.max_column).value


def wide_csv(columns: int) -> bytes:
    rows = table([person(1), person(2, 性别="?")])
    return csv_bytes([row + [f"列{i}" for i in range(columns - len(row))] for row in rows])


def test_the_error_file_of_a_csv_wider_than_excel(staff_client, sz3):
    token = upload(staff_client, wide_csv(18_300)).context["token"]
    sheet = error_file(staff_client, token).active
    assert sheet.max_column == reading.MAX_COLUMNS + 1  # the file's columns read, and 错误说明
    assert "性别" in sheet.cell(row=3, column=sheet.max_column).value


def test_a_csv_reads_as_many_columns_as_a_workbook():
    rows = reading.read(wide_csv(10_000), "wide.csv")[0].rows
    assert {len(row) for row in rows} == {reading.MAX_COLUMNS}

"""A roster costs work, not just bytes (issue 13, item 8): a small file of millions of shared
strings or cells is refused before openpyxl reads it, and an upload has a time budget. The
duty-progress upload reads through the same code and has the same limits."""

import io
import zipfile

import openpyxl.reader.excel
import pytest

from ledger.importing import import_progress
from placements.models import Placement
from rosters.importing import import_roster
from spreadsheets import reading

from ..roster_files import csv_bytes, person, table, xlsx_bytes

pytestmark = pytest.mark.django_db
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = replace.get(item.filename, source.read(item.filename))
            target.writestr(item.filename, body, compress_type=zipfile.ZIP_DEFLATED)
        for name in replace.keys() - set(source.namelist()):
            target.writestr(name, replace[name], compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_strings(part: bytes, cells: int) -> bytes:
    """A workbook as Excel writes one: a row of `cells` cells, each using a shared string."""
    data = xlsx_bytes([["x"]])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml").decode()
        rels = source.read("xl/_rels/workbook.xml.rels").decode()
    types = types.replace(
        "</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdS" Type="{STRINGS_REL}" Target="sharedStrings.xml"/>'
        "</Relationships>",
    )
    row = "".join(f'<c t="s"><v>{n}</v></c>' for n in range(cells))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{row}</row></sheetData></worksheet>'
    return rezip(
        data,
        {
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "xl/worksheets/sheet1.xml": sheet.encode(),
            "xl/sharedStrings.xml": part,
        },
    )


def shared(*texts: bytes) -> bytes:
    return f'<sst xmlns="{MAIN}">'.encode() + b"".join(texts) + b"</sst>"


def strings_bomb(strings: int) -> bytes:
    """174 KB zipped: one cell, and `strings` one-letter strings in the shared-strings part."""
    return with_strings(shared(b"<si><t>a</t></si>" * strings), cells=1)


def wide_sheet(rows: int, columns: int) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in range(columns))
    body = "".join(f'<row r="{n}">{cells}</row>' for n in range(1, rows + 1))
    return f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'.encode()


@pytest.fixture
def strings_read(monkeypatch) -> list:
    """The calls of openpyxl's shared-strings reader: the work the bomb would cost."""
    calls, read = [], openpyxl.reader.excel.read_string_table

    def counted(*args):
        calls.append(1)
        return read(*args)

    monkeypatch.setattr(openpyxl.reader.excel, "read_string_table", counted)
    return calls


def test_millions_of_shared_strings_are_refused_before_openpyxl_reads_them(strings_read):
    result = import_roster(strings_bomb(2_000_000), "bomb.xlsx", max_rows=20000)
    assert not result.ok and "文本超过 1200000 段" in result.problems[0].message
    assert strings_read == []


def test_the_command_line_refuses_the_strings_bomb_too(strings_read):
    with pytest.raises(reading.RosterFileError, match="2000000 段文本"):
        reading.read(strings_bomb(2_000_000), "bomb.xlsx")
    assert strings_read == []


def test_a_workbook_with_its_strings_in_use_is_read(strings_read):
    data = with_strings(shared("<si><t>李娜</t></si><si><t>女</t></si>".encode()), cells=2)
    assert reading.read(data, "r.xlsx")[0].rows == [["李娜", "女"]]
    assert strings_read == [1]


def test_a_sheet_of_too_many_cells_is_refused_before_it_is_parsed(monkeypatch):
    data = rezip(xlsx_bytes([["x"]]), {"xl/worksheets/sheet1.xml": wide_sheet(2, 70)})
    monkeypatch.setattr(reading, "_read_xlsx", lambda *a: pytest.fail("the file was parsed"))
    with pytest.raises(reading.RosterFileError, match="单元格超过 120 个"):
        reading.read(data, "wide.xlsx", max_rows=2)  # 2 rows × 60 columns at most


def test_cells_are_counted_as_rows_stream():
    work = reading.Work(max_cells=5)
    rows = reading._counted(iter([["a", "b", "c"], ["d", "e", "f"]]), work)
    assert next(rows) == ["a", "b", "c"] and work.cells == 3
    with pytest.raises(reading.RosterFileError, match="单元格超过 5 个"):
        next(rows)


def test_an_upload_out_of_time_is_refused(sz3, settings):
    settings.ROSTER_UPLOAD_SECONDS = 0  # a tiny budget: spent before the first row
    result = import_roster(csv_bytes(table([person(1)])), "r.csv", max_rows=100)
    assert not result.ok and "超过 1 秒" in result.problems[0].message
    assert not Placement.objects.exists()


def test_the_command_line_has_no_time_budget(sz3, settings):
    settings.ROSTER_UPLOAD_SECONDS = 0
    assert import_roster(csv_bytes(table([person(1)])), "r.csv").ok


def test_a_duty_progress_upload_has_the_same_time_budget(sz3, settings):
    settings.ROSTER_UPLOAD_SECONDS = 0
    data = csv_bytes([["姓名", "任务", "日期", "数量"], ["李娜", "走访企业", "2024-01-02", "1"]])
    result = import_progress(data, "进度.csv", batch=sz3, max_rows=100)
    assert "秒" in result.problems[0].message


def test_a_duty_progress_upload_refuses_the_strings_bomb(sz3, strings_read):
    result = import_progress(strings_bomb(2_000_000), "进度.xlsx", batch=sz3, max_rows=100)
    assert "文本超过 6000 段" in result.problems[0].message and strings_read == []

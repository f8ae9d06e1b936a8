"""Hostile and broken roster files: upload limits, zip bombs, XML entities, random bytes.

The web's limits are checked before a file is parsed; the command line (the operator's) has
none. Whatever arrives, the import answers with a message and writes all or nothing.
"""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cohorts.models import Cadre
from placements.models import HostUnit, Placement
from rosters import importing
from spreadsheets import reading

from ..helpers import body
from ..roster_files import csv_bytes, person, table, xlsx_bytes

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:placements_placement_import")
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def upload(client, data: bytes, name="花名册.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def refuse_parsing(monkeypatch):
    def parsed(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(reading, "_read_csv", parsed)
    monkeypatch.setattr(reading, "_read_xlsx", parsed)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    staff_client, sz3, settings, monkeypatch
):
    settings.ROSTER_UPLOAD_MAX_BYTES = 1024
    refuse_parsing(monkeypatch)
    response = upload(staff_client, csv_bytes(table([person(n) for n in range(1, 30)])))
    assert response.status_code == 200
    assert "上限为 1.0\xa0KB" in response.content.decode()
    assert not Placement.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused_before_it_is_parsed(
    staff_client, sz3, settings, monkeypatch, fmt
):
    settings.ROSTER_UPLOAD_MAX_ROWS = 5
    rows = table([person(n) for n in range(1, 10)])
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    refuse_parsing(monkeypatch)
    response = upload(staff_client, data, name=f"r.{fmt}")
    assert "超过 5 行" in response.content.decode()
    assert not Placement.objects.exists()


def test_the_command_line_has_no_row_limit(sz3, settings, tmp_path):
    settings.ROSTER_UPLOAD_MAX_ROWS = 5
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(table([person(n) for n in range(1, 10)])))
    call_command("import_roster", str(path), verbosity=0)
    assert Placement.objects.count() == 9


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook `data` with some of its parts replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = replace.get(item.filename, source.read(item.filename))
            target.writestr(item.filename, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_openpyxl_unpacks_it(monkeypatch):
    monkeypatch.setattr(reading, "XLSX_MAX_UNPACKED", 1024 * 1024)
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    bomb = rezip(
        xlsx_bytes(table([person(1)])), {"xl/worksheets/sheet1.xml": sheet + b" " * 4_000_000}
    )
    assert len(bomb) < 50_000  # 4 MB of XML packed into a few KB
    result = importing.import_roster(bomb, "bomb.xlsx")
    assert "zip 炸弹" in str(result.problems[0])


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""


def test_xml_entities_are_refused(sz3):
    data = rezip(xlsx_bytes(table([person(1)])), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    result = importing.import_roster(data, "lol.xlsx")
    assert "DOCTYPE" in str(result.problems[0])
    assert not Cadre.objects.exists()


def test_openpyxl_itself_refuses_xml_entities_through_defusedxml():
    """The second line of defence: openpyxl parses with defusedxml once it is installed."""
    data = rezip(xlsx_bytes(table([person(1)])), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    from defusedxml import EntitiesForbidden

    with pytest.raises(ValueError) as refused:  # openpyxl wraps the parser's refusal
        load_workbook(io.BytesIO(data), read_only=True)
    assert isinstance(refused.value.__cause__ or refused.value.__context__, EntitiesForbidden)


def test_markup_in_a_roster_stays_text_in_the_export_and_the_error_file(staff_client, sz3):
    name, note = "<script>alert(1)</script>", '=HYPERLINK("http://x")'
    importing.import_roster(csv_bytes(table([person(1, 姓名=name, 备注=note)])), "r.csv")
    export = staff_client.get("/placements/export/", {"format": "csv"})
    text = body(export).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    assert row[header.index("姓名")] == name  # as written, for the spreadsheet to show
    assert row[header.index("备注")] == "'" + note  # escaped: never run as a formula
    rows = [person(2, 姓名=name, 身份证号="123")]
    token = upload(staff_client, csv_bytes(table(rows))).context["token"]
    error_file = staff_client.get(reverse("admin:placements_placement_import_errors", args=[token]))
    sheet = load_workbook(io.BytesIO(body(error_file))).active
    assert sheet.cell(row=2, column=2).value == name


# Random and mangled input (hypothesis)

VALID_CSV = csv_bytes(table([person(1), person(2), person(3, 身份证号="")]), "gbk")
VALID_XLSX = xlsx_bytes(table([person(4), person(5)]))


@st.composite
def mangled(draw, data: bytes):
    """`data` with a few bytes changed, cut short, or with random bytes put in."""
    data = bytearray(data)
    for _step in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "cut", "insert"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif how == "cut":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=30))
    return bytes(data)


ANY_FILE = st.one_of(
    st.tuples(st.binary(max_size=2000), st.sampled_from(["r.csv", "r.xlsx", "r.xls"])),
    st.tuples(mangled(VALID_CSV), st.just("r.csv")),
    st.tuples(mangled(VALID_XLSX), st.just("r.xlsx")),
    st.tuples(st.text(max_size=500).map(lambda t: t.encode("utf-8")), st.just("r.csv")),
)


def counts():
    return Cadre.objects.count(), Placement.objects.count(), HostUnit.objects.count()


@FUZZ
@given(file=ANY_FILE)
def test_the_importer_answers_any_file_and_writes_all_or_nothing(sz3, file):
    data, name = file
    before = counts()
    result = importing.import_roster(data, name)  # raising here fails the test
    if result.ok:
        assert counts()[1] == before[1] + result.count("new")
    else:
        assert result.problems and counts() == before


@FUZZ
@given(file=ANY_FILE)
def test_the_admin_upload_never_fails_with_a_server_error(staff_client, sz3, file):
    data, name = file
    before = counts()
    response = upload(staff_client, data, name=name)  # the test client re-raises any error
    assert response.status_code == 200
    assert counts() == before  # the preview writes nothing


# Sparse, wide and long files: the work is bounded by what the file holds, not what it claims


def count_cells(monkeypatch, name: str) -> list:
    """Counts the cells `reading.<name>` converts: the work a file costs once parsed."""
    seen, convert = [], getattr(reading, name)

    def counted(*args):
        seen.append(1)
        return convert(*args)

    monkeypatch.setattr(reading, name, counted)
    return seen


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sparse_sheet(rows: int, last_row: int | None = None, dimension: str = "") -> bytes:
    """Rows of one cell in A and one at XFD (column 16,384); perhaps a row at `last_row`."""
    body = "".join(f'<row r="{n}">{inline(f"A{n}", "x")}{inline(f"XFD{n}", "y")}</row>'
                   for n in range(1, rows + 1))  # fmt: skip
    if last_row:
        body += f'<row r="{last_row}">{inline(f"A{last_row}", "合计")}</row>'
    size = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{size}<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def sparse_xlsx(**kwargs) -> bytes:
    return rezip(xlsx_bytes([["x"]]), {"xl/worksheets/sheet1.xml": sparse_sheet(**kwargs)})


def test_cells_far_to_the_right_are_not_read(monkeypatch):
    cells = count_cells(monkeypatch, "_xlsx_value")
    (sheet,) = reading.read(sparse_xlsx(rows=50), "wide.xlsx")
    assert len(sheet.rows) == 50 and sheet.rows[0][0] == "x"
    assert len(cells) <= 50 * reading.MAX_COLUMNS  # not 50 × 16,384


@pytest.mark.parametrize(
    "claims", [{"last_row": 1_048_576}, {"dimension": "A1:XFD1048576"}], ids=["row", "dimension"]
)
def test_a_row_numbered_beyond_the_limit_is_refused_before_it_is_parsed(monkeypatch, claims):
    cells = count_cells(monkeypatch, "_xlsx_value")
    with pytest.raises(reading.RosterFileError, match="超过 20000 行"):
        reading.read(sparse_xlsx(rows=3, **claims), "long.xlsx", max_rows=20000)
    assert cells == []


def test_an_upload_may_unpack_to_a_few_times_the_upload_limit(settings):
    settings.ROSTER_UPLOAD_MAX_BYTES = 100_000
    sheet = sparse_sheet(rows=1) + b" " * 1_000_000  # 1 MB of XML, packed into a few KB
    data = rezip(xlsx_bytes([["x"]]), {"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(reading.RosterFileError, match="zip 炸弹"):
        reading.read(data, "r.xlsx", max_rows=100)
    assert reading.read(data, "r.xlsx")[0].rows == [["x"]]  # the command line's is higher


def test_an_old_xls_is_counted_before_its_cells_are_read(monkeypatch):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    for c, header in enumerate(table([person(1)])[0]):
        sheet.write(0, c, header)
    sheet.write(60000, 0, "合计")  # one cell: 60,001 rows of 14 columns to xlrd
    out = io.BytesIO()
    book.save(out)
    cells = count_cells(monkeypatch, "_xls_value")
    with pytest.raises(reading.RosterFileError, match="超过 100 行"):
        reading.read(out.getvalue(), "r.xls", max_rows=100)
    assert cells == []
    assert len(reading.read(out.getvalue(), "r.xls")[0].rows) == 60001  # no limit: all read


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n"], ids=["CR", "LF", "CRLF"])
def test_csv_rows_are_counted_whatever_ends_them(ending, monkeypatch):
    refuse_parsing(monkeypatch)
    rows = table([person(n) for n in range(1, 10)])
    data = ending.join(",".join(row) for row in rows).encode()
    with pytest.raises(reading.RosterFileError, match="超过 5 行"):
        reading.read(data, "r.csv", max_rows=5)


def test_utf16_text_is_counted_by_its_characters_not_its_bytes(sz3, settings):
    # 上 is U+4E0A: in UTF-16 a 0x0A byte, which counting newline bytes took for a line end.
    rows = table([person(n, 工作单位="上海市上城区上塘街道") for n in range(1, 4)])
    data = csv_bytes(rows, "utf-16", delimiter="\t")
    assert data.count(b"\n") > 5
    assert len(reading.read(data, "r.txt", max_rows=5)[0].rows) == 4
    settings.ROSTER_UPLOAD_MAX_ROWS = 5
    result = importing.import_roster(data, "r.txt", max_rows=5)
    assert result.ok, result.problems
    assert reading.count_lines("a\r\nb\rc\nd".encode("utf-16")) == 4

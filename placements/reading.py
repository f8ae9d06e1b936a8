"""Reading a roster file into sheets of cells, whatever made it.

CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16 (Excel's "Unicode text"), told apart
by their bytes; XLSX through openpyxl, reading a formula's text rather than its cached value;
old XLS through xlrd, turning its date serial numbers into dates. Cells arrive as str, int,
float, datetime or None; row N of a sheet is rows[N - 1], as the spreadsheet numbers it.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")


class RosterFileError(Exception):
    """The file cannot be read as a roster at all; the message says why, for the user."""


@dataclass
class Sheet:
    name: str
    rows: list[list]


def read(data: bytes, filename: str) -> list[Sheet]:
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data.strip():
        raise RosterFileError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    if data.startswith(XLS_MAGIC):
        return _read_xls(data)
    if suffix in (".xlsx", ".xls"):
        raise RosterFileError(
            _(
                "The file is named %(name)s but is not an Excel workbook. Open it in Excel or "
                "WPS and save it again as .xlsx."
            )
            % {"name": filename}
        ) from None
    return [Sheet("", _read_csv(data))]


def decode(data: bytes) -> str:
    """The text of a CSV file in any of the encodings Chinese spreadsheets save."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            # A BOM before GBK bytes happens when a tool adds one to a file it did not write.
            text = data.removeprefix(b"\xef\xbb\xbf").decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise RosterFileError(
        _(
            "The file is neither a spreadsheet nor text in a known encoding. Save it from Excel "
            "or WPS as .xlsx, or as CSV (UTF-8 or GBK)."
        )
    ) from None


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n")
    return controls == 0


def _read_csv(data: bytes) -> list[list]:
    text = decode(data)
    sample = text[:5000]
    delimiter = max([",", "\t", ";"], key=sample.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        message = _("The CSV file cannot be read: %(error)s") % {"error": error}
        raise RosterFileError(message) from None


def _read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell gives its text (=1+1), never a cached result.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            return [Sheet(ws.title, _xlsx_rows(ws)) for ws in workbook.worksheets]
        finally:
            workbook.close()
    except Exception as error:  # noqa: BLE001 - a damaged workbook can fail anywhere inside
        raise RosterFileError(
            _("The Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
            % {"error": error.__class__.__name__}
        ) from None


def _xlsx_rows(worksheet) -> list[list]:
    # Some programs write a wrong size record (A1); read-only mode would trust it.
    worksheet.reset_dimensions()
    rows = []
    for row in worksheet.iter_rows():
        number = next((c.row for c in row if getattr(c, "row", None)), None)
        if number is None:
            continue  # an empty row: its place is kept by the padding below
        rows.extend([[]] * (number - 1 - len(rows)))
        rows.append([_xlsx_value(c) for c in row])
    return rows


def _xlsx_value(cell):
    value = cell.value
    if cell.data_type == "f" and not isinstance(value, str):
        return str(getattr(value, "text", value))  # array formulas arrive as objects
    if isinstance(value, datetime) and _shows_month_only(cell.number_format):
        return Month(value.year, value.month, 1)
    return value


class Month(date):
    """A date cell formatted to show only year and month (1985.03): a month, not a day."""


def _shows_month_only(number_format: str) -> bool:
    return "d" not in re.sub(r'"[^"]*"|\[[^]]*\]', "", (number_format or "").lower())


def _read_xls(data: bytes) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, logfile=io.StringIO()
        )  # logfile: xlrd's warnings about odd files are not the user's business
        return [_xls_sheet(book, sheet) for sheet in book.sheets()]
    except Exception as error:  # noqa: BLE001 - a damaged workbook can fail anywhere inside
        raise RosterFileError(
            _("The old-format Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
            % {"error": error.__class__.__name__}
        ) from None


def _xls_sheet(book, sheet) -> Sheet:
    rows = [
        [_xls_value(book, sheet.cell(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)
    ]
    return Sheet(sheet.name, rows)


def _xls_value(book, cell):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value
        number_format = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
        return Month(value.year, value.month, 1) if _shows_month_only(number_format) else value
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    return cell.value


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

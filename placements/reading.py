"""Reading a roster file into sheets of cells, whatever made it.

CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16 (Excel's "Unicode text"), told apart
by their bytes; XLSX through openpyxl, reading a formula's text rather than its cached value;
old XLS through xlrd, turning its date serial numbers into dates. Cells arrive as str, int,
float, datetime or None; row N of a sheet is rows[N - 1], as the spreadsheet numbers it.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

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
            text = data.decode(encoding)
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
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise RosterFileError(
            _("The Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
            % {"error": error.__class__.__name__}
        ) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = []
            for row in worksheet.iter_rows():
                number = next((c.row for c in row if getattr(c, "row", None)), None)
                if number is None:
                    continue  # an empty row: its place is kept by the padding below
                rows.extend([[]] * (number - 1 - len(rows)))
                rows.append([_xlsx_value(c) for c in row])
            sheets.append(Sheet(worksheet.title, rows))
        return sheets
    finally:
        workbook.close()


def _xlsx_value(cell):
    value = cell.value
    if cell.data_type == "f" and not isinstance(value, str):
        return str(getattr(value, "text", value))  # array formulas arrive as objects
    return value


def _read_xls(data: bytes) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except (xlrd.XLRDError, ValueError, AssertionError, IndexError, KeyError, OSError) as error:
        raise RosterFileError(
            _("The old-format Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
            % {"error": error.__class__.__name__}
        ) from None
    sheets = []
    for index in range(book.nsheets):
        sheet = book.get_sheet(index)
        rows = [
            [_xls_value(book, sheet.cell(r, c)) for c in range(sheet.ncols)]
            for r in range(sheet.nrows)
        ]
        sheets.append(Sheet(sheet.name, rows))
    return sheets


def _xls_value(book, cell):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    return cell.value


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

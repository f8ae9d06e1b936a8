"""Reading a roster file into sheets of cells, whatever made it.

CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16 (Excel's "Unicode text"), told apart
by their bytes; XLSX through openpyxl, reading a formula's text rather than its cached value;
old XLS through xlrd, turning its date serial numbers into dates. Cells arrive as str, int,
float, datetime or None; row N of a sheet is rows[N - 1], as the spreadsheet numbers it.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")
# An XLSX is a zip of XML: a real roster unpacks to a few dozen MB; a zip bomb to gigabytes.
# The command line's bound; an upload on the web may unpack to XLSX_UNPACK_FACTOR times the
# upload size limit (ROSTER_UPLOAD_MAX_BYTES), as a roster's XML packs about five to one.
XLSX_MAX_UNPACKED = 256 * 1024 * 1024
XLSX_UNPACK_FACTOR = 8
# A roster has about 20 columns: cells further right are not read (a cell at XFD, column
# 16,384, would otherwise make every row 16,384 cells long). Old XLS and CSV files the same.
MAX_COLUMNS = 60
_XLSX_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
# A row's own number (r="1048576") and the sheet's declared size (<dimension ref="A1:N200"/>).
_XLSX_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d+)\"")
_XLSX_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref=\"[^\"]*?(\d+)\"")
_TAIL = 512  # bytes of one chunk kept with the next, so a tag cut in two is still seen
_XML_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class RosterFileError(Exception):
    """The file cannot be read as a roster at all; the message says why, for the user."""


@dataclass
class Sheet:
    name: str
    rows: list[list]


def read(data: bytes, filename: str, max_rows: int | None = None) -> list[Sheet]:
    """The file's sheets; with max_rows, a file of more rows is refused before it is parsed.

    max_rows is the web's limit: with it, an XLSX may also unpack to less (XLSX_UNPACK_FACTOR
    times the upload size limit) and may not number a row beyond max_rows.
    """
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data.strip():
        raise RosterFileError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        _check_xlsx(data, max_rows)
        return _read_xlsx(data, max_rows)
    if data.startswith(XLS_MAGIC):
        return _read_xls(data, max_rows)
    if suffix in (".xlsx", ".xls"):
        raise RosterFileError(
            _(
                "The file is named %(name)s but is not an Excel workbook. Open it in Excel or "
                "WPS and save it again as .xlsx."
            )
            % {"name": filename}
        ) from None
    if max_rows is not None and count_lines(data) > max_rows:
        raise _too_many_rows(max_rows)
    return [Sheet("", _read_csv(data))]


def count_lines(data: bytes) -> int:
    """How many lines a text file has, whatever ends them: CRLF, LF or a lone CR (old Macs).

    At least as many as the CSV rows in it (a quoted cell may hold a line end). UTF-16 is
    decoded first: its code units hold 0x0A and 0x0D bytes in characters such as 上 (U+4E0A).
    GBK, GB18030 and UTF-8 never use those bytes inside a character, so they are counted as
    bytes. The size limit bounds what is decoded.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        ends = text.count("\n") + text.count("\r") - text.count("\r\n")
        return ends + (not text.endswith(("\n", "\r")))
    ends = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return ends + (not data.endswith((b"\n", b"\r")))


def _too_many_rows(max_rows: int) -> RosterFileError:
    return RosterFileError(
        _("The file has more than %(limit)d rows, the most one upload may have. Split it.")
        % {"limit": max_rows}
    )


def _check_xlsx(data: bytes, max_rows: int | None):
    """Refuse a zip bomb, XML entity declarations and, with max_rows, too many rows.

    Every part is unpacked once as a stream, counting the bytes it really yields (a zip's own
    size records can lie), before openpyxl parses anything. With max_rows, a row numbered
    beyond it (<row r="1048576">, which openpyxl would pad with a million empty rows) or a
    sheet declaring a size beyond it is refused too.
    """
    limit = XLSX_MAX_UNPACKED
    if max_rows is not None:
        limit = min(limit, XLSX_UNPACK_FACTOR * settings.ROSTER_UPLOAD_MAX_BYTES)
    unpacked = rows = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                tail = b""
                with archive.open(member) as part:
                    while chunk := part.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise RosterFileError(
                                _(
                                    "The Excel file unpacks to more than %(size)d MB: it is not "
                                    "a roster (perhaps a zip bomb). It was not read."
                                )
                                % {"size": max(limit // (1024 * 1024), 1)}
                            )
                        text = tail + chunk
                        if _XML_DECLARATIONS.search(text):
                            raise RosterFileError(
                                _(
                                    "The Excel file contains XML declarations that spreadsheets "
                                    "do not use (DOCTYPE or ENTITY). It was not read."
                                )
                            )
                        if member.filename.startswith("xl/worksheets/"):
                            rows += len(_XLSX_ROW.findall(text)) - len(_XLSX_ROW.findall(tail))
                            if max_rows is not None and _numbers_beyond(text, max_rows):
                                raise _too_many_rows(max_rows)
                        tail = text[-_TAIL:]
    except RosterFileError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged zip can fail anywhere inside (zlib …)
        raise RosterFileError(
            _("The Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
            % {"error": error.__class__.__name__}
        ) from None
    if max_rows is not None and rows > max_rows:
        raise _too_many_rows(max_rows)


def _numbers_beyond(text: bytes, max_rows: int) -> bool:
    numbers = _XLSX_ROW_NUMBER.findall(text) + _XLSX_DIMENSION.findall(text)
    return any(len(number) > 9 or int(number) > max_rows for number in numbers)


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
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [row[:MAX_COLUMNS] for row in rows]  # as many columns as a workbook's
    except csv.Error as error:
        message = _("The CSV file cannot be read: %(error)s") % {"error": error}
        raise RosterFileError(message) from None


def _read_xlsx(data: bytes, max_rows: int | None = None) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell gives its text (=1+1), never a cached result.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            return [Sheet(ws.title, _xlsx_rows(ws, max_rows)) for ws in workbook.worksheets]
        finally:
            workbook.close()
    except RosterFileError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged workbook can fail anywhere inside
        raise RosterFileError(
            _("The Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
            % {"error": error.__class__.__name__}
        ) from None


def _xlsx_rows(worksheet, max_rows: int | None = None) -> list[list]:
    from openpyxl.cell.read_only import EMPTY_CELL

    # Some programs write a wrong size record (A1); read-only mode would trust it.
    worksheet.reset_dimensions()
    rows = []
    # max_col: at most MAX_COLUMNS cells a row. max_row: openpyxl stops one row past the limit
    # (_check_xlsx refused such a file already; this holds if its scan was outwitted).
    last = None if max_rows is None else max_rows + 1
    for row in worksheet.iter_rows(max_col=MAX_COLUMNS, max_row=last):
        number = next((c.row for c in row if c is not EMPTY_CELL), None)
        if number is None:
            continue  # an empty row: its place is kept by the padding below
        if max_rows is not None and number > max_rows:
            raise _too_many_rows(max_rows)
        rows.extend([[]] * (number - 1 - len(rows)))
        # As long as the file's own row: max_col pads every row to MAX_COLUMNS cells.
        width = max(i for i, c in enumerate(row) if c is not EMPTY_CELL) + 1
        rows.append([_xlsx_value(c) for c in row[:width]])
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


def _read_xls(data: bytes, max_rows: int | None = None) -> list[Sheet]:
    """The sheets of an old XLS, each sheet's size checked before a cell of it is read."""
    import xlrd

    try:
        # on_demand: one sheet at a time, its row count known before its cells are read.
        book = xlrd.open_workbook(
            file_contents=data,
            formatting_info=True,
            on_demand=True,
            ragged_rows=True,  # rows as long as their last cell, not all padded to the widest
            logfile=io.StringIO(),  # xlrd's warnings about odd files are not the user's business
        )
        sheets, rows = [], 0
        try:
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                rows += sheet.nrows
                if max_rows is not None and rows > max_rows:
                    raise _too_many_rows(max_rows)
                sheets.append(_xls_sheet(book, sheet))
                book.unload_sheet(index)
        finally:
            book.release_resources()
        return sheets
    except RosterFileError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged workbook can fail anywhere inside
        raise RosterFileError(
            _("The old-format Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
            % {"error": error.__class__.__name__}
        ) from None


def _xls_sheet(book, sheet) -> Sheet:
    rows = [
        [_xls_value(book, sheet.cell(r, c)) for c in range(min(sheet.row_len(r), MAX_COLUMNS))]
        for r in range(sheet.nrows)
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

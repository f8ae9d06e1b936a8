"""Reading a roster file into sheets of cells, whatever made it.

CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16 (Excel's "Unicode text"), told apart
by their bytes; XLSX through openpyxl, reading a formula's text rather than its cached value;
old XLS through xlrd, turning its date serial numbers into dates. Cells arrive as str, int,
float, datetime or None; row N of a sheet is rows[N - 1], as the spreadsheet numbers it.

Work is limited, not just bytes: a small file can hold millions of tiny shared strings or cells.
An XLSX's parts are scanned as a stream before openpyxl parses anything (more shared strings
than cells is refused; on the web, more cells than rows × MAX_COLUMNS too), rows and cells are
counted as they are read, and an upload has a time budget (ROSTER_UPLOAD_SECONDS).

`stream` gives sheets whose rows are an iterator (the command line's large files: CSV decoded
as a stream, XLSX rows from openpyxl's read-only generator); `read` gives lists.
"""

import codecs
import csv
import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
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
# A worksheet's cells (<c r="A1">) and the shared-strings part's strings (<si>).
_XLSX_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_XLSX_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
# Spreadsheet programs write only the strings some cell uses; a little slack for odd writers.
XLSX_STRINGS_SLACK = 1000
_SAMPLE = 64 * 1024  # bytes of a streamed CSV that decide its encoding


class RosterFileError(Exception):
    """The file cannot be read as a roster at all; the message says why, for the user."""


@dataclass
class Sheet:
    name: str
    rows: Iterable[list]  # a list from read(); an iterator, to be read once, from stream()


class Work:
    """What reading one file may cost: a deadline and, with max_cells, a count of cells.

    Counted as rows stream, so a file is refused as soon as it has cost too much, whatever its
    size in bytes. `cells` and `rows` stay readable afterwards (tests pin them).
    """

    def __init__(self, *, seconds: float | None = None, max_cells: int | None = None):
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.max_cells = max_cells
        self.cells = self.rows = 0

    def row(self, cells: int):
        self.rows += 1
        self.cells += cells
        if self.max_cells is not None and self.cells > self.max_cells:
            raise _too_many_cells(self.max_cells)
        if self.deadline is not None and (self.rows & 63 == 1 or cells > 64):
            self.check_time()

    def check_time(self):
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise RosterFileError(
                _(
                    "Reading the file took more than %(seconds)d seconds, the most one upload may "
                    "take. It was not imported: split it into smaller files."
                )
                % {"seconds": max(round(self.seconds), 1)}
            )


def _too_many_cells(limit: int) -> RosterFileError:
    return RosterFileError(
        _(
            "The file has more than %(limit)d cells, more than a roster of this many rows has. "
            "It was not read."
        )
        % {"limit": limit}
    )


def read(
    data: bytes, filename: str, max_rows: int | None = None, seconds: float | None = None
) -> list[Sheet]:
    """The file's sheets; with max_rows, a file of more rows is refused before it is parsed.

    max_rows is the web's limit: with it, an XLSX may also unpack to less (XLSX_UNPACK_FACTOR
    times the upload size limit) and may not number a row beyond max_rows, a file may not hold
    more than max_rows × MAX_COLUMNS cells, and reading may take ROSTER_UPLOAD_SECONDS (or
    `seconds`, given).
    """
    return [Sheet(s.name, list(s.rows)) for s in stream(data, filename, max_rows, seconds)]


def stream(data, filename: str, max_rows: int | None = None, seconds: float | None = None):
    """The file's sheets, each sheet's rows an iterator to be read once and in order.

    `data` is bytes or a binary file open for reading (the command line's, never read whole
    when it is a CSV or an XLSX). The limits are read's. A sheet's rows may raise
    RosterFileError while they are read (the time budget, a cell count, a damaged part).
    """
    if max_rows is not None:
        if seconds is None:
            seconds = settings.ROSTER_UPLOAD_SECONDS
        if not isinstance(data, bytes):
            data = data.read()
    work = Work(seconds=seconds, max_cells=None if max_rows is None else max_rows * MAX_COLUMNS)
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    head = _head(data, 8)
    if not (data if isinstance(data, bytes) else _head(data, _SAMPLE)).strip():
        raise RosterFileError(_("The file is empty."))
    if head.startswith(XLSX_MAGIC):
        _check_xlsx(data, max_rows, work)
        return _read_xlsx(data, max_rows, work)
    if head.startswith(XLS_MAGIC):
        return _read_xls(data if isinstance(data, bytes) else data.read(), max_rows, work)
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
    return [Sheet("", _counted(_read_csv(data), work))]


def _head(data, size: int) -> bytes:
    """The first `size` bytes of bytes or of a binary file, which is left where it was."""
    if isinstance(data, bytes):
        return data[:size]
    where = data.tell()
    head = data.read(size)
    data.seek(where)
    return head


def _counted(rows: Iterator[list], work: Work) -> Iterator[list]:
    for row in rows:
        work.row(len(row))
        yield row


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


def count_rows(data: bytes, *, beyond: int) -> int:
    """About how many rows the file has (title and header rows included), cheaply, without
    parsing it: to tell an upload too long to read inside a web request (a background one).

    Counting stops once past `beyond`: a larger file answers some number above it. CSV: its
    lines (count_lines, one pass over the bytes). XLSX: the worksheets' <row> tags, counted as
    their XML streams out of the zip (no XML parsing), stopping past `beyond`. Old XLS: each
    sheet's row count from xlrd (it parses the sheet; XLS files are small). A file that cannot
    be counted answers 0: reading it will say what is wrong.
    """
    head = _head(data, 8)
    try:
        if head.startswith(XLSX_MAGIC):
            return _count_xlsx_rows(data, beyond)
        if head.startswith(XLS_MAGIC):
            return _count_xls_rows(data, beyond)
        return count_lines(data)
    except Exception:  # noqa: BLE001 - a damaged file is refused, with its reason, when read
        return 0


def _count_xlsx_rows(data: bytes, beyond: int) -> int:
    rows = unpacked = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.startswith("xl/worksheets/"):
                continue
            tail = b""
            with archive.open(member) as part:
                while chunk := part.read(256 * 1024):
                    unpacked += len(chunk)
                    text = tail + chunk
                    rows += _count(_XLSX_ROW, text, tail)
                    if rows > beyond or unpacked > XLSX_MAX_UNPACKED:
                        return rows
                    tail = text[-_TAIL:]
    return rows


def _count_xls_rows(data: bytes, beyond: int) -> int:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    rows = 0
    try:
        for index in range(book.nsheets):
            rows += book.sheet_by_index(index).nrows
            book.unload_sheet(index)
            if rows > beyond:
                break
    finally:
        book.release_resources()
    return rows


def _too_many_rows(max_rows: int) -> RosterFileError:
    return RosterFileError(
        _("The file has more than %(limit)d rows, the most one upload may have. Split it.")
        % {"limit": max_rows}
    )


def _check_xlsx(data, max_rows: int | None, work: Work | None = None):
    """Refuse a zip bomb, XML entity declarations, more shared strings than cells and, with
    max_rows, too many rows or cells.

    Every part is unpacked once as a stream, counting the bytes it really yields (a zip's own
    size records can lie), before openpyxl parses anything. With max_rows, a row numbered
    beyond it (<row r="1048576">, which openpyxl would pad with a million empty rows) or a
    sheet declaring a size beyond it is refused too. openpyxl reads every shared string before
    the first row: 4 million tiny ones (70 MB unpacked) took 90 s and 530 MB; counting their
    tags here takes about a second. The scan keeps to the time budget.
    """
    work = work or Work()
    limit = XLSX_MAX_UNPACKED
    if max_rows is not None:
        limit = min(limit, XLSX_UNPACK_FACTOR * settings.ROSTER_UPLOAD_MAX_BYTES)
    unpacked = rows = cells_ = strings = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            for member in archive.infolist():
                tail = b""
                with archive.open(member) as part:
                    while chunk := part.read(1024 * 1024):
                        work.check_time()
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
                            rows += _count(_XLSX_ROW, text, tail)
                            cells_ += _count(_XLSX_CELL, text, tail)
                            if max_rows is not None and _numbers_beyond(text, max_rows):
                                raise _too_many_rows(max_rows)
                            if work.max_cells is not None and cells_ > work.max_cells:
                                raise _too_many_cells(work.max_cells)
                        elif member.filename.lower().endswith("sharedstrings.xml"):
                            strings += _count(_XLSX_STRING, text, tail)
                            if work.max_cells is not None and strings > work.max_cells:
                                raise RosterFileError(
                                    _(
                                        "The Excel file holds more than %(limit)d texts, more "
                                        "than an upload's rows can use. It was not read."
                                    )
                                    % {"limit": work.max_cells}
                                )
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
    if strings > cells_ + XLSX_STRINGS_SLACK:
        raise _too_many_strings(strings, cells_)


def _count(pattern: re.Pattern, text: bytes, tail: bytes) -> int:
    """Tags in text (tail + a new chunk) that were not already counted in tail."""
    return len(pattern.findall(text)) - len(pattern.findall(tail))


def _too_many_strings(strings: int, cells: int) -> RosterFileError:
    return RosterFileError(
        _(
            "The Excel file holds at least %(strings)d texts for %(cells)d cells; a spreadsheet "
            "program writes only the texts its cells use. It was not read."
        )
        % {"strings": strings, "cells": cells}
    )


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
    raise _unknown_encoding() from None


def _unknown_encoding() -> RosterFileError:
    return RosterFileError(
        _(
            "The file is neither a spreadsheet nor text in a known encoding. Save it from Excel "
            "or WPS as .xlsx, or as CSV (UTF-8 or GBK)."
        )
    )


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n")
    return controls == 0


def _read_csv(data) -> Iterator[list]:
    """The rows of a CSV as they are parsed; a file (not bytes) is decoded as a stream."""
    text = io.StringIO(decode(data), newline="") if isinstance(data, bytes) else _text(data)
    sample = text.read(5000)
    text.seek(0)
    delimiter = max([",", "\t", ";"], key=sample.count)
    try:
        for row in csv.reader(text, delimiter=delimiter):
            yield row[:MAX_COLUMNS]  # as many columns as a workbook's
    except csv.Error as error:
        message = _("The CSV file cannot be read: %(error)s") % {"error": error}
        raise RosterFileError(message) from None
    except UnicodeDecodeError as error:
        raise RosterFileError(
            _("The CSV file changes encoding at byte %(position)d. Save it again as UTF-8.")
            % {"position": error.start}
        ) from None


def _text(file) -> io.TextIOWrapper:
    """A binary file as text, its encoding told from its first bytes as decode() tells it."""
    sample = _head(file, _SAMPLE)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        try:  # final=False: a character cut at the sample's end is no error
            codecs.getincrementaldecoder("utf-8-sig")().decode(sample)
            encoding = "utf-8-sig"
        except UnicodeDecodeError:
            encoding = "gb18030"
    if not _looks_like_text(codecs.getincrementaldecoder(encoding)("replace").decode(sample)):
        raise _unknown_encoding()
    return io.TextIOWrapper(file, encoding=encoding, newline="")


def _read_xlsx(data, max_rows: int | None = None, work: Work | None = None) -> list[Sheet]:
    from openpyxl import load_workbook

    work = work or Work()
    try:
        # data_only=False: a formula cell gives its text (=1+1), never a cached result.
        source = io.BytesIO(data) if isinstance(data, bytes) else data
        workbook = load_workbook(source, read_only=True, data_only=False)
        # The workbook stays open while its sheets' rows are read; openpyxl's read-only
        # workbook closes its archive when it is collected.
        return [
            Sheet(ws.title, _opened(_xlsx_rows(ws, max_rows, work))) for ws in workbook.worksheets
        ]
    except RosterFileError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged workbook can fail anywhere inside
        raise _unreadable_xlsx(error) from None


def _unreadable_xlsx(error: Exception) -> RosterFileError:
    return RosterFileError(
        _("The Excel file cannot be opened (%(error)s). Save it again as .xlsx.")
        % {"error": error.__class__.__name__}
    )


def _opened(rows: Iterator[list]) -> Iterator[list]:
    """A sheet's rows, a damaged part found while they are read becoming a RosterFileError."""
    try:
        yield from rows
    except RosterFileError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged workbook can fail anywhere inside
        raise _unreadable_xlsx(error) from None


def _xlsx_rows(worksheet, max_rows: int | None = None, work: Work | None = None):
    from openpyxl.cell.read_only import EMPTY_CELL

    work = work or Work()
    # Some programs write a wrong size record (A1); read-only mode would trust it.
    worksheet.reset_dimensions()
    count = 0  # rows given so far
    # max_col: at most MAX_COLUMNS cells a row. max_row: openpyxl stops one row past the limit
    # (_check_xlsx refused such a file already; this holds if its scan was outwitted).
    last = None if max_rows is None else max_rows + 1
    for row in worksheet.iter_rows(max_col=MAX_COLUMNS, max_row=last):
        work.row(len(row))
        number = next((c.row for c in row if c is not EMPTY_CELL), None)
        if number is None:
            continue  # an empty row: its place is kept by the padding below
        if max_rows is not None and number > max_rows:
            raise _too_many_rows(max_rows)
        while count < number - 1:
            count += 1
            yield []
        # As long as the file's own row: max_col pads every row to MAX_COLUMNS cells.
        width = max(i for i, c in enumerate(row) if c is not EMPTY_CELL) + 1
        count += 1
        yield [_xlsx_value(c) for c in row[:width]]


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


def _read_xls(data: bytes, max_rows: int | None = None, work: Work | None = None) -> list[Sheet]:
    """The sheets of an old XLS, each sheet's size checked before a cell of it is read.

    Read whole (an XLS sheet has at most 65,536 rows, and xlrd parses a sheet at once); the
    time budget is checked after each sheet and the cells counted before they are converted.
    """
    import xlrd

    work = work or Work()
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
                work.check_time()
                for r in range(sheet.nrows):
                    work.row(min(sheet.row_len(r), MAX_COLUMNS))
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

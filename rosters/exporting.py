"""Roster export: the import's columns, so that an exported file imports again unchanged.

Beside them 序号 first and 状态 before 备注, which the import skips; 批次 as staff write it
(深圳第3批, cohorts/batchnames.py), which the import reads back. XLSX (what Excel and WPS users
should download) has the header row frozen, set column widths, and ID numbers and phones as text
cells in text-formatted (@) columns, so that editing them in Excel keeps every digit. CSV is
UTF-8 with a BOM (Excel opens it as UTF-8 rather than as GBK) and otherwise plain values, with no
tab or ="…" around ID numbers, which other readers would keep as stray characters (README,
"Rosters"). A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) keeps its text
behind a leading apostrophe ('=1+1), which the import removes again; in XLSX every cell is also
a string cell, never a formula. For a user without 可查看完整身份证号 the ID number is masked and
the date of birth is its month (cohorts/privacy.py); the import takes both back.

An export of more than settings.EXPORT_BACKGROUND_ROWS rows is made in the background by the same
writers and offered for download when ready (rosters/prepared.py); either way the asking is in
the access log.
"""

import csv
from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from django.conf import settings
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cohorts import privacy
from cohorts.batchnames import BatchNames
from cohorts.models import Batch
from cohorts.terms import today
from placements.models import Placement
from spreadsheets.formulas import CONTENT_TYPES, FORMATS, escape_formula  # noqa: F401

from . import columns


def can_see_full_id_numbers(user) -> bool:
    """The command line (no user) acts with full rights; on the web it takes a permission."""
    return privacy.shows_full_id(user)


def roster_queryset(placements):
    return placements.select_related("cadre", "batch__programme", "host_unit")


def placements_in_order(ids, chunk_size: int = 900) -> Iterator[Placement]:
    """The placements of `ids` in that order, read a chunk at a time (memory stays flat, and an
    IN list stays under SQLite's limit of parameters); ids no longer in the database are left
    out. What a background export writes from (rosters/prepared.py)."""
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        found = roster_queryset(Placement.objects.filter(pk__in=chunk)).in_bulk()
        yield from (found[pk] for pk in chunk if pk in found)


def _placements(placements) -> Iterator[Placement]:
    """A queryset is read with what a row needs, 2000 at a time; any other iterable of
    placements (placements_in_order) is taken as it comes."""
    if isinstance(placements, QuerySet):
        return roster_queryset(placements).iterator(chunk_size=2000)
    return iter(placements)


class RosterRows:
    """The rows of the export, header first: (values, as_text flags) per row. `rows` counts the
    placements written so far. Batch names are looked up once per export (2 queries).
    `placements` is a queryset, or placements already read with what a row needs."""

    def __init__(self, placements, full_ids: bool):
        self.placements, self.full_ids = placements, full_ids
        self.rows = 0
        headers = columns.export_headers()
        text_headers = {column.header for column in columns.COLUMNS if column.as_text}
        self.headers = headers
        self.as_text = [header in text_headers for header in headers]

    def __iter__(self) -> Iterator[list]:
        names = BatchNames()
        written = {}
        for placement in _placements(self.placements):
            if placement.batch_id not in written:
                written[placement.batch_id] = names.written(placement.batch)
            self.rows += 1
            values = roster_row(placement, self.full_ids, batch_name=written[placement.batch_id])
            values.insert(-1, columns.status_label(placement.status))
            yield [self.rows, *values]


def roster_row(placement: Placement, full_ids: bool, batch_name: str = "") -> list:
    """The cells of one placement, in the order of columns.COLUMNS; without `full_ids`, the ID
    number masked and the date of birth as its month (1985.10), as the import reads them."""
    cadre, term = placement.cadre, placement.term
    values = {
        "batch": batch_name or placement.batch.code,
        "name": cadre.name,
        "gender": columns.gender_label(cadre.gender),
        "birth_date": cadre.birth_date if full_ids else privacy.birth_month(cadre.birth_date),
        "id_number": (cadre.id_number if full_ids else cadre.masked_id_number) or "",
        "home_unit": placement.home_unit,
        "position": placement.position,
        "rank": columns.rank_label(placement.rank, placement.rank_tier),
        "category": columns.category_label(placement.category),
        "district": placement.district,
        "group": placement.group,
        "ethnicity": cadre.ethnicity,
        "political_status": cadre.political_status,
        "education": cadre.education,
        "host_unit": placement.host_unit.name if placement.host_unit else "",
        "host_role": placement.role,
        "start_date": term.start,
        "end_date": term.end,
        "phone": cadre.phone,
        "notes": placement.notes,
    }
    return [values[column.key] for column in columns.COLUMNS]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Line:
    """What csv.writer writes to: it hands the line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


class CsvChunks:
    """The CSV export as UTF-8 (byte-order mark first), a chunk of rows at a time: memory stays
    flat however many rows there are, and a web download starts before the last row is read.
    After iterating, `rows` is the number of rows written (the header not counted)."""

    def __init__(self, placements, full_ids: bool, rows_per_chunk: int = 1000):
        self.source = RosterRows(placements, full_ids)
        self.rows_per_chunk = rows_per_chunk

    @property
    def rows(self) -> int:
        return self.source.rows

    def __iter__(self) -> Iterator[bytes]:
        writer = csv.writer(_Line())
        lines = ["\ufeff" + writer.writerow(self.source.headers)]
        for values in self.source:
            lines.append(writer.writerow([escape_formula(_text(v)) for v in values]))
            if len(lines) >= self.rows_per_chunk:
                yield "".join(lines).encode()
                lines = []
        if lines:
            yield "".join(lines).encode()


def write_xlsx(placements, out: BinaryIO, full_ids: bool) -> int:
    source = RosterRows(placements, full_ids)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.freeze_panes = "A2"
    for index, header in enumerate(source.headers, start=1):
        width = columns.WIDTHS.get(header, 12)
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for text in source.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in source:
        sheet.append(
            [
                _xlsx_cell(sheet, v, as_text)
                for v, as_text in zip(values, source.as_text, strict=True)
            ]
        )
    workbook.save(out)
    return source.rows


def _xlsx_cell(sheet, value, as_text: bool = False):
    if isinstance(value, int):  # 序号
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=escape_formula(_text(value)))
    # Every value as a string cell: ID numbers keep their digits, =1+1 is never a formula.
    cell.data_type = "s"
    if as_text:
        cell.number_format = "@"  # and stays text when edited in Excel
    return cell


def write(placements, out, fmt: str, full_ids: bool) -> int:
    """Write the roster of `placements` to the binary stream `out`; the number of rows."""
    if fmt == "xlsx":
        return write_xlsx(placements, out, full_ids)
    chunks = CsvChunks(placements, full_ids)
    for chunk in chunks:
        out.write(chunk)
    return chunks.rows


def file_stem(placements, what: str = "花名册") -> str:
    """What a download holds and on which day: 深圳第3批-花名册-2026-11-29 when the rows are of
    one batch, 花名册-2026-11-29 otherwise (the extension is added by export_response).
    Chinese whatever the user's language, as the roster itself is."""
    batch_ids = list(placements.order_by().values_list("batch", flat=True).distinct()[:2])
    stamp = f"{today():%Y-%m-%d}"
    if len(batch_ids) != 1:
        return f"{what}-{stamp}"
    batch = Batch.objects.select_related("programme").get(pk=batch_ids[0])
    return f"{BatchNames().written(batch)}-{what}-{stamp}"


def is_big(placements) -> bool:
    """Whether `placements` holds more rows than settings.EXPORT_BACKGROUND_ROWS: one query that
    stops at the first row past the limit (LIMIT 1 OFFSET n) instead of counting them all."""
    limit = settings.EXPORT_BACKGROUND_ROWS
    return placements.order_by()[limit : limit + 1].exists()

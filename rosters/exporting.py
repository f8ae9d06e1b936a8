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

Rows are read as values (ROW_FIELDS), never as model instances, in one query read in chunks,
plus the batches and programmes once: memory stays flat and the queries do not grow with the
rows (tests/rosters/test_export_rows.py, which also holds the rows to what the model instances
give, byte for byte).

An export of more than settings.EXPORT_BACKGROUND_ROWS rows is made in the background by the same
writers and offered for download when ready (rosters/prepared.py); either way the asking is in
the access log.
"""

import csv
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import BinaryIO

from django.conf import settings
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cohorts import idnumbers, privacy
from cohorts.batchnames import BatchNames
from cohorts.models import Batch, Gender
from cohorts.terms import Term, today
from placements.models import Category, Placement, PlacementStatus
from spreadsheets.formulas import CONTENT_TYPES, FORMATS, escape_formulas  # noqa: F401

from . import columns


def can_see_full_id_numbers(user) -> bool:
    """The command line (no user) acts with full rights; on the web it takes a permission."""
    return privacy.shows_full_id(user)


# What a row is written from, read with values_list rather than as model instances (which cost
# more than all the rest of a row): the placement's fields, its cadre's and its host unit's name.
# The batch's 批次 and term come once per batch from BatchNames' own batches (_Batches). `pk`
# first: the background export puts rows back in the order asked, and a DISTINCT keeps one row
# per placement.
ROW_FIELDS = (
    "pk", "batch_id", "cadre__name", "cadre__gender", "cadre__birth_date", "cadre__id_number",
    "home_unit", "position", "rank", "rank_tier", "category", "district", "group",
    "cadre__ethnicity", "cadre__political_status", "cadre__education", "host_unit__name", "role",
    "start_date", "end_date", "cadre__phone", "status", "notes",
)  # fmt: skip


def placements_in_order(ids, chunk_size: int = 900) -> Iterator[tuple]:
    """The ROW_FIELDS of the placements of `ids` in that order, read a chunk at a time (memory
    stays flat, and an IN list stays under SQLite's limit of parameters); ids no longer in the
    database are left out. What a background export writes from (rosters/prepared.py)."""
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        rows = Placement.objects.filter(pk__in=chunk).order_by().values_list(*ROW_FIELDS)
        found = {row[0]: row for row in rows}
        yield from (found[pk] for pk in chunk if pk in found)


def _values(placements) -> Iterator[tuple]:
    """A queryset is read as ROW_FIELDS in its own order, 2000 rows at a time; any other
    iterable (placements_in_order) is taken as it comes."""
    if isinstance(placements, QuerySet):
        return placements.values_list(*ROW_FIELDS).iterator(chunk_size=2000)
    return iter(placements)


class _Batches(dict):
    """Batch id to (批次 as staff write it, e.g. 深圳第3批 (cohorts/batchnames.py), its
    term), worked out on the batch's first row from the batches BatchNames reads
    anyway (2 queries per export)."""

    def __init__(self):
        super().__init__()
        self.names = BatchNames()
        programmes = {programme.pk: programme for programme in self.names.programmes}
        self.batches = {}
        for batch in self.names.batches.values():
            batch.programme = programmes[batch.programme_id]
            self.batches[batch.pk] = batch

    def __missing__(self, batch_id: int) -> tuple[str, Term]:
        batch = self.batches.get(batch_id)
        if batch is None:  # added after BatchNames read them
            batch = Batch.objects.select_related("programme").get(pk=batch_id)
        self[batch_id] = facts = (self.names.written(batch) or batch.code, batch.term)
        return facts


class _Ranks(dict):
    """(rank, rank tier) to its label (正处级, or 处级 when only the tier is known)."""

    def __missing__(self, key: tuple[str, str]) -> str:
        self[key] = label = columns.rank_label(*key)
        return label


class _Days(dict):
    """2020-04-15 for a date, "" for None; each date written once per export (a roster holds
    few distinct dates: its terms, and at most one birth date a day)."""

    def __missing__(self, day: date | None) -> str:
        self[day] = text = day.isoformat() if day else ""
        return text


def _row_maker(full_ids: bool):
    """The function from (serial, ROW_FIELDS, batches) to the cells of one row: 序号, then the
    import's columns in the order of columns.COLUMNS with 状态 before 备注, every text as
    escape_formula writes it. Without `full_ids` the ID number is masked and the date of birth
    is its month (1985.10), as the import reads them (cohorts/privacy.py)."""
    gender_label = columns.labels(Gender).get
    category_label = columns.labels(Category).get
    status_label = columns.labels(PlacementStatus).get
    ranks = _Ranks()
    days = _Days()

    def row(serial: int, values: tuple, batches: _Batches) -> list:
        (_pk, batch_id, name, gender, born, id_number, home_unit, position, rank, rank_tier,
         category, district, group, ethnicity, political_status, education, host_unit, role,
         start, end, phone, status, notes) = values  # fmt: skip
        batch_name, batch_term = batches[batch_id]
        term = batch_term.with_own(start, end)
        texts = [
            batch_name, name, gender_label(gender, ""),
            days[born] if full_ids else privacy.birth_month(born),
            (id_number or "") if full_ids else idnumbers.mask(id_number),
            home_unit, position, ranks[rank, rank_tier], category_label(category, ""), district,
            group, ethnicity, political_status, education, host_unit or "", role,
            days[term.start], days[term.end], phone, status_label(status, ""),
            notes,
        ]  # fmt: skip
        return [serial, *escape_formulas(texts)]

    return row


class RosterRows:
    """The rows of the export, header first: (values, as_text flags) per row, 序号 a number and
    every other cell a text, formula-escaped. `rows` counts the placements written so far.
    `placements` is a queryset, or rows of ROW_FIELDS (placements_in_order). Queries: the
    placements (one, read in chunks), and the batches and programmes once (BatchNames)."""

    def __init__(self, placements, full_ids: bool):
        self.placements, self.full_ids = placements, full_ids
        self.rows = 0
        headers = columns.export_headers()
        text_headers = {column.header for column in columns.COLUMNS if column.as_text}
        self.headers = headers
        self.as_text = [header in text_headers for header in headers]

    def __iter__(self) -> Iterator[list]:
        batches = _Batches()
        row = _row_maker(self.full_ids)
        for values in _values(self.placements):
            self.rows += 1
            yield row(self.rows, values, batches)


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
        lines = []
        writer = csv.writer(SimpleNamespace(write=lines.append))  # each line into `lines`
        writer.writerow(self.source.headers)
        lines[0] = "\ufeff" + lines[0]
        rows = []
        for values in self.source:
            rows.append(values)
            if len(rows) >= self.rows_per_chunk:
                writer.writerows(rows)
                rows.clear()
                yield "".join(lines).encode()
                lines.clear()
        writer.writerows(rows)
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
    cell = WriteOnlyCell(sheet, value=value)  # a text, escaped by RosterRows
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

"""A roster's rows: what a row and a table are, each sheet's table found below its title, and
the whole-file check of one chunk (an ID number twice in a batch)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cohorts.models import Batch, Cadre
from placements.models import Placement
from spreadsheets import cells, reading
from spreadsheets.problems import Problem
from spreadsheets.tables import HEAD_ROWS, find_header

from .. import columns

if TYPE_CHECKING:
    from . import ImportResult


@dataclass(slots=True)  # a 100,000-row file makes 100,000 of them: no __dict__ each
class Row:
    """One person-in-a-batch row of the file, and what importing it does."""

    sheet: str
    number: int
    cells: list  # as read, for the error file
    values: dict = field(default_factory=dict)  # roster column key → parsed value
    headers: dict = field(default_factory=dict)  # roster column key → the file's header
    batch: Batch | None = None
    birth_precision: str = ""
    masked_id: str = ""
    problems: list[Problem] = field(default_factory=list)
    action: str = ""  # new, updated, unchanged or error
    changes: dict = field(default_factory=dict)  # label → (before, after), for the preview
    recorded: dict = field(default_factory=dict)  # field → [before, after], for the history
    cadre: Cadre | None = None
    placement: Placement | None = None

    def error(self, key: str, message: str):
        """Report a problem in the column `key` (a columns.COLUMNS key), by the file's header."""
        header = self.headers.get(key) or columns.BY_KEY[key].header
        self.problems.append(Problem(message, self.number, header, self.sheet))

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    def place(self, seen_from: Row) -> str:
        """This row's number, with its sheet when seen from another sheet: 5 or 5（崂山区）."""
        return (
            str(self.number) if self.sheet == seen_from.sheet else f"{self.number}（{self.sheet}）"
        )


@dataclass
class Table:
    sheet: reading.Sheet
    header_row: int  # index into sheet.rows
    columns: dict  # cell index → columns.Column
    headers: dict  # roster column key → the file's header text
    ignored: list[str]
    body: object = None  # the rows below the header: an iterator of (index, cells)


def _find_tables(result: ImportResult, sheets, batch):
    """Each sheet's header row: the first of its first HEAD_ROWS rows naming two roster columns."""
    heads = []
    for sheet in sheets:
        rows = iter(sheet.rows)
        head = list(islice(rows, HEAD_ROWS))
        heads.append((head, rows))
        found = find_header(head, columns.column_for_header, columns.EXPORT_ONLY)
        if found is None:
            continue  # a sheet of notes, or empty
        table = Table(sheet, found.index, found.columns, found.headers, found.ignored)
        table.body = chain(enumerate(head, 0), enumerate(rows, len(head)))
        table.body = islice(table.body, table.header_row + 1, None)
        missing = found.missing(_needed_columns(batch), sheet.name if len(sheets) > 1 else "")
        result.file_problems.extend(missing)
        if not missing:
            result.tables.append(table)
            result.ignored_columns.extend(
                c for c in table.ignored if c not in result.ignored_columns
            )
    if result.tables or result.file_problems:
        return
    if all(reading.is_blank(c) for head, rest in heads for r in chain(head, rest) for c in r):
        result.file_problems.append(Problem(_("The file is empty.")))
        return
    result.file_problems.append(
        Problem(
            _(
                "No header row found. A roster needs a row of column titles, at least %(columns)s, "
                "within its first 20 rows."
            )
            % {"columns": "、".join(c.header for c in columns.COLUMNS if c.required)}
        )
    )


def _needed_columns(batch) -> list:
    needed = [c for c in columns.COLUMNS if c.required]
    if batch is None:
        needed.insert(0, columns.BY_KEY["batch"])
    return needed


def _check_whole_file(rows: list[Row]):
    """The same ID number twice in one batch (one person may well be in two batches), within
    a chunk; across chunks _Seen finds them by the cadre the number matched."""
    rows_of = defaultdict(list)
    for row in rows:
        number = row.values.get("id_number")
        if number and row.batch and not cells.is_masked_id_number(number):
            rows_of[(number, row.batch.pk)].append(row)
    for rows in rows_of.values():
        for row in rows if len(rows) > 1 else []:
            others = "、".join(other.place(row) for other in rows if other is not row)
            row.error(
                "id_number",
                _("The same ID number is also in row %(rows)s of this file.") % {"rows": others},
            )


def _sheet_label(result: ImportResult, table: Table) -> str:
    return table.sheet.name if len(result.tables) > 1 else ""

"""Roster import, parsing the rows as they stream in: each cell parsed into a value or a
problem in its column, the row checked against itself (required columns, the ID number against
the birth date and the gender) and its batch found however the file names it; blank rows,
footers and the template's example row skipped. No queries but BatchNames' two.

rosters.importing streams the rows through these, then matches and writes them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cohorts import idnumbers
from cohorts.batchnames import BatchNames
from cohorts.models import Batch, Cadre
from cohorts.text import normalise_name, squeeze
from placements import ranks
from placements.models import HostUnit, Placement
from spreadsheets import cells
from spreadsheets.problems import Problem
from spreadsheets.tables import is_footer

from .. import columns
from .rows import Row, _sheet_label

if TYPE_CHECKING:
    from . import ImportResult

MEMO_SIZE = 100_000  # cells whose reading is kept, at most: memory stays bounded
TEXT_COLUMNS = {  # roster column → (model, field) for plain text
    "position": (Placement, "position"),
    "district": (Placement, "district"),
    "group": (Placement, "group"),
    "host_role": (Placement, "role"),
    "notes": (Placement, "notes"),
    "ethnicity": (Cadre, "ethnicity"),
    "political_status": (Cadre, "political_status"),
    "education": (Cadre, "education"),
}
# Control characters but tab and line ends (which a cell may hold): a roster's text has none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _parse_cell(row: Row, key: str, value, memo: dict):
    """Read one cell into row.values, or report why it cannot be read.

    Reading a cell is pure: it depends on the column and the cell alone, and a birth date on
    the batch's start as well (a two-digit year). A roster repeats its units, ranks, districts,
    groups and birth months on every row, so each is read once (memo); a cell that is no
    dictionary key is read every time.
    """
    start = None
    if key == "birth_date":
        start = row.batch.start_date if row.batch else None
    memo_key = (key, type(value), value, start)  # 1 and True and 1.0 read differently
    try:
        ok, outcome = memo[memo_key]
    except KeyError:
        ok, outcome = memo[memo_key] = _read_cell(key, value, start)
    except TypeError:
        ok, outcome = _read_cell(key, value, start)
    if not ok:
        row.error(key, outcome)
    elif key == "birth_date":
        row.values[key], row.birth_precision = outcome
    else:
        row.values[key] = outcome


def _read_cell(key: str, value, start: date | None) -> tuple[bool, object]:
    """(True, the value read) or (False, why it cannot be read)."""
    if isinstance(value, str) and (control := _CONTROL.search(value)):
        # The database refuses a NUL, and a spreadsheet cannot hold any of them: say where.
        return False, _(
            "The cell holds a control character (U+%(code)04X), which a roster cannot hold. "
            "Delete it in the file and upload it again."
        ) % {"code": ord(control[0])}
    try:
        return True, _parse_value(key, value, start)
    except cells.CellError as error:
        return False, str(error)


def _parse_value(key: str, value, start: date | None):
    if key == "batch":
        return squeeze(cells.text(value))
    if key == "name":
        return _fits(normalise_name(cells.text(value)), Cadre, "name")
    if key == "gender":
        try:
            return columns.parse_gender(cells.text(value))
        except ValueError:
            raise cells.CellError(
                _("Gender is 男 or 女, not %(value)s.") % {"value": cells.text(value)}
            ) from None
    if key == "birth_date":
        # (date, precision), read after the batch: a two-digit year depends on its start.
        return cells.birth_month(value, on=start)
    if key == "id_number":
        return cells.id_number(value)
    if key == "phone":
        return cells.phone(value)
    if key == "rank":
        try:
            return ranks.parse(cells.text(value))
        except ValueError:
            raise cells.CellError(
                _("%(value)s is not a rank: write it as in 正处级, 副处, 一级调研员, 科员 or 处级.")
                % {"value": cells.text(value)}
            ) from None
    if key == "category":
        try:
            return columns.parse_category(cells.text(value))
        except ValueError:
            raise cells.CellError(
                _("%(value)s is not a category; use one of %(choices)s.")
                % {"value": cells.text(value), "choices": columns.category_spellings()}
            ) from None
    if key in ("start_date", "end_date"):
        return cells.full_date(value)
    text = squeeze(cells.text(value))
    model, name = {"home_unit": (Placement, "home_unit"), "host_unit": (HostUnit, "name")}.get(
        key
    ) or TEXT_COLUMNS[key]
    return _fits(text, model, name)


def _fits(text: str, model, field_name: str) -> str:
    limit = model._meta.get_field(field_name).max_length
    if limit and len(text) > limit:
        raise cells.CellError(
            _("%(count)d characters is too long; at most %(limit)d.")
            % {"count": len(text), "limit": limit}
        )
    return text


def _check_row(row: Row):
    reported = {p.column for p in row.problems}
    for column in columns.COLUMNS:
        missing = column.required and not row.values.get(column.key)
        if missing and row.headers.get(column.key) not in reported:
            row.error(column.key, _("This column must not be empty."))
    number, born = row.values.get("id_number"), row.values.get("birth_date")
    if not number or cells.is_masked_id_number(number):
        return
    id_born, id_gender = idnumbers.birth_date(number), idnumbers.gender(number)
    if born and not cells.same_birth(born, row.birth_precision, id_born):
        row.error(
            "birth_date",
            _("The ID number says born on %(id_date)s, but the file says %(date)s.")
            % {"id_date": id_born.isoformat(), "date": _show_birth(born, row.birth_precision)},
        )
    gender = row.values.get("gender")
    if gender and gender != id_gender:
        row.error(
            "gender",
            _("The ID number says %(id_gender)s, but the file says %(gender)s.")
            % {
                "id_gender": columns.gender_label(id_gender),
                "gender": columns.gender_label(gender),
            },
        )


def _show_birth(born: date, precision: str) -> str:
    return f"{born:%Y.%m}" if precision == cells.MONTH else born.isoformat()


def _resolve_batch(row: Row, given: Batch | None, names: BatchNames):
    written = cells.text(row.values.pop("batch", "")) if "batch" in row.values else ""
    if not written:
        row.batch = given
        if given is None:
            row.error("batch", _("This column must not be empty."))
        return
    found = names.find(written)
    if found is None:
        row.error("batch", _("There is no batch %(batch)s.") % {"batch": written})
    elif given and found != given:
        row.error(
            "batch",
            _("The file names %(written)s, but the import is for %(batch)s.")
            % {"written": written, "batch": given},
        )
    else:
        row.batch = found


def _parse_rows(result: ImportResult, batch: Batch | None):
    """The file's rows, parsed and checked one by one as they stream in."""
    batches = BatchNames()
    memo = {}  # (column, cell's type, cell, batch start) → what reading it gave
    cut_short, ending_in_000 = 0, []  # ID numbers Excel cut short; valid ones ending in 000
    for table in result.tables:
        sheet_label = _sheet_label(result, table)
        keys = [(i, column.key) for i, column in table.columns.items()]
        for index, cells_ in table.body:
            filled = _filled(keys, cells_)
            if not filled or is_footer(cells_) or _is_example(cells_):
                continue  # blank where it matters (序号 filled ahead), a footer, the example
            row = Row(sheet_label, index + 1, cells_, headers=table.headers)
            later = []  # the birth date, read once the row's batch is known
            for key, value in filled:
                if key == "birth_date":
                    later.append(value)
                else:
                    _parse_cell(row, key, value, memo)
                if key == "id_number" and cells.looks_cut_by_excel(value):
                    cut_short += 1
            _resolve_batch(row, batch, batches)
            for value in later:
                _parse_cell(row, "birth_date", value, memo)
            _check_row(row)
            if str(row.values.get("id_number", "")).endswith("000"):
                ending_in_000.append(_suspect(row))
            if len(memo) > MEMO_SIZE:
                memo.clear()  # ID numbers and phones are new on every row: keep memory bounded
            yield row
    if cut_short:
        result.suspect_id_numbers = ending_in_000


def _suspect(row: Row) -> Problem:
    header = row.headers.get("id_number") or columns.BY_KEY["id_number"].header
    message = _(
        "%(number)s ends in 000, as the ID numbers that Excel cut short in this file do. It "
        "passes its check, but compare it with the person's ID card."
    ) % {"number": row.values["id_number"]}
    return Problem(message, row.number, header, row.sheet)


def _filled(keys: list[tuple[int, str]], cells_) -> list[tuple[str, object]]:
    """(column key, cell) of the table's columns that are not blank (reading.is_blank), in
    the table's order: none for a row blank where it matters."""
    count = len(cells_)
    return [
        (key, value)
        for i, key in keys
        if i < count
        and (value := cells_[i]) is not None
        and (value.strip() if isinstance(value, str) else True)
    ]


def _is_example(cells_) -> bool:
    """The blank template's example row, left in by mistake."""
    try:
        if columns.EXAMPLE_MARK not in "".join(cells_):  # a row of text, at C speed
            return False
    except TypeError:  # a cell that is not text: look at each
        pass
    return any(isinstance(c, str) and c.strip() == columns.EXAMPLE_MARK for c in cells_)

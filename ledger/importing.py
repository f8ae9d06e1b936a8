"""Duty progress from a spreadsheet, in the roster's style: every row or none.

The file is read by the roster's reader (CSV in any Chinese encoding, XLSX, XLS), its header
found and its cells parsed the same way, and each error reported beside its spreadsheet row, in
the user's language. A cadre is found in the batch by ID number (by its masked form alone for
a user who may not see ID numbers in full, so that an upload is no way to test a guessed
number), else by name (two of the same name are an error, never a guess); a duty by its name in
the batch's list. A fixed number of queries: the batches (only when the file names them), the
placements of the batches named, their duties, what is stored on the file's days for the duties
done once a period, then one bulk insert.

With `progress`, the import tells how far it has got, for a page's progress bar (a large upload
imported by the worker, ledger/uploads.py): progress(phase, rows) with phase "read" (rows read
from the file, every PROGRESS_EVERY), "checked" (rows checked, once: they are checked as a set)
and "written" (entries written, every WRITE_CHUNK). An exception it raises stops the import like
any other: nothing is written.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cohorts import idnumbers, privacy
from cohorts.batchnames import BatchNames
from cohorts.models import Batch
from cohorts.terms import today
from cohorts.text import normalise_name, squeeze
from placements.models import Placement
from spreadsheets import cells, reading
from spreadsheets.problems import ImportResultBase, Problem
from spreadsheets.tables import find_header, header_key, is_footer

from .models import ProgressEntry
from .signals import announce_ledger_changed
from .statistics import duties_of


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    spellings: tuple[str, ...] = ()


COLUMNS = [
    Column("batch", "批次", spellings=("实训批次",)),
    Column("name", "姓名", required=True),
    Column("id_number", "身份证号", spellings=("身份证号码", "公民身份号码")),
    Column("duty", "任务", required=True, spellings=("必做任务", "任务名称", "项目")),
    Column("date", "日期", required=True, spellings=("完成日期",)),
    Column("count", "数量", spellings=("次数", "完成数量")),
    Column("note", "备注", spellings=("说明",)),
]
_HEADERS = {
    header_key(spelling): column
    for column in COLUMNS
    for spelling in (column.header, column.key, *column.spellings)
}
MAX_COUNT = 1000
FULL_WIDTH_DIGITS = {0xFF10 + n: str(n) for n in range(10)}
NOTE_LENGTH = ProgressEntry._meta.get_field("note").max_length
PROGRESS_EVERY = 500  # rows read between two reports of progress
WRITE_CHUNK = 1000  # entries inserted at a time when progress is told


@dataclass
class EntryRow:
    sheet: str
    number: int
    headers: dict
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    entry: ProgressEntry | None = None

    def error(self, key: str, message: str):
        header = self.headers.get(key, "")
        self.problems.append(Problem(message, self.number, header, self.sheet))


@dataclass
class ProgressImport(ImportResultBase):
    written: int = 0

    def counts(self) -> dict:
        return {"entries": len(self.rows)}


def import_progress(
    data: bytes,
    file_name: str,
    *,
    batch: Batch | None = None,
    user=None,
    dry_run=False,
    max_rows: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ProgressImport:
    """Import progress entries; `batch` is the only batch allowed (the lead's upload) or, for a
    file without a 批次 column, the batch of every row. `max_rows` is the web's limit;
    `progress(phase, rows)` is told how far the import has got (module docstring)."""
    result = ProgressImport(file_name, dry_run)
    try:
        sheets, read = [], 0
        for sheet in reading.stream(data, file_name, max_rows):
            sheets.append(reading.Sheet(sheet.name, list(_told(sheet.rows, progress, read))))
            read += len(sheets[-1].rows)
    except reading.RosterFileError as error:
        result.file_problems.append(Problem(str(error)))
        return result
    for sheet in sheets:
        _read_sheet(result, sheet, batch, several=len(sheets) > 1)
    if not result.file_problems and not result.rows:
        result.file_problems.append(
            Problem(
                _("No progress found: the file needs a header row with %(columns)s.")
                % {"columns": "、".join(c.header for c in COLUMNS if c.required)}
            )
        )
    if result.file_problems:
        return result
    _match(result, batch, user)
    if progress is not None:
        progress("checked", len(result.rows))
    if result.ok and not dry_run:
        entries = [row.entry for row in result.rows]
        with transaction.atomic():
            if progress is None:
                ProgressEntry.objects.bulk_create(entries)
            for start in range(0, len(entries), WRITE_CHUNK) if progress else ():
                ProgressEntry.objects.bulk_create(entries[start : start + WRITE_CHUNK])
                progress("written", min(start + WRITE_CHUNK, len(entries)))
            announce_ledger_changed()
        result.written = len(result.rows)
    return result


def _told(rows, progress, before: int):
    """The rows, telling `progress` every PROGRESS_EVERY rows read (`before` read already, on
    the file's earlier sheets) and at the end."""
    if progress is None:
        yield from rows
        return
    count = before
    for count, row in enumerate(rows, before + 1):
        if count % PROGRESS_EVERY == 0:
            progress("read", count)
        yield row
    progress("read", count)


def _read_sheet(result, sheet, batch, several):
    header = find_header(sheet.rows, lambda cell: _HEADERS.get(header_key(cell)))
    if header is None:
        return
    label = sheet.name if several else ""
    needed = [c for c in COLUMNS if c.required] + ([] if batch else [COLUMNS[0]])
    missing = header.missing(needed, label)
    result.file_problems.extend(missing)
    if missing:
        return
    for index in range(header.index + 1, len(sheet.rows)):
        cells_ = sheet.rows[index]
        if all(reading.is_blank(c) for c in cells_) or is_footer(cells_):
            continue
        row = EntryRow(label, index + 1, header.headers)
        for i, column in header.columns.items():
            value = cells_[i] if i < len(cells_) else None
            if not reading.is_blank(value):
                _parse(row, column.key, value)
        result.rows.append(row)


def _parse(row: EntryRow, key: str, value):
    try:
        if key == "date":
            row.values[key] = _date(value)
        elif key == "count":
            row.values[key] = _count(value)
        elif key == "id_number":
            row.values[key] = cells.id_number(value)
        elif key == "name":
            row.values[key] = normalise_name(cells.text(value))
        else:
            row.values[key] = squeeze(cells.text(value))
    except cells.CellError as error:
        row.error(key, str(error))


def _date(value) -> date:
    try:
        return cells.full_date(value)
    except cells.CellError:
        # The roster's message suggests a birth month; a progress date is a day.
        raise cells.CellError(
            _("%(value)s is not a date; write it as 2020-04-15.") % {"value": cells.text(value)}
        ) from None


def _count(value) -> int:
    """A whole number from 1 to MAX_COUNT in ASCII or full-width digits (３), nothing else:
    "²" and "①" (which NFKC would read as 2 and 1, and int() refuses or misreads) are no count."""
    text = cells.text(value).translate(FULL_WIDTH_DIGITS)
    if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= MAX_COUNT:
        raise cells.CellError(
            _("%(value)s is not a count; write a whole number from 1 to %(max)d.")
            % {"value": text, "max": MAX_COUNT}
        )
    return int(text)


def _match(result: ProgressImport, batch: Batch | None, user):
    # Batch names as the roster import reads them (SZ-3, 深圳第3批, 上海第五批, full-width),
    # looked up only when a row names one; placements only of the batches the rows name (on a
    # lead's upload, of the lead's batch alone: a row naming another is an error).
    names = BatchNames() if any("batch" in row.values for row in result.rows) else None
    targets = [_row_batch(row, batch, names) for row in result.rows]
    batches = {b.pk: b for b in targets if b is not None}
    placements = Placement.objects.filter(batch__in=list(batches)).select_related("cadre")
    # A user who may not see ID numbers in full is matched on the masked number alone: were a
    # full number checked, each row refused or accepted would tell whether a guess is right.
    key = (lambda number: number) if privacy.shows_full_id(user) else idnumbers.mask
    for row in result.rows:
        if "id_number" in row.values:
            row.values["id_number"] = key(row.values["id_number"])
    by_id, by_name = {}, {}
    for p in placements:
        p.batch = batches[p.batch_id]
        if p.cadre.id_number:
            by_id.setdefault((p.batch_id, key(p.cadre.id_number)), []).append(p)
        by_name.setdefault((p.batch_id, p.cadre.name), []).append(p)
    duties = {
        (batch_id, duty.name): duty
        for batch_id, listed in duties_of(batches.values()).items()
        for duty in listed
    }
    for row, target in zip(result.rows, targets, strict=True):
        if target is None:
            continue
        placement = _placement(row, target, by_id, by_name)
        for key, message in (
            ("duty", _("The duty is missing.")),
            ("date", _("The date is missing.")),
        ):
            if key not in row.values and not any(
                p.column == row.headers[key] for p in row.problems
            ):
                row.error(key, message)
        duty = duties.get((target.pk, row.values.get("duty", "")))
        if "duty" in row.values and duty is None:
            row.error(
                "duty",
                _("%(batch)s has no duty called %(duty)s.")
                % {"batch": target, "duty": row.values["duty"]},
            )
        count = row.values.get("count", 1)
        if duty is not None:
            try:
                duty.check_count(count)
            except ValidationError as error:
                row.error("count", " ".join(error.messages))
        note = row.values.get("note", "")
        if len(note) > NOTE_LENGTH:
            row.error(
                "note",
                _("The note has %(length)d characters; at most %(max)d fit.")
                % {"length": len(note), "max": NOTE_LENGTH},
            )
        on = row.values.get("date")
        if placement and on:
            _check_date(row, placement, on)
        if placement and duty and on and not row.problems:
            row.entry = ProgressEntry(
                placement=placement,
                duty=duty,
                date=on,
                count=count,
                note=note,
                recorded_by=user,
            )
    _check_duplicates(result, batches)


def _check_duplicates(result: ProgressImport, batches: dict):
    """A duty done once a period (a day's log, a week's reflection, a weekend's visit) is
    recorded once a day: a second row of the same cadre, duty and date in the file, or one
    already stored (a file imported twice), is refused beside its row. Counted targets may
    have several entries a day (three visits in the morning, two in the afternoon)."""
    rows = [r for r in result.rows if r.entry is not None and r.entry.duty.per_period]
    if not rows:
        return
    dates = [r.entry.date for r in rows]
    stored = set(
        ProgressEntry.objects.filter(
            placement__batch__in=list(batches),
            duty__in={r.entry.duty.pk for r in rows},
            date__range=(min(dates), max(dates)),
        ).values_list("placement", "duty", "date")
    )
    first = {}
    for row in rows:
        entry = row.entry
        key = (entry.placement.pk, entry.duty.pk, entry.date)
        if key in stored:
            row.error(
                "date",
                _("%(duty)s of %(date)s is already recorded for %(names)s.")
                % {"duty": entry.duty, "date": entry.date, "names": entry.placement.cadre.name},
            )
        elif key in first:
            row.error(
                "date",
                _("%(name)s's %(duty)s of %(date)s is also in row %(row)d.")
                % {
                    "name": entry.placement.cadre.name,
                    "duty": entry.duty,
                    "date": entry.date,
                    "row": first[key].number,
                },
            )
        else:
            first[key] = row
    for row in rows:
        if row.problems:
            row.entry = None


def _row_batch(row: EntryRow, given: Batch | None, names: BatchNames | None) -> Batch | None:
    written = row.values.get("batch")
    if not written:
        if given is None:
            row.error("batch", _("The batch is missing."))
        return given
    found = names.find(written)
    if found is None:
        row.error("batch", _("There is no batch %(batch)s.") % {"batch": written})
    elif given is not None and found != given:
        row.error(
            "batch",
            _("This file is for %(batch)s; the row names %(other)s.")
            % {"batch": given, "other": found},
        )
        return None
    return found


def _placement(row: EntryRow, batch: Batch, by_id, by_name) -> Placement | None:
    if "id_number" in row.values:
        found = by_id.get((batch.pk, row.values["id_number"]), [])
        name = row.values.get("name")
        if len(found) > 1:  # masked numbers alike: the name tells which
            found = [p for p in found if p.cadre.name == name] or found
        if not found:
            row.error(
                "id_number", _("No cadre of %(batch)s has this ID number.") % {"batch": batch}
            )
            return None
        if len(found) > 1 and name in {p.cadre.name for p in found}:
            row.error(
                "name",
                _(
                    "%(batch)s has %(count)d cadres called %(name)s whose masked ID numbers are "
                    "alike: record their progress on the duty page."
                )
                % {"batch": batch, "count": len(found), "name": name},
            )
            return None
        if name and name not in {p.cadre.name for p in found}:
            row.error(
                "name",
                _("The ID number is %(name)s's, not %(given)s's.")
                % {"name": "、".join(p.cadre.name for p in found), "given": name},
            )
        return found[0]
    name = row.values.get("name")
    if not name:
        row.error("name", _("The name is missing."))
        return None
    candidates = by_name.get((batch.pk, name), [])
    if not candidates:
        row.error(
            "name", _("%(batch)s has no cadre called %(name)s.") % {"batch": batch, "name": name}
        )
        return None
    if len(candidates) > 1:
        row.error(
            "name",
            _("%(batch)s has %(count)d cadres called %(name)s: add the ID number.")
            % {"batch": batch, "count": len(candidates), "name": name},
        )
        return None
    return candidates[0]


def _check_date(row: EntryRow, placement: Placement, on: date):
    term = placement.term
    if term.days is None or not term.start <= on <= term.end:
        row.error(
            "date",
            _("The date must lie inside the term, %(start)s to %(end)s.")
            % {"start": term.start or "—", "end": term.end or "—"},
        )
    elif on > today():
        row.error("date", _("The date is in the future."))

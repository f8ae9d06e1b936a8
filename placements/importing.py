"""Roster import: read → find the header → normalise → whole-file checks → upsert, all or nothing.

One code path for the admin, the command line and later pages. No query per row: the file is
parsed in Python, the people, placements and host units it names are fetched in a handful of
set-based queries, and the changes are written with bulk inserts and updates in one
transaction. Matching follows the natural keys: a person by ID number, else by name, birth date
and home unit (ambiguity is an error, never a guess); a placement by (cadre, batch). So the same
file imported twice changes nothing, and a corrected file updates in place.

A blank cell keeps what is stored: a roster sent again without host units does not unplace the
cadres that staff have placed since.

Memory is bounded by ROWS_PER_CHUNK, not by the file: the command line's file streams in, and
its rows are matched and written a chunk at a time inside the one transaction, later chunks
matching what earlier ones wrote. Whole-file checks keep only keys of earlier chunks (_Seen).
A file of more than one chunk is written even on a dry run or after a problem, so every chunk
is checked as the import would check it, and rolled back at the end: all or nothing still.
Queries grow with the chunks (the same dozen or so per chunk), never with the rows. A web
upload (max_rows) is one chunk, its rows kept for the preview and the error file.

Imports run one at a time, whatever batches they name (_serialise_imports), so one person is
never made twice; the cadres and placements an import updates get a new version and are held
until it commits, so an edit opened before it is refused instead of overwriting it. What the
database still refuses is a message in the result, never a traceback.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain, islice

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadreprog.bulk import bulk_insert
from cohorts.models import Batch, Cadre

from . import cells, reading, roster
from .import_matching import CADRE_FIELDS, PLACEMENT_FIELDS, _Matcher, _Seen
from .import_rows import (  # noqa: F401 - BatchNames is imported from here (ledger.importing)
    BatchNames,
    _check_row,
    _parse_cell,
    _resolve_batch,
)
from .models import HostUnit, Placement, RosterImport, RosterImportChange
from .signals import announce_roster_changed

FOOTER_WORDS = ("合计", "总计", "共计", "小计", "以上", "填表人", "审核人", "制表人", "制表",
                "填报人", "填报单位", "填表日期", "填报日期", "审核", "负责人", "联系人", "盖章",
                "注：", "注:", "备注：", "备注:", "说明")  # fmt: skip
ROWS_PER_CHUNK = 5000  # rows matched and written at a time: about 30 MB of objects
MAX_PROBLEMS = 10_000  # problems kept of a file of several chunks; the rest are counted


@dataclass
class Problem:
    """An error, where the spreadsheet shows it: sheet, row (its own numbering), column."""

    message: str
    row: int | None = None
    column: str = ""
    sheet: str = ""

    def as_dict(self) -> dict:
        found = {"row": self.row, "column": self.column, "message": self.message}
        return found | ({"sheet": self.sheet} if self.sheet else {})

    def __str__(self):
        where = []
        if self.sheet:
            where.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{'，'.join(where)}：{self.message}" if where else self.message


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
        """Report a problem in the column `key` (a roster.COLUMNS key), by the file's header."""
        header = self.headers.get(key) or roster.BY_KEY[key].header
        self.problems.append(Problem(message, self.number, header, self.sheet))

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    def place(self, seen_from: "Row") -> str:
        """This row's number, with its sheet when seen from another sheet: 5 or 5（崂山区）."""
        return (
            str(self.number) if self.sheet == seen_from.sheet else f"{self.number}（{self.sheet}）"
        )


@dataclass
class Table:
    sheet: reading.Sheet
    header_row: int  # index into sheet.rows
    columns: dict  # cell index → roster.Column
    headers: dict  # roster column key → the file's header text
    ignored: list[str]
    body: object = None  # the rows below the header: an iterator of (index, cells)


@dataclass
class ImportResult:
    file_name: str
    dry_run: bool
    rows: list[Row] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    new_host_units: list[str] = field(default_factory=list)
    # new unit's name → known units it resembles, for staff to check before confirming
    resembling_host_units: dict[str, list[str]] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    roster_import: RosterImport | None = None
    # Of the rows of earlier chunks, let go once they are done: what they did, their problems
    # (the first MAX_PROBLEMS, the rest counted) and their batches.
    done: dict = field(default_factory=lambda: defaultdict(int))
    done_problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    done_batches: set = field(default_factory=set)

    def count(self, action: str) -> int:
        return self.done[action] + sum(1 for row in self.rows if row.action == action)

    @property
    def problems(self) -> list[Problem]:
        found = self.done_problems + [p for row in self.rows for p in row.problems]
        return self.file_problems + found

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems

    @property
    def ok(self) -> bool:
        return not (self.more_problems or self.problems)

    @property
    def batches(self) -> list[Batch]:
        found = self.done_batches | {row.batch for row in self.rows if row.batch}
        return sorted(found, key=lambda b: b.code)

    def let_go(self, rows: list[Row]):
        """Keep what the rows did and let them go (a chunk done, not the file's last)."""
        for row in rows:
            if row.problems:
                row.action = "error"
            self.done[row.action] += 1
            if row.batch:
                self.done_batches.add(row.batch)
            self.add_problems(row.problems)
        self.rows = []

    def add_problems(self, problems: list[Problem]):
        room = max(MAX_PROBLEMS - len(self.done_problems), 0)
        self.done_problems.extend(problems[:room])
        self.more_problems += max(len(problems) - room, 0)

    def as_json(self) -> dict:
        return {
            "new": self.count("new"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "errors": [problem.as_dict() for problem in self.problems],
            "dry_run": self.dry_run,
        }


def import_roster(
    data,
    file_name: str,
    *,
    batch: Batch | None = None,
    user=None,
    dry_run: bool = False,
    source: str = RosterImport.Source.COMMAND,
    max_rows: int | None = None,
) -> ImportResult:
    """Import a roster file (bytes, or a binary file read as a stream); with dry_run, only
    report what importing it would do.

    max_rows refuses a longer file before it is parsed (the web's limit; the command has none),
    and keeps every row in result.rows. Without it, a file of more than ROWS_PER_CHUNK rows
    keeps only counts and the first MAX_PROBLEMS problems.
    """
    result = ImportResult(file_name, dry_run)
    try:
        sheets = reading.stream(data, file_name, max_rows=max_rows)
        if max_rows is not None:  # bounded: the preview and the error file show every row
            sheets = [reading.Sheet(sheet.name, list(sheet.rows)) for sheet in sheets]
        _find_tables(result, sheets, batch)
        if not result.file_problems:
            size = ROWS_PER_CHUNK if max_rows is None else None
            _import_chunks(result, _chunked(_parse_rows(result, batch), size), user, source)
    except reading.RosterFileError as error:
        result.file_problems.append(Problem(str(error)))
    except IntegrityError:
        # Only if something other than an import wrote the same person or unit meanwhile.
        result.file_problems.append(
            Problem(
                _(
                    "At the same moment someone else saved the same people or host units, so "
                    "nothing was written. Import the file again: it will match what they saved."
                )
            )
        )
    except DatabaseError as error:
        result.file_problems.append(
            Problem(
                _("The database refused the import, nothing was written: %(error)s")
                % {"error": error}
            )
        )
    if not result.ok:
        result.roster_import = None  # rolled back with the rest
    return _finish(result, user, source)


def _import_chunks(result: ImportResult, chunks, user, source):
    """Match and write chunk after chunk in one transaction; roll back unless all went well.

    One chunk (a small file, a web upload) is written only if it is right and not a dry run,
    as ever. Several are each written as they are matched, so that the next matches what the
    last wrote; the transaction is rolled back at the end on a dry run or any problem.
    """
    seen = _Seen([_sheet_label(result, table) for table in result.tables])
    chunk = next(chunks, [])
    if not chunk:
        result.file_problems.append(Problem(_("The file has a header row but no people below it.")))
        return
    with transaction.atomic():
        after = next(chunks, None)
        several = after is not None
        writing = several or not result.dry_run
        if writing:
            _serialise_imports()
        while chunk:
            _check_whole_file(chunk)
            if writing:
                _lock_batches({row.batch for row in chunk if row.batch})
            result.rows = chunk
            _Matcher(result, chunk, lock=writing).run()
            for problem, action in seen.check(chunk):
                result.done[action] -= 1
                result.done["error"] += 1
                result.add_problems([problem])
            if writing and (several or result.ok):
                _write(chunk)
                if several:
                    if result.roster_import is None:
                        result.roster_import = _record(result, user, source, changes=False)
                    _record_changes(result.roster_import, chunk)
            if several:
                seen.add(chunk)
                result.let_go(chunk)
            chunk, after = after, (next(chunks, None) if after is not None else None)
        if several:
            result.done_problems.sort(key=lambda p: (seen.sheets.index(p.sheet), p.row or 0))
        if not writing or not result.ok or result.dry_run:
            transaction.set_rollback(writing)
            result.roster_import = None
            return
        transaction.on_commit(announce_roster_changed)
        if several:
            _update_record(result)
        else:
            result.roster_import = _record(result, user, source)


def _chunked(rows, size: int | None):
    """Lists of `size` rows (all in one, without size)."""
    if size is None:
        yield list(rows)
        return
    while chunk := list(islice(rows, size)):
        yield chunk


def _sheet_label(result: ImportResult, table: Table) -> str:
    return table.sheet.name if len(result.tables) > 1 else ""


# Any constant of the project's own: the key of the one advisory lock that imports take.
IMPORT_LOCK = 0x6361_6472_6501  # "cadre", 1


def _serialise_imports():
    """Imports run one after the other, whatever batches they name: each matches what the last
    wrote, so two imports of one person into two batches make one cadre, not two.

    Taken first in the transaction, before matching reads anything, and held until it ends.
    PostgreSQL: one transaction-level advisory lock (a one-chunk dry run, which writes nothing,
    takes none). SQLite: transactions start IMMEDIATE (settings), so writers queue at BEGIN.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _lock_batches(batches: list[Batch]):
    """Edits of the batches being imported wait for the import (imports wait for each other
    in _serialise_imports). PostgreSQL: the batch rows are locked in id order, held until
    commit; NO KEY so that placements referring to the batch can still be written meanwhile.
    """
    ids = sorted(batch.pk for batch in batches)
    list(
        Batch.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values("pk")
    )


def _finish(result: ImportResult, user, source) -> ImportResult:
    for row in result.rows:
        if row.problems:
            row.action = "error"
    if not result.ok and not result.dry_run:
        record_refusal(result, user, source)
    return result


def record_refusal(result: ImportResult, user, source) -> RosterImport:
    """Keep a refused file in the import history (the admin's preview is a dry run)."""
    result.roster_import = _record(result, user, source)
    return result.roster_import


# Finding the header


def _find_tables(result: ImportResult, sheets, batch):
    """Each sheet's header row: the first of its first 20 rows naming two roster columns."""
    heads = []
    for sheet in sheets:
        rows = iter(sheet.rows)
        head = list(islice(rows, 20))
        heads.append((head, rows))
        table = _header(sheet, head)
        if table is None:
            continue  # a sheet of notes, or empty
        table.body = chain(enumerate(head, 0), enumerate(rows, len(head)))
        table.body = islice(table.body, table.header_row + 1, None)
        missing = _missing_columns(table, batch)
        for column in missing:
            result.file_problems.append(
                Problem(
                    _("The required column %(column)s is missing.") % {"column": column},
                    table.header_row + 1,
                    column,
                    sheet.name if len(sheets) > 1 else "",
                )
            )
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
            % {"columns": "、".join(c.header for c in roster.COLUMNS if c.required)}
        )
    )


def _header(sheet, head: list) -> Table | None:
    for index, cells_ in enumerate(head):
        found, headers, ignored = {}, {}, []
        for i, cell in enumerate(cells_):
            column = roster.column_for_header(cell)
            if column and column.key not in headers:
                found[i], headers[column.key] = column, cells.text(cell)
            elif (
                not reading.is_blank(cell) and roster.header_key(cell) not in roster.IGNORED_HEADERS
            ):
                ignored.append(cells.text(cell))  # unknown, or a second header for one column
        if len(found) >= 2:
            return Table(sheet, index, found, headers, ignored)
    return None


def _missing_columns(table: Table, batch) -> list[str]:
    needed = [c for c in roster.COLUMNS if c.required]
    if batch is None:
        needed.insert(0, roster.BY_KEY["batch"])
    return [c.header for c in needed if c.key not in table.headers]


# Parsing the rows


def _parse_rows(result: ImportResult, batch: Batch | None):
    """The file's rows, parsed and checked one by one as they stream in."""
    batches = BatchNames()
    memo = {}  # (column, cell) → what reading it gave, for the columns whose values repeat
    for table in result.tables:
        sheet_label = _sheet_label(result, table)
        for index, cells_ in table.body:
            if _is_blank_row(table, cells_) or _is_footer(cells_) or _is_example(cells_):
                continue
            row = Row(sheet_label, index + 1, cells_, headers=table.headers)
            for i, column in table.columns.items():
                value = cells_[i] if i < len(cells_) else None
                if not reading.is_blank(value):
                    _parse_cell(row, column.key, value, memo)
            _resolve_batch(row, batch, batches)
            _check_row(row)
            if len(memo) > 100_000:
                memo.clear()  # a file of ever new values: keep memory bounded
            yield row


def _is_blank_row(table: Table, cells_) -> bool:
    """Blank where it matters: a row numbered in 序号 ahead of time but not filled in is blank."""
    return all(i >= len(cells_) or reading.is_blank(cells_[i]) for i in table.columns)


def _is_example(cells_) -> bool:
    """The blank template's example row, left in by mistake."""
    return any(isinstance(c, str) and c.strip() == roster.EXAMPLE_MARK for c in cells_)


def _is_footer(cells_) -> bool:
    filled = islice((c for c in cells_ if not reading.is_blank(c)), 3)
    return any(cells.text(c).startswith(FOOTER_WORDS) for c in filled)


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


# Writing


def _write(chunk: list[Row]):
    rows = [row for row in chunk if row.action in ("new", "updated")]
    units = {}
    for row in rows:
        unit = row.placement.host_unit
        if unit is not None and unit.pk is None:
            units[unit.name_key] = unit
    bulk_insert(HostUnit, units.values())
    new_cadres = {id(row.cadre): row.cadre for row in rows if row.cadre.pk is None}
    bulk_insert(Cadre, new_cadres.values())
    changed_cadres = {
        id(r.cadre): r.cadre
        for r in rows
        if r.cadre.pk and id(r.cadre) not in new_cadres and set(r.recorded) & set(CADRE_FIELDS)
    }
    if changed_cadres:
        for cadre in changed_cadres.values():
            cadre.version += 1  # an edit opened before the import is refused, not overwriting it
        fields = sorted(
            {f for r in rows for f in r.recorded if f in CADRE_FIELDS} | {"name_sort", "version"}
        )
        Cadre.objects.bulk_update(changed_cadres.values(), fields, batch_size=1000)
    now = timezone.now()
    new_placements = []
    changed_placements = []
    for row in rows:
        placement = row.placement
        # bulk_create and bulk_update take the primary keys of the cadre and host unit saved
        # above from the objects themselves.
        if placement.pk is None:
            placement.created_at = placement.updated_at = now
            new_placements.append(placement)
        elif set(row.recorded) & set(PLACEMENT_FIELDS):
            placement.updated_at = now
            placement.version += 1
            changed_placements.append(placement)
    bulk_insert(Placement, new_placements)
    if changed_placements:
        fields = sorted(
            {f for r in rows for f in r.recorded if f in PLACEMENT_FIELDS}
            | {"updated_at", "version"}
        )
        Placement.objects.bulk_update(changed_placements, fields, batch_size=1000)


def _record(result: ImportResult, user, source, *, changes=True) -> RosterImport:
    record = RosterImport.objects.create(
        user=user if user and user.is_authenticated else None,
        source=source,
        file_name=result.file_name[:255],
        outcome=RosterImport.Outcome.IMPORTED if result.ok else RosterImport.Outcome.REFUSED,
        new_count=result.count("new"),
        updated_count=result.count("updated"),
        unchanged_count=result.count("unchanged"),
        error_count=result.problem_count,
        errors=[p.as_dict() for p in result.problems[:1000]],
    )
    batches = result.batches
    if batches:
        record.batches.set(batches)
    if result.ok and changes:
        _record_changes(record, result.rows)
    return record


def _record_changes(record: RosterImport, rows: list[Row]):
    bulk_insert(
        RosterImportChange,
        (
            RosterImportChange(
                roster_import_id=record.pk,
                placement_id=row.placement.pk,
                row=row.number,
                action=row.action,
                fields=row.recorded,
            )
            for row in rows
            if row.action in ("new", "updated")
        ),
    )


def _update_record(result: ImportResult):
    """The counts of a file of several chunks, its record made when the first was written."""
    record = result.roster_import
    record.new_count = result.count("new")
    record.updated_count = result.count("updated")
    record.unchanged_count = result.count("unchanged")
    record.save(update_fields=["new_count", "updated_count", "unchanged_count"])
    record.batches.set(result.batches)

"""Roster import: read → find the header → normalise → whole-file checks → upsert, all or nothing.

One module per stage: rows.py finds each sheet's table and yields its rows, parsing.py reads
the cells of one row, matching.py finds the people, placements and host units a chunk names,
writing.py writes a chunk and the import record; this module runs them, chunk after chunk.

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

With `progress`, the import tells how far it has got, for a page's progress bar:
progress(phase, rows) with phase "read" (rows read from the file), "checked" (rows parsed and
checked) or "written" (rows written), every PROGRESS_EVERY rows and after each chunk. An
exception it raises stops the import like any other: nothing is written.

Some things only warn, for staff to check before confirming: ID numbers that may be cut by
Excel, host units that resemble known ones, and people added to a batch that has ended or
beyond MAX_BATCH_SIZE (batch_warnings).

Who may import (IMPORT_PERMISSIONS, for the pages and the API alike): staff who see every batch,
add and change placements, and see full ID numbers. An import matches people by their ID
numbers, so its answer (new, unchanged, which row conflicts) would tell a user without
可查看完整身份证号 whether a guessed number is a cadre's: a few hundred dry runs would narrow one
to a handful.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts import privacy
from cohorts.batchnames import BatchNames  # noqa: F401 - imported from here (ledger.importing)
from cohorts.models import Batch
from cohorts.terms import TermStatus
from placements.models import RosterImport
from placements.signals import announce_roster_changed
from spreadsheets import reading
from spreadsheets.problems import ImportResultBase, Problem
from spreadsheets.tables import FOOTER_WORDS  # noqa: F401 - imported from here

from .matching import _Matcher, _Seen
from .parsing import _parse_rows
from .rows import Row, Table, _check_whole_file, _find_tables, _sheet_label
from .writing import _record, _record_changes, _update_record, _write

MAX_BATCH_SIZE = 150  # people a batch takes; a roster that goes beyond it is warned, not refused
ROWS_PER_CHUNK = 5000  # rows matched and written at a time: about 30 MB of objects
MAX_PROBLEMS = 10_000  # problems kept of a file of several chunks; the rest are counted
PROGRESS_EVERY = 500  # rows between two progress reports while reading and parsing
IMPORT_PERMISSIONS = [
    "cohorts.view_all_batches",
    "placements.add_placement",
    "placements.change_placement",
    privacy.PERMISSION,
]


@dataclass
class ImportResult(ImportResultBase):
    ignored_columns: list[str] = field(default_factory=list)
    new_host_units: list[str] = field(default_factory=list)
    # new unit's name → known units it resembles, for staff to check before confirming
    resembling_host_units: dict[str, list[str]] = field(default_factory=dict)
    # Valid ID numbers ending in 000 in a file where Excel cut others short: warnings only.
    suspect_id_numbers: list[Problem] = field(default_factory=list)
    # People added to a batch that has ended, or beyond MAX_BATCH_SIZE: warnings only.
    batch_warnings: list[Problem] = field(default_factory=list)
    added: Counter = field(default_factory=Counter)  # batch → rows that add a placement to it
    tables: list[Table] = field(default_factory=list)
    roster_import: RosterImport | None = None
    # Of the rows of earlier chunks, let go once they are done: what they did, their problems
    # (the first MAX_PROBLEMS, the rest counted) and their batches.
    done: dict = field(default_factory=lambda: defaultdict(int))
    done_problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    done_batches: set = field(default_factory=set)
    # Known host units by core name (matching._UnitCores), made once for all the chunks.
    known_units: object = field(default=None, repr=False, compare=False)

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

    def counts(self) -> dict:
        return {action: self.count(action) for action in ("new", "updated", "unchanged")}


def import_roster(
    data,
    file_name: str,
    *,
    batch: Batch | None = None,
    user=None,
    dry_run: bool = False,
    source: str = RosterImport.Source.COMMAND,
    max_rows: int | None = None,
    chunk_rows: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ImportResult:
    """Import a roster file (bytes, or a binary file read as a stream); with dry_run, only
    report what importing it would do.

    max_rows refuses a longer file before it is parsed (the web's limit; the command has none),
    and keeps every row in result.rows. Without it, a file of more than ROWS_PER_CHUNK rows
    keeps only counts and the first MAX_PROBLEMS problems. chunk_rows matches and writes
    that many rows at a time instead (a background confirmation, for its progress).
    progress(phase, rows) is told how far the import has got (module docstring).
    """
    result = ImportResult(file_name, dry_run)
    try:
        sheets = reading.stream(data, file_name, max_rows=max_rows)
        if progress is not None:
            read = _Told(progress, "read")
            sheets = [reading.Sheet(sheet.name, read.each(sheet.rows)) for sheet in sheets]
        if max_rows is not None:  # bounded: the preview and the error file show every row
            sheets = [reading.Sheet(sheet.name, list(sheet.rows)) for sheet in sheets]
        _find_tables(result, sheets, batch)
        if not result.file_problems:
            size = chunk_rows or (ROWS_PER_CHUNK if max_rows is None else None)
            rows = _parse_rows(result, batch)
            if progress is not None:
                rows = _Told(progress, "checked").each(rows)
            _import_chunks(result, _chunked(rows, size), user, source, progress)
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


class _Told:
    """Counts the rows going through `each` and tells `progress` every PROGRESS_EVERY rows."""

    def __init__(self, progress, phase: str):
        self.progress, self.phase, self.rows = progress, phase, 0

    def each(self, rows):
        for row in rows:
            self.rows += 1
            if self.rows % PROGRESS_EVERY == 0:
                self.progress(self.phase, self.rows)
            yield row
        self.progress(self.phase, self.rows)


def _import_chunks(result: ImportResult, chunks, user, source, progress=None):
    """Match and write chunk after chunk in one transaction; roll back unless all went well.

    One chunk (a small file, a web upload) is written only if it is right and not a dry run,
    as ever. Several are each written as they are matched, so that the next matches what the
    last wrote; the transaction is rolled back at the end on a dry run or any problem.
    """
    seen = _Seen([_sheet_label(result, table) for table in result.tables])
    checked = written = 0
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
            result.added.update(
                row.batch for row in chunk if row.action == "new" and row.batch and not row.problems
            )
            checked += len(chunk)
            if progress is not None:
                progress("checked", checked)
            if writing and (several or result.ok):
                _write(chunk)
                written += len(chunk)
                if progress is not None:
                    progress("written", written)
                if several:
                    if result.roster_import is None:
                        result.roster_import = _record(result, user, source, changes=False)
                    _record_changes(result.roster_import, chunk)
            if several:
                seen.add(chunk)
                result.let_go(chunk)
            chunk, after = after, (next(chunks, None) if after is not None else None)
        _warn_about_batches(result, written=writing and (several or result.ok))
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


def _warn_about_batches(result: ImportResult, *, written: bool):
    """Warn, without refusing, of people added to a batch that has ended or beyond
    MAX_BATCH_SIZE. One query: the batches' sizes, with this file's rows in them if `written`."""
    if not result.added:
        return
    sizes = dict(
        Batch.objects.filter(pk__in=[batch.pk for batch in result.added])
        .annotate(size=Count("placements"))
        .values_list("pk", "size")
    )
    for batch, count in sorted(result.added.items(), key=lambda item: item[0].code):
        if batch.term_status == TermStatus.COMPLETED:
            message = ngettext(
                "%(batch)s ended on %(end)s, and this file adds %(count)d person to it. "
                "Check that the batch is right.",
                "%(batch)s ended on %(end)s, and this file adds %(count)d people to it. "
                "Check that the batch is right.",
                count,
            ) % {"batch": batch, "end": date_format(batch.term.end), "count": count}
            result.batch_warnings.append(Problem(message))
        size = sizes.get(batch.pk, 0) + (0 if written else count)
        if size > MAX_BATCH_SIZE:
            message = _(
                "With this file %(batch)s would have %(size)d people, more than the "
                "%(limit)d a batch takes."
            ) % {"batch": batch, "size": size, "limit": MAX_BATCH_SIZE}
            result.batch_warnings.append(Problem(message))


def _chunked(rows, size: int | None):
    """Lists of `size` rows (all in one, without size)."""
    if size is None:
        yield list(rows)
        return
    while chunk := list(islice(rows, size)):
        yield chunk


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

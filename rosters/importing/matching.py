"""Roster import, the second half: matching a file's rows to the people, placements and host
units stored, and deciding what importing each row changes (rosters.importing reads, checks
and writes; it imports what it needs from here).

Set-based: the rows of one chunk are matched in a handful of queries (IN lists of at most CHUNK
parameters), never one query per row. A person by ID number, else by name, birth date and home
unit (ambiguity is an error, never a guess); a placement by (cadre, batch).

Read without locks; what a chunk updates is locked once decided (_Matcher._lock_updated). A
placement's host unit and batch are not fetched with it: its host unit is compared by key
(names fetched alongside, for the history), its batch is one object per batch.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from datetime import date
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.db.models import F, Q
from django.utils.translation import gettext as _

from cohorts import idnumbers
from cohorts.models import Batch, Cadre
from placements.models import HostUnit, Placement, host_unit_core, host_unit_key
from spreadsheets import cells
from spreadsheets.problems import Problem

from .. import columns

if TYPE_CHECKING:
    from . import ImportResult
    from .rows import Row

CHUNK = 2000  # parameters per IN (…) query, well under SQLite's limit
CADRE_FIELDS = ["name", "gender", "birth_date", "id_number", "ethnicity", "political_status",
                "education", "phone"]  # fmt: skip
PLACEMENT_FIELDS = ["home_unit", "position", "rank", "rank_tier", "category", "district", "group",
                    "host_unit", "role", "start_date", "end_date", "notes"]  # fmt: skip


class _UnitCores:
    """Known host units by their core name (host_unit_core), to flag a new unit whose core is
    the start of a known one's, or the other way round: 腾讯科技 ~ 腾讯 (at least 2 characters).
    Sorted, so that each new unit costs a few lookups, not a pass over every known unit.
    Made once an import (the first chunk that names a new unit), each chunk's new units added
    once it is matched: the next chunk finds them written."""

    def __init__(self, names):
        self.by_core = defaultdict(list)
        for name in names:
            self.by_core[host_unit_core(name)].append(name)
        self.cores = sorted(core for core in self.by_core if len(core) >= 2)

    def add(self, names):
        for name in names:
            core = host_unit_core(name)
            if len(core) >= 2 and core not in self.by_core:
                insort(self.cores, core)
            self.by_core[core].append(name)

    def resembling(self, core: str) -> list[str]:
        if len(core) < 2:
            return []
        found = set()
        for end in range(2, len(core) + 1):  # known cores that start this one
            found.update(self.by_core.get(core[:end], ()))
        start = bisect_left(self.cores, core)  # known cores that this one starts
        for other in self.cores[start:]:
            if not other.startswith(core):
                break
            found.update(self.by_core[other])
        return sorted(found)


HOST_UNIT = Placement._meta.get_field("host_unit")
_HOST_UNIT_AT = PLACEMENT_FIELDS.index("host_unit")
_CADRE_VALUES = attrgetter(*CADRE_FIELDS)
_PLACEMENT_VALUES = attrgetter(
    *(f if f != "host_unit" else "host_unit_id" for f in PLACEMENT_FIELDS)
)


class _Matcher:
    """Matches one chunk of rows (the whole file, when it is one chunk); with lock, the
    cadres and placements it updates are locked until the import's transaction ends."""

    def __init__(self, result: ImportResult, rows: list[Row] | None = None, *, lock=None):
        self.result = result
        self.all_rows = result.rows if rows is None else rows
        self.rows = [row for row in self.all_rows if not row.problems]
        self.lock = not result.dry_run if lock is None else lock
        self.cadres = {}  # pk → Cadre
        self.unit_names = {}  # host unit pk → name, for the preview and the history

    def run(self):
        cadres = self._match_cadres()
        placements = self._placements_of(cadres)
        host_units = self._host_units()
        new_people = {}
        seen = {}
        for row in self.rows:
            cadre = cadres.get(id(row))
            if cadre is None:
                cadre = self._new_cadre(row, new_people)
            if row.problems:
                continue
            key = (id(cadre), row.batch.pk)
            if key in seen:
                rows = f"{seen[key].place(row)}、{row.place(seen[key])}"
                for other in (seen[key], row):
                    other.error(
                        "name",
                        _("The same person is twice in %(batch)s: rows %(rows)s.")
                        % {"batch": row.batch, "rows": rows},
                    )
                continue
            seen[key] = row
            row.cadre = cadre
            self._apply(row, cadre, placements.get((cadre.pk, row.batch.pk)), host_units)
        for row in self.all_rows:
            if row.problems:
                row.action = "error"
        if self.lock:
            self._lock_updated()

    def _lock_updated(self):
        """The cadres and placements this chunk updates (those writing._write gives a new
        version) are held until the import commits, so an edit opened before it is refused
        instead of overwriting it, and one saved meanwhile waits. One query per table and IN
        list; none when nothing is updated (a re-import of an unchanged file).

        They were read without a lock: one saved in between is no longer at the version read,
        and the import is refused (IntegrityError: import the file again) rather than
        overwrite it. Locked in id order, as every import locks, so two never deadlock."""
        rows = [row for row in self.rows if row.action in ("new", "updated") and not row.problems]
        for model, fields, of_row in (
            (Cadre, CADRE_FIELDS, lambda row: row.cadre),
            (Placement, PLACEMENT_FIELDS, lambda row: row.placement),
        ):
            updated = {}
            for row in rows:
                found = of_row(row)
                if found.pk is not None and not row.recorded.keys().isdisjoint(fields):
                    updated[found.pk] = found.version
            for chunk in _chunks(sorted(updated)):
                locked = model.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
                if dict(locked.values_list("pk", "version")) != {pk: updated[pk] for pk in chunk}:
                    raise IntegrityError("changed since the import read it")

    def _match_cadres(self) -> dict:
        """{id(row): Cadre} for the rows that name a person already known."""
        self._match_masked()
        numbers = sorted(
            {row.values["id_number"] for row in self.rows if row.values.get("id_number")}
        )
        by_number = {}
        for chunk in _chunks(numbers):
            for cadre in Cadre.objects.filter(id_number__in=chunk).order_by():
                by_number[cadre.id_number] = self._known(cadre)
        matched, unmatched = {}, []
        for row in self.rows:
            number = row.values.get("id_number")
            if number and number in by_number:
                matched[id(row)] = by_number[number]
            else:
                unmatched.append(row)
        matched.update(self._match_by_name(unmatched))
        return matched

    def _known(self, cadre: Cadre) -> Cadre:
        """One object per person, however many rows or queries find them."""
        return self.cadres.setdefault(cadre.pk, cadre)

    def _match_masked(self):
        """A masked ID number (from an export) stands for the cadre already in the batch."""
        masked = [
            row for row in self.rows if cells.is_masked_id_number(row.values.get("id_number", ""))
        ]
        if not masked:
            return
        known = defaultdict(list)
        for chunk in _chunks(sorted({row.name for row in masked})):
            for p in (
                Placement.objects.filter(
                    cadre__name__in=chunk, batch__in={row.batch for row in masked}
                )
                .select_related("cadre")
                .order_by()
            ):
                known[(p.batch_id, p.cadre.name)].append(p.cadre)
        for row in masked:
            found = [
                cadre
                for cadre in known.get((row.batch.pk, row.name), [])
                if idnumbers.fits_mask(cadre.id_number, row.values["id_number"])
            ]
            if len(found) == 1:
                row.masked_id = row.values["id_number"]
                row.values["id_number"] = found[0].id_number
            else:
                row.error(
                    "id_number",
                    _(
                        "%(value)s is a masked ID number that fits no cadre of this name in "
                        "%(batch)s. Give the full ID number."
                    )
                    % {"value": row.values["id_number"], "batch": row.batch},
                )
        self.rows = [row for row in self.rows if not row.problems]

    def _match_by_name(self, rows) -> dict:
        """Name + birth date + home unit, for rows whose ID number is absent or not yet known.

        A row with an ID number can only be someone stored without one: in an archive of
        200,000 cadres every common name has hundreds of namesakes, who need not be fetched.
        """
        without_number = {row.name for row in rows if not row.values.get("id_number")}
        with_number = {row.name for row in rows if row.values.get("id_number")} - without_number
        units = sorted({row.values.get("home_unit", "") for row in rows})
        candidates = defaultdict(set)
        people = {}
        for names, numbered in ((without_number, False), (with_number, True)):
            for chunk in _chunks(sorted(names)):
                found = Placement.objects.filter(
                    cadre__name__in=chunk, home_unit__in=units
                ).order_by()
                if numbered:
                    found = found.filter(cadre__id_number__isnull=True)
                for p in found.select_related("cadre"):
                    candidates[(p.cadre.name, p.home_unit)].add(p.cadre_id)
                    people[p.cadre_id] = self.cadres.get(p.cadre_id, p.cadre)
        matched = {}
        for row in rows:
            found = [
                people[pk]
                for pk in candidates.get((row.name, row.values.get("home_unit", "")), ())
                if self._could_be(row, people[pk])
            ]
            if len(found) == 1:
                matched[id(row)] = self._known(found[0])
            elif len(found) > 1:
                row.error(
                    "name",
                    _(
                        "%(count)d cadres named %(name)s work at %(unit)s; give the ID number to "
                        "say which one."
                    )
                    % {"count": len(found), "name": row.name, "unit": row.values["home_unit"]},
                )
        return matched

    @staticmethod
    def _could_be(row: Row, cadre: Cadre) -> bool:
        number = row.values.get("id_number")
        if number and cadre.id_number:
            return False  # both have ID numbers, and they differ: two people
        born, precision = row.values.get("birth_date"), row.birth_precision
        if number:  # the ID number tells the birth date and gender better than the file
            # By month: a birth date stored without an ID number may be a month's first day.
            born, precision = idnumbers.birth_date(number), cells.MONTH
            if cadre.gender and cadre.gender != idnumbers.gender(number):
                return False
        if born and cadre.birth_date:
            return cells.same_birth(born, precision, cadre.birth_date)
        return True

    def _placements_of(self, cadres: dict) -> dict:
        """{(cadre id, batch id): Placement} for every placement of the matched cadres, each
        with its batch (one object per batch: the rows' own, others fetched in one query) and
        its host unit's id, the unit's name kept in unit_names."""
        found = {}
        self.placements_by_cadre = defaultdict(list)  # id(Cadre) → placements, new ones too
        # A cadre's placements in the order they are listed (the first that overlaps is named);
        # by batch alone, without the ordering's join to the cadre (one cadre's name sorts once).
        placements = Placement.objects.annotate(host_unit_name=F("host_unit__name")).order_by(
            "batch__programme__code", "batch__number", "id"
        )
        fetched = []
        for chunk in _chunks(sorted(self.cadres)):
            fetched.extend(placements.filter(cadre_id__in=chunk))
        batches = {row.batch.pk: row.batch for row in self.rows}
        others = {p.batch_id for p in fetched} - batches.keys()
        if others:
            batches |= Batch.objects.select_related("programme").in_bulk(others)
        for p in fetched:
            p.cadre = self.cadres[p.cadre_id]
            p.batch = batches[p.batch_id]
            if p.host_unit_id is not None:
                self.unit_names[p.host_unit_id] = p.host_unit_name
            found[(p.cadre_id, p.batch_id)] = p
            self.placements_by_cadre[id(p.cadre)].append(p)
        return found

    def _host_units(self) -> dict:
        """{name as written: the unit's pk, or a HostUnit}: existing ones found (by name or by a
        former name, an alias left by a merge: 腾讯科技（深圳）有限公司 → 腾讯集团), unknown
        ones made (unsaved).

        One query a chunk for both: the units whose name or one of whose aliases is wanted,
        each row with that alias's key (the filter before the annotation reuses its join)."""
        wanted, written = {}, {}  # name key → the first name written so; name → its key
        for row in self.rows:
            name = row.values.get("host_unit")
            if name and name not in written:
                written[name] = host_unit_key(name)
                wanted.setdefault(written[name], name)
        units = {}  # name key → the unit's pk, or a HostUnit to be made
        for chunk in _chunks(sorted(wanted)):
            found = (
                HostUnit.objects.filter(Q(name_key__in=chunk) | Q(aliases__name_key__in=chunk))
                .annotate(alias_key=F("aliases__name_key"))
                .order_by()
                .values_list("pk", "name", "name_key", "alias_key")
            )
            for pk, name, name_key, alias_key in found:
                self.unit_names[pk] = name
                for key in (name_key, alias_key):
                    if key in wanted:
                        units[key] = pk
        made = []
        for key, name in wanted.items():
            if key not in units:
                unit = HostUnit(name=name)
                unit.normalise()
                units[key] = unit
                made.append(unit.name)
                self.result.new_host_units.append(unit.name)
                known = self.result.known_units
                if known is None:
                    names = HostUnit.objects.values_list("name", flat=True)
                    known = self.result.known_units = _UnitCores(names)
                similar = known.resembling(host_unit_core(unit.name))
                if similar:
                    self.result.resembling_host_units[unit.name] = similar
        if made:
            self.result.known_units.add(made)
        return {name: units[key] for name, key in written.items()}

    def _new_cadre(self, row: Row, new_people: dict) -> Cadre:
        """A cadre not yet known; two rows of one new person (two batches) share it."""
        number = row.values.get("id_number")
        key = number or (row.name, row.values.get("birth_date"), row.values.get("home_unit"))
        if key not in new_people:
            cadre = _made(Cadre, name=row.name)
            new_people[key] = cadre
        return new_people[key]

    def _apply(self, row: Row, cadre: Cadre, placement: Placement | None, host_units: dict):
        before_cadre = _CADRE_VALUES(cadre)  # tuples: most rows of a re-import change nothing
        values = row.values
        for key in ("name", "id_number", "ethnicity", "political_status", "education", "phone"):
            if values.get(key):
                setattr(cadre, key, values[key])
        if not cadre.id_number:
            # Without an ID number, the file is the authority for gender and birth date.
            if values.get("gender"):
                cadre.gender = values["gender"]
            born = values.get("birth_date")
            if born and not (
                cadre.birth_date and cells.same_birth(born, row.birth_precision, cadre.birth_date)
            ):
                cadre.birth_date = born
        cadre.derive_from_id_number()
        if cadre.pk is None or cadre.name != before_cadre[0]:  # CADRE_FIELDS[0]: the name
            cadre.normalise()  # sets the pinyin sort key; the file's values are normalised already

        is_new = placement is None
        if is_new:
            placement = _made(Placement, cadre=cadre, batch=row.batch)
        placement.batch = row.batch
        before = _placement_values(placement)
        for key, attribute in (("home_unit", "home_unit"), ("position", "position"),
                               ("district", "district"), ("group", "group"),
                               ("host_role", "role"), ("notes", "notes"),
                               ("category", "category")):  # fmt: skip
            if values.get(key):
                setattr(placement, attribute, values[key])
        if "rank" in values:
            placement.rank, placement.rank_tier = values["rank"]
        if values.get("host_unit"):
            unit = host_units[values["host_unit"]]
            if isinstance(unit, HostUnit):
                placement.host_unit = unit  # to be made: _write saves it first
            else:
                placement.host_unit_id = unit
        for key in ("start_date", "end_date"):
            if key in values:
                setattr(placement, key, values[key])
        placement.normalise()
        self._check_term(row, placement)
        if row.problems:
            return
        changes = {}
        after = _CADRE_VALUES(cadre)
        if after != before_cadre:
            pairs = zip(CADRE_FIELDS, before_cadre, after, strict=True)
            changes = {f: (b, a) for f, b, a in pairs if b != a}
        after = _placement_values(placement)
        if after != before:  # a unit to be made equals only itself, a unit's pk only itself
            pairs = zip(PLACEMENT_FIELDS, before, after, strict=True)
            changes |= {f: (b, a) for f, b, a in pairs if b != a}
        if "host_unit" in changes:
            changes["host_unit"] = tuple(map(self._unit, changes["host_unit"]))
        if cadre.pk is None or is_new:
            row.action = "new"
        else:
            row.action = "updated" if changes else "unchanged"
        row.placement = placement
        if row.action == "updated":
            row.changes = {field_label(f): (_show(b), _show(a)) for f, (b, a) in changes.items()}
        row.recorded = {f: [_record_value(b), _record_value(a)] for f, (b, a) in changes.items()}
        if is_new:
            self.placements_by_cadre[id(cadre)].append(placement)

    def _unit(self, unit):
        """A host unit as the preview and the history name it: a pk by its name."""
        return self.unit_names.get(unit) if isinstance(unit, int) else unit

    def _check_term(self, row: Row, placement: Placement):
        batch_term = row.batch.term
        term = placement.term_within(batch_term)
        if (placement.start_date or placement.end_date) and batch_term.start is None:
            row.error(
                "start_date",
                _("The batch has no start date yet, so the placement cannot have its own dates."),
            )
            return
        if term.start and term.end and term.start > term.end:
            row.error("end_date", _("The end date comes before the start date."))
            return
        if not batch_term.contains(term):
            row.error(
                "start_date" if "start_date" in row.values else "end_date",
                _("The dates must lie inside the batch's term, %(start)s to %(end)s.")
                % {"start": batch_term.start, "end": batch_term.end},
            )
            return
        others = [
            p for p in self.placements_by_cadre[id(placement.cadre)] if p.batch_id != row.batch.pk
        ]
        other = placement.overlapping(others, batch_term=batch_term)
        if other:
            row.error("batch", " ".join(placement.overlap_error(other, batch_term).messages))


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _made(model, **values):
    """A new `model` object with `values`: made from its fields' defaults in order, as Django
    makes an object read from the database, several times faster than from keywords."""
    made = model(*_defaults(model))
    for name, value in values.items():
        setattr(made, name, value)
    return made


@cache
def _defaults(model) -> tuple:
    """Each concrete field's default (none of Cadre's or Placement's is mutable: shared)."""
    return tuple(f.get_default() for f in model._meta.concrete_fields)


def _placement_values(placement: Placement) -> tuple:
    """PLACEMENT_FIELDS' values; the host unit as its pk, or the HostUnit when one is set
    (to be made, or given by the caller), never fetched."""
    values = _PLACEMENT_VALUES(placement)
    unit = HOST_UNIT.get_cached_value(placement, None)
    if unit is None:
        return values
    return values[:_HOST_UNIT_AT] + (unit,) + values[_HOST_UNIT_AT + 1 :]


def field_label(field_name: str) -> str:
    for model in (Cadre, Placement):
        try:
            return str(model._meta.get_field(field_name).verbose_name)
        except Exception:  # noqa: BLE001 - a field of the other model
            continue
    return field_name


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _record_value(value):
    if value is None or type(value) is str:
        return value
    if isinstance(value, HostUnit):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Seen:
    """Each (cadre, batch) of the rows of earlier chunks, and where: the whole-file check that a
    person is in a batch once (and an ID number once a batch) across chunks.

    Ints only, about 100 bytes a row (a 1,000,000-row file: some 100 MB), where keeping the rows
    would cost several KB each. Earlier chunks are written by then, so every cadre has its key.
    """

    ACTIONS = ("new", "updated", "unchanged")

    def __init__(self, sheets: list[str]):
        self.sheets = sheets  # sheet labels, in the file's order
        self.places = {}  # cadre pk << 32 | batch pk → (row number, sheet, action, numbered)

    def check(self, rows: list[Row]) -> list[tuple]:
        """Flag the rows that repeat an earlier chunk's; (problem, action) of the earlier rows."""

        earlier = []
        for row in rows:
            if row.problems or row.cadre is None or row.cadre.pk is None:
                continue
            place = self.places.get(row.cadre.pk << 32 | row.batch.pk)
            if place is None:
                continue
            packed, numbered = divmod(place, 2)
            packed, action = divmod(packed, 4)
            number, sheet = divmod(packed, 1024)
            label = self.sheets[sheet]
            where = str(number) if label == row.sheet else f"{number}（{label}）"
            current = str(row.number) if label == row.sheet else f"{row.number}（{row.sheet}）"
            if numbered and _numbered(row):
                key = "id_number"
                message = _("The same ID number is also in row %(rows)s of this file.")
                mine, theirs = message % {"rows": where}, message % {"rows": current}
            else:
                key = "name"
                message = _("The same person is twice in %(batch)s: rows %(rows)s.")
                mine = theirs = message % {"batch": row.batch, "rows": f"{where}、{current}"}
            row.error(key, mine)
            row.action = "error"
            header = row.headers.get(key) or columns.BY_KEY[key].header
            earlier.append((Problem(theirs, number, header, label), self.ACTIONS[action]))
        return earlier

    def add(self, rows: list[Row]):
        for row in rows:
            if row.action in self.ACTIONS and row.cadre is not None and row.cadre.pk is not None:
                sheet = min(self.sheets.index(row.sheet), 1023)
                packed = (row.number * 1024 + sheet) * 4 + self.ACTIONS.index(row.action)
                self.places[row.cadre.pk << 32 | row.batch.pk] = packed * 2 + _numbered(row)


def _numbered(row: Row) -> bool:
    number = row.values.get("id_number")
    return bool(number) and not cells.is_masked_id_number(number)

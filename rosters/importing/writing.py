"""Writing one chunk of a roster's rows (bulk inserts and updates, new versions) and the
import's record with its change records, set-based: no query per row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from cadreprog.bulk import bulk_insert, insert_rows
from cohorts.models import Cadre
from placements.models import HostUnit, Placement, RosterImport, RosterImportChange

from .matching import CADRE_FIELDS, HOST_UNIT, PLACEMENT_FIELDS

if TYPE_CHECKING:
    from . import ImportResult
    from .rows import Row


def _write(chunk: list[Row]):
    rows = [row for row in chunk if row.action in ("new", "updated")]
    units = {}
    for row in rows:
        unit = HOST_UNIT.get_cached_value(row.placement, None)  # a unit to be made; else a pk
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
            {f for r in rows for f in r.recorded if f in CADRE_FIELDS}
            | {"name_sort", "name_pinyin", "name_initials", "version"}  # normalise() sets these
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
    """One RosterImportChange a row that adds or updates a placement, as plain tuples."""
    insert_rows(
        RosterImportChange,
        ["roster_import_id", "placement_id", "row", "action", "fields"],
        (
            (record.pk, row.placement.pk, row.number, row.action, row.recorded)
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

"""Changes to placements, shared by the team leads' page, the admin and their tests.

Every change bumps `Placement.version` and leaves a history record (django-simple-history);
roster imports bump the version too and leave `RosterImportChange` rows instead. A save made
on an older version is refused (`PlacementChangedMeanwhile`, the generic guard of
cadreprog/versioning.py) and says what changed meanwhile.

Merging host units (`host_units_merge`) moves their placements to the unit kept, each with a
history record that says so (change reason MERGE_REASON), and keeps the merged names as aliases.

Bulk status changes follow the status path (placements.models.BULK_STATUS_SOURCES): what may
not move is left as it is, and the result says how many changed and why the others did not.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadreprog.history import CREATED, EDITED, Change, HistoryEntry, who
from cadreprog.versioning import ChangedMeanwhile, register_events, versioned_save
from cohorts import privacy
from cohorts.models import Cadre

from .models import (
    BULK_STATUS_SOURCES,
    STATUS_PATH,
    HostUnit,
    HostUnitAlias,
    Placement,
    PlacementStatus,
    RosterImportChange,
)
from .signals import announce_roster_changed

# What a team lead may change on a placement of their batch.
LEAD_EDITABLE_FIELDS = [
    "host_unit",
    "role",
    "department",
    "mentor",
    "group",
    "start_date",
    "end_date",
    "status",
    "notes",
]
# What a placement's history compares: everything but bookkeeping.
HISTORY_FIELDS = [
    f
    for f in Placement._meta.concrete_fields
    if f.name not in ("id", "version", "created_at", "updated_at")
]


class PlacementChangedMeanwhile(ChangedMeanwhile):
    """The placement moved on from the version the editor saw; nothing was saved."""

    @property
    def placement(self) -> Placement:
        return self.obj

    @property
    def entries(self) -> list[HistoryEntry]:
        return self.events

    def recorded_events(self) -> list[HistoryEntry]:
        entries = changes_since(self.obj, self.expected_version)
        if self.since is not None:  # imports record no version: those after the page opened
            entries = [e for e in entries if e.version is not None or e.when > self.since]
        return entries


def placement_save(*, placement: Placement, by, expected_version: int) -> Placement:
    """Save a validated placement unless someone changed it since `expected_version`."""
    return versioned_save(
        obj=placement, by=by, expected_version=expected_version, error=PlacementChangedMeanwhile
    )


def placement_update(
    *,
    placement: Placement,
    by,
    expected_version: int,
    new_host_unit: HostUnit | None = None,
) -> Placement:
    """Save a placement a form has changed and validated, adding a new host unit if given."""
    with transaction.atomic():
        if new_host_unit is not None:
            new_host_unit.save()
            placement.host_unit = new_host_unit
        return placement_save(placement=placement, by=by, expected_version=expected_version)


# Many statuses at once


@dataclass
class StatusChange:
    """What a bulk status change did, or previewed, would do: how many placements move to
    `status`, and how many are left, counted by the status they keep."""

    status: str
    changed: int
    left: dict[str, int]

    @property
    def left_count(self) -> int:
        return sum(self.left.values())

    def message(self) -> str:
        """What was done, for the message after the change."""
        return self._text(
            done=_("%(changed)d changed to “%(status)s”."),
            done_and_left=_(
                "%(changed)d changed to “%(status)s”; %(left)d left as they were: %(reasons)s."
            ),
            none=_("No one changed to “%(status)s”: %(reasons)s."),
        )

    def question(self) -> str:
        """What would be done, for the confirmation before the change."""
        return self._text(
            done=_("%(changed)d will change to “%(status)s”."),
            done_and_left=_(
                "%(changed)d will change to “%(status)s”; %(left)d will be left as they are: "
                "%(reasons)s."
            ),
            none=_("No one here can change to “%(status)s”: %(reasons)s."),
        )

    def _text(self, *, done, done_and_left, none) -> str:
        if not self.changed and not self.left:
            return _("No placements to change.")
        values = {
            "changed": self.changed,
            "left": self.left_count,
            "status": PlacementStatus(self.status).label,
            "reasons": self.reasons(),
        }
        if not self.changed:
            return none % values
        return (done_and_left if self.left else done) % values

    def reasons(self) -> str:
        """Why the others stay, by the status they keep: withdrawn first, then along the path."""
        order = [PlacementStatus.WITHDRAWN, *STATUS_PATH]
        kept = sorted(self.left.items(), key=lambda item: order.index(item[0]))
        return pgettext("list separator", ", ").join(
            _left_because(PlacementStatus(status), PlacementStatus(self.status), count)
            for status, count in kept
        )


def _left_because(status: PlacementStatus, target: PlacementStatus, count: int) -> str:
    values = {"count": count, "status": status.label}
    if status == target:
        return _("%(count)d already “%(status)s”") % values
    if status == PlacementStatus.WITHDRAWN:
        return _("%(count)d withdrawn") % values
    if STATUS_PATH.index(status) < STATUS_PATH.index(target):
        # Only 已结业 skips statuses before it: those not yet on site do not graduate.
        return _("%(count)d not yet on site (%(status)s)") % values
    return _("%(count)d further along (“%(status)s”): statuses do not go back") % values


def _by_status(placements) -> dict[str, int]:
    rows = placements.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def placements_status_preview(*, placements, status: str) -> StatusChange:
    """What `placements_set_status` would do, without doing it (one query)."""
    sources = BULK_STATUS_SOURCES[status]  # KeyError: not a bulk target
    counts = _by_status(placements)
    return StatusChange(
        status,
        sum(n for s, n in counts.items() if s in sources),
        {s: n for s, n in counts.items() if s not in sources},
    )


def placements_set_status(*, placements, status: str, by) -> StatusChange:
    """Move many placements forward along the status path to `status` (已远程报到, 已到岗 or
    已结业), each only from the statuses that lead there; the others are left as they are.

    Set-based whatever the number: the rows that move are locked, updated with their version
    bumped, and get one history record each. Returns what changed and what was left, and why.
    """
    if status not in BULK_STATUS_SOURCES:
        raise ValueError(status)
    sources = BULK_STATUS_SOURCES[status]
    with transaction.atomic():
        ids = list(
            placements.filter(status__in=sources)
            .select_for_update(of=("self",))  # not the joined rows of a filtered list
            .order_by()
            .values_list("pk", flat=True)
        )
        left = {s: n for s, n in _by_status(placements).items() if s not in sources}
        result = StatusChange(status, len(ids), left)
        if not ids:
            return result
        changed = Placement.objects.filter(pk__in=ids)
        changed.update(status=status, version=F("version") + 1, updated_at=timezone.now())
        transaction.on_commit(announce_roster_changed)
        Placement.history.bulk_history_create(list(changed), update=True, default_user=by)
    return result


# Merging host units

MERGE_REASON = "host_units_merge"  # the history records' change reason, shown translated
# Filled in on the unit kept, where it has none, from the first merged unit that has one.
MERGE_FILLED_FIELDS = ["city", "kind", "industry", "address", "contact_person", "contact_phone"]


@dataclass
class HostUnitMerge:
    kept: HostUnit
    merged: list[str]  # the names now aliases of the kept unit
    placements: int  # how many moved

    def message(self) -> str:
        return _(
            "Merged %(names)s into %(kept)s: %(count)d placements moved, the old names kept as "
            "aliases."
        ) % {"names": "、".join(self.merged), "kept": self.kept.name, "count": self.placements}


def host_units_merge(*, keep: HostUnit, units, by) -> HostUnitMerge:
    """Merge `units` (a queryset; `keep` among them or not) into `keep`: their placements move
    to it (version bumped, one history record each, reason MERGE_REASON), their names and
    aliases become its aliases, its blank contact fields are filled from them, and they are
    deleted. Set-based: a few queries whatever the number of placements."""
    with transaction.atomic():
        keep = HostUnit.objects.select_for_update().get(pk=keep.pk)
        merged = list(
            HostUnit.objects.filter(pk__in=units.order_by().values("pk"))
            .exclude(pk=keep.pk)
            .select_for_update()
            .order_by("name")
        )
        moved = {model: _repoint(model, field, merged, keep, by) for model, field in _pointers()}
        if moved[Placement]:
            transaction.on_commit(announce_roster_changed)
        filled = False
        for field in MERGE_FILLED_FIELDS:
            if not getattr(keep, field):
                value = next((getattr(u, field) for u in merged if getattr(u, field)), "")
                if value:
                    setattr(keep, field, value)
                    filled = True
        for unit in merged:
            unit._history_user = by
            unit.delete()
        HostUnitAlias.objects.bulk_create(
            [HostUnitAlias(host_unit=keep, name=u.name, name_key=u.name_key) for u in merged]
        )
        if filled:
            versioned_save(obj=keep, by=by)
    return HostUnitMerge(keep, [u.name for u in merged], moved[Placement])


def _pointers():
    """(model, field name) of every foreign key to a host unit: placements, aliases and the
    rows of apps above this one (a suggestion's or a project's unit), which would otherwise be
    emptied (SET_NULL) when the merged unit is deleted. History tables point with "+" (hidden)."""
    for relation in HostUnit._meta.related_objects:
        if relation.one_to_many and not relation.hidden:
            yield relation.related_model, relation.field.name


def _repoint(model, field: str, merged: list, keep: HostUnit, by) -> int:
    """Point `model`'s rows at `keep` instead of the merged units, with their version bumped and
    a history record (reason MERGE_REASON) when the model has them; how many moved."""
    rows = model._base_manager.filter(**{f"{field}__in": merged})
    ids = list(rows.select_for_update().order_by().values_list("pk", flat=True))
    if not ids:
        return 0
    names = {f.name for f in model._meta.concrete_fields}
    values = {field: keep}
    if "version" in names:
        values["version"] = F("version") + 1
    if "updated_at" in names:
        values["updated_at"] = timezone.now()
    model._base_manager.filter(pk__in=ids).update(**values)
    if hasattr(model, "history"):
        model.history.bulk_history_create(
            list(model._base_manager.filter(pk__in=ids)),
            update=True,
            default_user=by,
            default_change_reason=MERGE_REASON,
        )
    return len(ids)


# History: simple-history records and roster-import changes in one timeline.


def placement_history(placement: Placement) -> list[HistoryEntry]:
    """Every recorded change, oldest first: edits, bulk changes and roster imports."""
    records = list(
        placement.history.select_related("history_user").order_by("history_date", "history_id")
    )
    imports = list(
        placement.import_changes.select_related("roster_import__user").order_by(
            "roster_import__created_at", "id"
        )
    )
    return _timeline(records, imports)


def changes_since(placement: Placement, version: int) -> list[HistoryEntry]:
    """The changes made after `version`: edits that recorded a later version, and imports
    made after the last record of `version` or earlier (imports bump the version unrecorded)."""
    records = list(
        placement.history.select_related("history_user").order_by("history_date", "history_id")
    )
    seen = [r for r in records if r.version <= version]
    cutoff = seen[-1].history_date if seen else None
    imports = placement.import_changes.select_related("roster_import__user")
    if cutoff is not None:
        imports = imports.filter(roster_import__created_at__gt=cutoff)
    entries = _timeline(records, list(imports.order_by("roster_import__created_at", "id")))
    return [
        e
        for e in entries
        if (e.version is not None and e.version > version)
        or (e.version is None and (cutoff is None or e.when > cutoff))
    ]


def _timeline(records, imports: list[RosterImportChange]) -> list[HistoryEntry]:
    """Edits and imports in time order, each edit compared with the state just before it.

    Imports write no simple-history records (one import record instead of one per row), so an
    edit after an import is compared with the import's values, not with the last edit before
    it; an edit of a placement that was never recorded (demo data) shows no field details.
    """
    host_units = _host_unit_names(records)
    events = [(r.history_date, 0, r) for r in records]
    events += [(c.roster_import.created_at, 1, c) for c in imports]
    events.sort(key=lambda event: (event[0], event[1]))
    entries, state = [], None  # state: field → shown value, once known
    for when, _order, event in events:
        if isinstance(event, RosterImportChange):
            changes = changes_shown(event.fields)
            if event.action == RosterImportChange.Action.NEW:
                state = _defaults(host_units)
            if state is not None:
                state |= {c.label: c.after for c in changes}
            roster_import = event.roster_import
            what = _("imported %(file)s") % {"file": roster_import.file_name}
            entries.append(
                HistoryEntry(
                    when, who(roster_import.user), what, changes, user_id=roster_import.user_id
                )
            )
            continue
        snapshot = {
            _label(f.name): _display(f.name, getattr(event, f.attname), host_units)
            for f in HISTORY_FIELDS
        }
        if event.history_type == "+":
            entry = HistoryEntry(when, who(event.history_user), str(CREATED))
        else:
            changes = [
                Change(label, state[label], shown)
                for label, shown in snapshot.items()
                if state is not None and label in state and state[label] != shown
            ]
            what = _("merged host units") if event.history_change_reason == MERGE_REASON else EDITED
            entry = HistoryEntry(when, who(event.history_user), str(what), changes)
        entry.version, entry.user_id = event.version, event.history_user_id
        state = snapshot
        entries.append(entry)
    return entries


def _defaults(host_units) -> dict:
    """A new placement before the import filled it in."""
    return {
        _label(f.name): _display(f.name, f.get_default(), host_units)
        for f in HISTORY_FIELDS
        if f.name not in ("cadre", "batch")  # given, not filled in: known from the next edit
    }


def _host_unit_names(records) -> dict:
    """Names of the units the edits point at by id (imports record names already)."""
    ids = {r.host_unit_id for r in records} - {None}
    names = dict(HostUnit.objects.filter(pk__in=ids).values_list("pk", "name"))
    if gone := ids - names.keys():  # merged into another unit: their last recorded name
        records = HostUnit.history.filter(id__in=gone).order_by("history_date", "history_id")
        names |= dict(records.values_list("id", "name"))
    return names


def _model_field(name):
    for model in (Placement, Cadre):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def _label(name: str) -> str:
    model_field = _model_field(name)
    return str(model_field.verbose_name) if model_field is not None else name


def _field_order() -> dict[str, int]:
    names = [f.name for f in Cadre._meta.concrete_fields]
    names += [f.name for f in Placement._meta.concrete_fields if f.name not in names]
    return {name: i for i, name in enumerate(names)}


def changes_shown(fields: dict, *, full_id: bool = False) -> list[Change]:
    """An import's recorded changes (field → [before, after]) in the order of the form, cadre
    first: PostgreSQL's jsonb keeps keys in its own order, so the stored order is not it."""
    order = _field_order()
    names = sorted(fields, key=lambda name: (order.get(name, len(order)), name))
    return [change_shown(name, *fields[name], full_id=full_id) for name in names]


def change_shown(name: str, before, after, *, full_id: bool = False) -> Change:
    """One field's change as an import recorded it (RosterImportChange.fields), in the words
    staff read: the field's label, a choice's label (男, 正科级, 党政机关) rather than its code,
    a date in the language's format, "—" for nothing; an ID number masked unless `full_id`."""
    return Change(
        _label(name),
        _display(name, before, {}, full_id=full_id),
        _display(name, after, {}, full_id=full_id),
    )


def _display(name: str, value, host_units: dict, *, full_id: bool = False) -> str:
    if value is None or value == "":
        return "—"
    if name in privacy.HIDDEN_FIELDS and not full_id:
        return privacy.hidden(name, value)  # history is read by leads too
    if name == "id_number":
        return str(value)
    model_field = _model_field(name)
    if name == "host_unit" and isinstance(value, int):
        return host_units.get(value, str(value))
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        value = date.fromisoformat(value)  # as an import records it
    if isinstance(value, date):
        return date_format(value)
    return str(value)


# Roster imports change cadres too, bumping their version without a history record.


def _cadre_imports(cadre: Cadre, after_version: int, since) -> list[HistoryEntry]:
    """The roster imports that changed the cadre after `since` (unknown: none is named)."""
    if since is None:
        return []
    own = {f.name for f in Cadre._meta.concrete_fields} - {
        f.name for f in Placement._meta.concrete_fields
    }
    imported = RosterImportChange.objects.filter(
        placement__cadre=cadre, roster_import__created_at__gt=since
    ).select_related("roster_import__user")
    entries = []
    for change in imported.order_by("roster_import__created_at", "id"):
        fields = {name: values for name, values in change.fields.items() if name in own}
        if not fields:
            continue
        roster_import = change.roster_import
        changes = [
            Change(_label(name), _display(name, before, {}), _display(name, after, {}))
            for name, (before, after) in fields.items()
        ]
        what = _("imported %(file)s") % {"file": roster_import.file_name}
        entries.append(
            HistoryEntry(
                roster_import.created_at,
                who(roster_import.user),
                what,
                changes,
                user_id=roster_import.user_id,
            )
        )
    return entries


register_events(Cadre, _cadre_imports)

"""Changes to placements, shared by the team leads' page, the admin and their tests.

Every change bumps `Placement.version` and leaves a history record (django-simple-history);
roster imports bump the version too and leave `RosterImportChange` rows instead. A save made
on an older version is refused (`PlacementChangedMeanwhile`) and says what changed meanwhile.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from cohorts import idnumbers
from cohorts.models import Cadre

from . import statistics
from .models import HostUnit, Placement, RosterImportChange

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


class PlacementChangedMeanwhile(Exception):
    """The placement moved on from the version the editor saw; nothing was saved."""

    def __init__(self, placement: Placement, expected_version: int):
        self.placement = placement
        self.expected_version = expected_version
        self.entries = changes_since(placement, expected_version)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        described = "；".join(entry.summary() for entry in self.entries) or _(
            "details are not recorded"
        )
        return _(
            "Someone changed this placement after you opened it (%(changes)s). Nothing was "
            "saved: the form now shows what you entered; check it against these changes and "
            "save again."
        ) % {"changes": described}


def placement_save(*, placement: Placement, by, expected_version: int) -> Placement:
    """Save a validated placement unless someone changed it since `expected_version`.

    The UPDATE … WHERE version = expected claims the row (and, inside the transaction, locks
    it) before the full save writes the fields and the history record.
    """
    with transaction.atomic():
        claimed = Placement.objects.filter(pk=placement.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if not claimed:
            raise PlacementChangedMeanwhile(placement, expected_version)
        placement.version = expected_version + 1
        if by is not None:  # else the request's user (HistoryRequestMiddleware)
            placement._history_user = by
        placement.save()
    return placement


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


def placements_set_status(*, placements, status: str, by) -> int:
    """Give many placements one status (已到岗 on arrival day, 已结束 at the end).

    Set-based whatever the number: the rows are locked, updated with their version bumped, and
    get one history record each. Placements already in that status are left alone. Returns the
    number changed.
    """
    if status not in Placement.Status.values:
        raise ValueError(status)
    with transaction.atomic():
        ids = list(
            placements.exclude(status=status)
            .select_for_update()
            .order_by()
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        changed = Placement.objects.filter(pk__in=ids)
        changed.update(status=status, version=F("version") + 1, updated_at=timezone.now())
        transaction.on_commit(statistics.figures_changed)
        Placement.history.bulk_history_create(list(changed), update=True, default_user=by)
    return len(ids)


# History: simple-history records and roster-import changes in one timeline.


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str  # 修改, 创建, 导入 名单.xlsx
    changes: list[Change] = field(default_factory=list)
    version: int | None = None  # the version this change produced, when recorded

    def summary(self) -> str:
        fields = "、".join(f"{c.label}：{c.before} → {c.after}" for c in self.changes)
        head = f"{date_format(timezone.localtime(self.when), 'SHORT_DATETIME_FORMAT')} {self.who}"
        return f"{head} {self.what}" + (f"（{fields}）" if fields else "")


EDITED = pgettext_lazy("history", "changed")
CREATED = pgettext_lazy("history", "created")


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
            changes = [
                change_shown(name, before, after) for name, (before, after) in event.fields.items()
            ]
            if event.action == RosterImportChange.Action.NEW:
                state = _defaults(host_units)
            if state is not None:
                state |= {c.label: c.after for c in changes}
            roster_import = event.roster_import
            what = _("imported %(file)s") % {"file": roster_import.file_name}
            entries.append(HistoryEntry(when, _who(roster_import.user), what, changes))
            continue
        snapshot = {
            _label(f.name): _display(f.name, getattr(event, f.attname), host_units)
            for f in HISTORY_FIELDS
        }
        if event.history_type == "+":
            entry = HistoryEntry(when, _who(event.history_user), str(CREATED))
        else:
            changes = [
                Change(label, state[label], shown)
                for label, shown in snapshot.items()
                if state is not None and label in state and state[label] != shown
            ]
            entry = HistoryEntry(when, _who(event.history_user), str(EDITED), changes)
        entry.version = event.version
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
    return dict(HostUnit.objects.filter(pk__in=ids).values_list("pk", "name"))


def _who(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


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
    if name == "id_number":
        return str(value) if full_id else idnumbers.mask(str(value))  # leads read history too
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

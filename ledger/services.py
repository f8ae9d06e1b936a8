"""Writes of the ledger: copying duty lists, recording progress, moving topics, crediting outcomes.

The lead's pages, the admin, the import and the demo all go through these functions, so no
path skips a rule. Progress is checked set-based: one batch, one duty, many cadres.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cadreprog.history import CREATED, EDITED, Change, HistoryEntry, who
from cadreprog.versioning import ChangedMeanwhile, versioned_save
from cohorts.models import Batch, Programme
from placements.models import Placement

from .models import Duty, ProgressEntry, Topic, check_claimants, check_credited
from .signals import announce_ledger_changed

DUTY_FIELDS = ("name", "cadence", "target", "order", "notes")


@transaction.atomic
def duties_copy(*, batch: Batch, source: Programme | Batch) -> int:
    """Give `batch` its own duty list, copied from a programme's list or another batch's.

    Duties the batch already has (by name) are kept; progress already recorded against the
    programme's duties moves to the batch's copies, so nothing recorded goes out of sight.
    """
    if source == batch:
        raise ValidationError(_("Choose another batch to copy from."), code="same_batch")
    if isinstance(source, Batch):
        originals = Duty.objects.for_batch(source)
    else:
        originals = Duty.objects.filter(programme=source, batch=None)
    was_shown = {d.name: d for d in Duty.objects.for_batch(batch)}
    own = set(Duty.objects.filter(batch=batch).values_list("name", flat=True))
    copies = [
        Duty(batch=batch, **{field: getattr(d, field) for field in DUTY_FIELDS})
        for d in originals
        if d.name not in own
    ]
    Duty.objects.bulk_create(copies)
    for copy in Duty.objects.filter(batch=batch):
        previous = was_shown.get(copy.name)
        if previous and previous.pk != copy.pk:
            ProgressEntry.objects.filter(placement__batch=batch, duty=previous).update(duty=copy)
    announce_ledger_changed()
    return len(copies)


def progress_record(
    *, placements, duty: Duty, on: date, count: int = 1, note: str = "", by=None
) -> list[ProgressEntry]:
    """One entry for each of `placements` (all of one batch): all of them, or none with an error."""
    placements = list(placements)
    if not placements:
        raise ValidationError(_("Choose at least one cadre."), code="no_cadres")
    batches = {p.batch_id for p in placements}
    if len(batches) > 1:
        raise ValidationError(_("Record progress for one batch at a time."), code="batches")
    batch = placements[0].batch
    ProgressEntry.check_rules(batch=batch, duty=duty, on=on, count=count, placements=placements)
    entries = [
        ProgressEntry(placement=p, duty=duty, date=on, count=count, note=note, recorded_by=by)
        for p in placements
    ]
    created = ProgressEntry.objects.bulk_create(entries)
    announce_ledger_changed()
    return created


# Topics


@transaction.atomic
def topic_claim(*, topic: Topic, placements, by=None, expected_version: int | None = None) -> Topic:
    """The cadres who take the topic (alone or as a team); an open topic becomes claimed.

    Refused (ChangedMeanwhile) when the topic changed since `expected_version` (by default the
    version it was read at): the claimants someone chose meanwhile are not replaced unseen.
    """
    placements = list(placements)
    check_claimants(topic, placements)
    # Before claimants.set(): its m2m history record takes the author from the instance
    # (outside a web request there is no other source). A refused save undoes the set.
    topic._history_user = by
    topic.claimants.set(placements)
    if topic.state == Topic.State.OPEN and placements:
        topic.advance_to(Topic.State.CLAIMED)
    return versioned_save(obj=topic, by=by, expected_version=expected_version)


def topic_change(topic: Topic, state: str, *, on: date | None = None, by=None) -> None:
    """Move `topic` without saving it: forward along the path for anyone who may change the
    topic, back only for staff; then what the new state needs must be there (Topic.check_state).
    The admin's form calls this while validating, so a refused move saves nothing."""
    if Topic.ORDER.index(state) > Topic.ORDER.index(topic.state):
        topic.advance_to(state, on=on)
        topic._change_reason = ""
    else:
        if by is not None and not by.has_perm("cohorts.view_all_batches"):
            raise ValidationError(_("Only staff may reopen a topic."), code="not_staff")
        topic.reopen(state)
        topic._change_reason = _("Reopened")
    topic.check_state()


@transaction.atomic
def topic_move(*, topic: Topic, state: str, on: date | None = None, by=None) -> Topic:
    """Forward along the path for anyone who may change the topic; back only for staff."""
    topic_change(topic, state, on=on, by=by)
    return versioned_save(obj=topic, by=by)


# Outcomes


@transaction.atomic
def outcome_record(
    *, outcome, credited, by=None, expected_version: int | None = None, error=ChangedMeanwhile
):
    """Save a suggestion or project with the cadres it credits (placements of its batch); a
    change, only on `expected_version` (by default the version it was read at)."""
    credited = list(credited)
    check_credited(outcome.batch, credited)
    if outcome.recorded_by_id is None:
        outcome.recorded_by = by
    outcome.full_clean()
    versioned_save(obj=outcome, by=by, expected_version=expected_version, error=error)
    outcome.credited.set(credited)
    return outcome


def topic_history(topic: Topic) -> list[HistoryEntry]:
    """Every recorded change of a topic, oldest first, shown as a placement's history is."""
    records = list(
        topic.history.select_related("history_user").order_by("history_date", "history_id")
    )
    # Claimants are placements of the topic's batch: their names in one query.
    names = dict(Placement.objects.filter(batch=topic.batch_id).values_list("pk", "cadre__name"))
    entries, previous = [], None
    for record in records:
        if previous is None:
            entry = HistoryEntry(record.history_date, who(record.history_user), str(CREATED))
        else:
            delta = record.diff_against(previous)
            entry = HistoryEntry(
                record.history_date,
                who(record.history_user),
                record.history_change_reason or str(EDITED),
                [_topic_change(change, names) for change in delta.changes],
            )
        entries.append(entry)
        previous = record
    return entries


def _topic_change(change, names) -> Change:
    field = Topic._meta.get_field(change.field)
    if field.many_to_many:
        return Change(
            str(field.verbose_name), _claimants(change.old, names), _claimants(change.new, names)
        )
    return Change(str(field.verbose_name), _shown(field, change.old), _shown(field, change.new))


def _claimants(rows, names) -> str:
    return "、".join(names.get(row["placement"], "?") for row in rows) or "—"


def _shown(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return date_format(value)
    return str(value)

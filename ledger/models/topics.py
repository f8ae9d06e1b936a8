"""Research topics (课题): claimed by cadres of one batch, moved one step at a time from open
to evaluated (`Topic.advance_to`), each step only when it has what it needs."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadreprog.versioning import version_field
from cohorts.models import Batch, scoped
from cohorts.terms import today
from placements.models import Placement


class TopicQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, lambda lead: Q(batch__leads=lead))


class Topic(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("Claimed")
        DEFENDED = "defended", _("Mid-term defence held")
        REPORTED = "reported", _("Final report submitted")
        ADOPTED = "adopted", _("Adopted")
        IMPLEMENTED = "implemented", _("Implemented in Qingdao")
        EVALUATED = "evaluated", _("Evaluated")

    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="topics", verbose_name=_("batch")
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question it answers"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many cadres may work on the topic."),
    )
    claimants = models.ManyToManyField(
        Placement, blank=True, related_name="topics", verbose_name=_("claimed by")
    )
    # Changed only through advance_to and reopen (the admin shows it read-only); editable
    # for Django's sake, so that the history can compare it between versions.
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.OPEN)
    defence_date = models.DateField(_("mid-term defence date"), null=True, blank=True)
    defence_score = models.PositiveSmallIntegerField(
        _("defence score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    defence_comments = models.TextField(_("defence comments"), blank=True)
    report_date = models.DateField(_("final report date"), null=True, blank=True)
    report_text = models.TextField(_("final report"), blank=True)
    report_attachment = models.CharField(_("report attachment"), max_length=200, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    # Bumped by every change, claims and moves included (cadreprog/versioning.py).
    version = version_field()

    objects = TopicQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[claimants],
        verbose_name=_("topic history"),
        verbose_name_plural=_("topic histories"),
    )

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["batch_id", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(defence_score__isnull=True)
                | Q(defence_score__gte=0, defence_score__lte=100),
                name="topic_defence_score_range",
                violation_error_message=_("A defence score lies between 0 and 100."),
            ),
        ]

    def __str__(self):
        return self.title

    ORDER = list(State.values)
    # The date each follow-up state records.
    STATE_DATES = {
        State.ADOPTED: "adopted_on",
        State.IMPLEMENTED: "implemented_on",
        State.EVALUATED: "evaluated_on",
    }

    def _index(self, state) -> int:
        return self.ORDER.index(state)

    def next_state(self):
        index = self._index(self.state) + 1
        return self.State(self.ORDER[index]) if index < len(self.ORDER) else None

    def advance_to(self, state, *, on: date | None = None):
        """Move to the next state on the path, when what that state needs is there.

        Not saved: the caller saves, so the change lands in the history with its author.
        """
        state = self.State(state)
        if state != self.next_state():
            raise ValidationError(
                _("A topic that is “%(current)s” moves on to “%(next)s”, not “%(state)s”."),
                code="not_next",
                params={
                    "current": self.get_state_display(),
                    "next": self.next_state().label if self.next_state() else "—",
                    "state": state.label,
                },
            )
        self._check_ready_for(state, on)
        if state in self.STATE_DATES:
            setattr(self, self.STATE_DATES[state], on)
        self.state = state

    def _claimants(self) -> list:
        """The claimants as they will be: a form's submitted ones (set as `pending_claimants`
        before validating), else those stored."""
        pending = getattr(self, "pending_claimants", None)
        if pending is not None:
            return list(pending)
        return list(self.claimants.all()) if self.pk else []

    def _check_ready_for(self, state, on):
        State = self.State
        if state == State.CLAIMED and not self._claimants():
            raise ValidationError(_("Nobody has claimed the topic yet."), code="unclaimed")
        if state == State.DEFENDED and (self.defence_date is None or self.defence_score is None):
            raise ValidationError(
                _("Enter the mid-term defence's date and score first."), code="no_defence"
            )
        if state == State.REPORTED and self.report_date is None:
            raise ValidationError(_("Enter the final report's date first."), code="no_report")
        if state in self.STATE_DATES and on is None:
            raise ValidationError(
                _("Give the date on which the topic was %(state)s.")
                % {"state": str(state.label).lower()},
                code="no_date",
            )

    def reopen(self, state):
        """Staff take the topic back to an earlier state; the later follow-up dates go."""
        state = self.State(state)
        if self._index(state) >= self._index(self.state):
            raise ValidationError(
                _("Reopening goes back to an earlier state than “%(current)s”."),
                code="not_earlier",
                params={"current": self.get_state_display()},
            )
        for later, field in self.STATE_DATES.items():
            if self._index(later) > self._index(state):
                setattr(self, field, None)
        self.state = state

    def clean(self):
        claimants = self._claimants()
        if self.batch_id and claimants:
            try:
                check_claimants(self, claimants)
            except ValidationError as error:
                raise ValidationError({"claimants": error}) from None
        self.check_state(claimants)

    def check_state(self, claimants=None) -> None:
        """What the current state needs is there (claimants, the defence's date and score, the
        report's date, each follow-up date), the dates are in the path's order, and what has
        happened did not happen after today (a defence may be scheduled ahead while the topic
        waits for it). Also after a move, and on every save through the admin."""
        State = self.State
        reached = self._index(self.state)
        claimants = self._claimants() if claimants is None else list(claimants)
        needs = []
        if reached >= self._index(State.CLAIMED) and not claimants:
            needs.append(_("Nobody has claimed the topic yet."))
        if reached >= self._index(State.DEFENDED) and (
            self.defence_date is None or self.defence_score is None
        ):
            needs.append(_("Enter the mid-term defence's date and score first."))
        if reached >= self._index(State.REPORTED) and self.report_date is None:
            needs.append(_("Enter the final report's date first."))
        for later, name in self.STATE_DATES.items():
            if reached >= self._index(later) and getattr(self, name) is None:
                needs.append(
                    _("Give the date on which the topic was %(state)s.")
                    % {"state": str(later.label).lower()}
                )
        if needs:
            raise ValidationError(needs, code="state_needs")
        dates = [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in ("defence_date", "report_date", *self.STATE_DATES.values())
        ]
        dates = [(label, value) for label, value in dates if value is not None]
        for (before, first), (after, second) in zip(dates, dates[1:], strict=False):
            if second < first:
                raise ValidationError(
                    _("The %(after)s (%(second)s) lies before the %(before)s (%(first)s).")
                    % {"after": after, "second": second, "before": before, "first": first},
                    code="date_order",
                )
        held = reached >= self._index(State.DEFENDED)
        for name in ("defence_date", "report_date", *self.STATE_DATES.values()):
            value = getattr(self, name)
            if value is None or value <= today() or (name == "defence_date" and not held):
                continue  # a defence not yet held may be scheduled ahead
            raise ValidationError(
                _("The %(field)s (%(date)s) is in the future.")
                % {"field": self._meta.get_field(name).verbose_name, "date": value},
                code="future",
            )


def check_claimants(topic: Topic, placements) -> None:
    """Claimants are placements of the topic's batch, no more than its capacity."""
    placements = list(placements)
    strangers = [p for p in placements if p.batch_id != topic.batch_id]
    if strangers:
        raise ValidationError(
            _("%(names)s are not in %(batch)s, the topic's batch."),
            code="other_batch",
            params={"names": "、".join(p.cadre.name for p in strangers), "batch": topic.batch},
        )
    if len(placements) > topic.capacity:
        raise ValidationError(
            _("The topic takes at most %(capacity)d cadres; %(count)d were chosen."),
            code="over_capacity",
            params={"capacity": topic.capacity, "count": len(placements)},
        )


# The outcomes ledger

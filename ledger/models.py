"""What a programme asks of its cadres and what it yields: duties and their progress, research
topics (课题) and the outcomes ledger (意见建议, 签约项目).

What is due is derived from each cadre's term (Placement.term: their own dates, else the batch's
100 days) whenever it is asked, never stored: `Duty.due_by` is the one place that counts it.
"""

import math
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadreprog.versioning import version_field
from cohorts.models import Batch, Programme, scoped
from cohorts.terms import Term, today
from placements.models import HostUnit, Placement

SUNDAY = 6


class DutyQuerySet(models.QuerySet):
    def for_batch(self, batch: Batch):
        """The batch's duties: its own list when it has one, else its programme's."""
        own = Duty.objects.filter(batch=batch)
        return self.filter(
            Q(batch=batch) | Q(batch=None, programme_id=batch.programme_id) & ~Exists(own)
        )

    def visible_to(self, user):
        """Programme-wide duties to everyone allowed in; a batch's own list to its leads."""
        return scoped(self, user, lambda lead: Q(batch=None) | Q(batch__leads=lead))


class Duty(models.Model):
    """A duty of every cadre of a programme (or of one batch), with a target and a cadence."""

    class Cadence(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        WEEKEND = "weekend", _("Each weekend")
        BY_END = "by_end", _("Once by the term's end")
        COUNTED = "counted", _("Counted target by the term's end")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duties",
        verbose_name=_("programme"),
        help_text=_("For every batch of the programme that has no list of its own."),
    )
    batch = models.ForeignKey(
        Batch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duties",
        verbose_name=_("batch"),
        help_text=_("For this batch only: its list replaces the programme's."),
    )
    name = models.CharField(_("duty"), max_length=100)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence)
    target = models.PositiveSmallIntegerField(
        _("target"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("How many each period (day, week, weekend), or in all by the term's end."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    # Bumped by every change: an edit made on an older version is refused (cadreprog/versioning.py).
    version = version_field()

    objects = DutyQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("duty history"), verbose_name_plural=_("duty histories")
    )

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["programme_id", "batch_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__isnull=True) ^ Q(batch__isnull=True),
                name="duty_programme_or_batch",
                violation_error_message=_("A duty belongs to a programme or to a batch."),
            ),
            models.UniqueConstraint(
                fields=["programme", "name"],
                condition=Q(batch=None),
                name="duty_name_unique_in_programme",
                violation_error_message=_("The programme already has a duty of this name."),
            ),
            models.UniqueConstraint(
                fields=["batch", "name"],
                condition=Q(programme=None),
                name="duty_name_unique_in_batch",
                violation_error_message=_("The batch already has a duty of this name."),
            ),
            models.CheckConstraint(
                condition=Q(target__gte=1),
                name="duty_target_positive",
                violation_error_message=_("A target is at least 1."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def owner(self):
        return self.batch or self.programme

    def periods_by(self, term: Term, on: date) -> int:
        """How many of the duty's periods have ended by the end of `on` (0 before the term, and
        for a term without both dates)."""
        if term.start is None or term.end is None or on < term.start:
            return 0
        last = min(on, term.end)
        if self.cadence == self.Cadence.DAILY:
            return (last - term.start).days + 1
        if self.cadence == self.Cadence.WEEKLY:
            # Week N of the term ends on its day 7N; the term's last days never make a week.
            return ((last - term.start).days + 1) // 7
        if self.cadence == self.Cadence.WEEKEND:
            # A weekend belongs to the term when its Sunday does, and is over after that Sunday.
            first_sunday = term.start + timedelta(days=(SUNDAY - term.start.weekday()) % 7)
            return 0 if last < first_sunday else (last - first_sunday).days // 7 + 1
        return 1 if on >= term.end else 0

    @property
    def per_period(self) -> bool:
        """Whether the duty is done once a period (day, week, weekend) rather than counted up."""
        return self.cadence in PER_PERIOD

    def period_of(self, term: Term, on: date) -> int | None:
        """The index of the duty's period of `term` that `on` falls in; None when it falls in
        none (outside the term, the term's last days that make no week, a weekend whose Sunday
        is after the term). A weekend is the one that ends the date's week (Monday to Sunday)."""
        if not self.per_period or term.days is None or not term.start <= on <= term.end:
            return None
        if self.cadence == self.Cadence.DAILY:
            return (on - term.start).days
        if self.cadence == self.Cadence.WEEKLY:
            week = (on - term.start).days // 7
            return week if week < self.periods_by(term, term.end) else None
        sunday = on + timedelta(days=(SUNDAY - on.weekday()) % 7)
        if sunday > term.end:
            return None
        first_sunday = term.start + timedelta(days=(SUNDAY - term.start.weekday()) % 7)
        return (sunday - first_sunday).days // 7

    def measure(self, term: Term, amounts) -> int:
        """What a cadre has done towards the duty, from `amounts`: (date, count) pairs for a
        duty done per period (dates may be None for the others). A per-period duty counts each
        period at most `target` times, so one entry of 100 does not fill a daily log; the
        others add up their counts."""
        if not self.per_period:
            return sum(n for _day, n in amounts)
        periods = defaultdict(int)
        for day, n in amounts:
            period = self.period_of(term, day) if day else None
            if period is not None:
                periods[period] += n
        return sum(min(n, self.target) for n in periods.values())

    def check_count(self, count: int) -> None:
        """A per-period duty is recorded once a period: its count is at most the target."""
        if self.per_period and count > self.target:
            raise ValidationError(
                _("%(duty)s is recorded once for each period: the count is at most %(target)d."),
                code="per_period_count",
                params={"duty": self, "target": self.target},
            )

    def due_by(self, term: Term, on: date) -> int:
        """The count each cadre must have reached by the end of `on` for the deadlines passed.
        `term` is the cadre's own (Placement.term), else the batch's."""
        return self.periods_by(term, on) * self.target

    def total(self, term: Term) -> int:
        """The count each cadre reaches by the term's end: what a progress bar fills up to."""
        return self.due_by(term, term.end) if term.end else 0

    def expected_by(self, term: Term, on: date) -> int:
        """The count that keeps pace by the end of `on`: a counted target pro rata of the term's
        elapsed days (the 20 enterprises are not all due on the last day), anything else due_by."""
        if self.cadence != self.Cadence.COUNTED:
            return self.due_by(term, on)
        if term.days is None or on < term.start:
            return 0
        elapsed = min((on - term.start).days + 1, term.days)
        return math.floor(self.target * elapsed / term.days)

    def standing(self, term: Term, done: int, on: date | None = None) -> str:
        """done, overdue, behind or on_track for a cadre who has `done` so far, as of `on`.

        Only what was due by yesterday's end counts against them: today's log is not late yet.
        """
        on = on or today()
        yesterday = on - timedelta(days=1)
        total = self.total(term)
        if done >= total and total:
            return Standing.DONE
        if done < self.due_by(term, yesterday):
            return Standing.OVERDUE
        if done < self.expected_by(term, yesterday):
            return Standing.BEHIND
        return Standing.ON_TRACK


PER_PERIOD = (Duty.Cadence.DAILY, Duty.Cadence.WEEKLY, Duty.Cadence.WEEKEND)


class Standing(models.TextChoices):
    DONE = "done", _("Done")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    OVERDUE = "overdue", _("Overdue")
    # A withdrawn cadre owes nothing more: never behind, never counted in a roll-up.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProgressEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, lambda lead: Q(placement__batch__leads=lead))


class ProgressEntry(models.Model):
    """A cadre did (some of) a duty on a day: one log, three enterprise visits, the report."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="progress_entries",
        verbose_name=_("placement"),
    )
    duty = models.ForeignKey(
        Duty, on_delete=models.PROTECT, related_name="entries", verbose_name=_("duty")
    )
    date = models.DateField(_("date"))
    count = models.PositiveSmallIntegerField(
        _("count"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ProgressEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["duty", "placement"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1),
                name="progress_count_positive",
                violation_error_message=_("The count is at least 1."),
            ),
        ]

    def __str__(self):
        return f"{self.placement.cadre} · {self.duty} · {self.date}"

    def clean(self):
        if self.placement_id and self.duty_id and isinstance(self.date, date) and self.count:
            self.check_rules(
                batch=self.placement.batch,
                duty=self.duty,
                on=self.date,
                count=self.count,
                placements=[self.placement],
                entry=self.pk,
            )

    @staticmethod
    def check_rules(
        *, batch: Batch, duty: Duty, on: date, count: int, placements, entry=None
    ) -> None:
        """The rules of an entry, for many cadres of one batch at once (two queries): the duty
        is on the batch's list, the count sensible, the date in each cadre's term and past,
        and a per-period duty not recorded already that day (`entry`: the one being edited)."""
        if not Duty.objects.for_batch(batch).filter(pk=duty.pk).exists():
            raise ValidationError(
                _("%(duty)s is not a duty of %(batch)s."),
                code="foreign_duty",
                params={"duty": duty, "batch": batch},
            )
        if not 1 <= count <= 1000:
            raise ValidationError(_("The count lies between 1 and 1000."), code="count")
        duty.check_count(count)
        if on > today():
            raise ValidationError(_("The date is in the future."), code="future")
        outside = [p for p in placements if not p.term.days or not p.term.start <= on <= p.term.end]
        if outside:
            term = outside[0].term
            raise ValidationError(
                _("%(date)s lies outside the term of %(names)s (%(start)s to %(end)s)."),
                code="outside_term",
                params={
                    "date": on,
                    "names": "、".join(p.cadre.name for p in outside[:5]),
                    "start": term.start or "—",
                    "end": term.end or "—",
                },
            )
        if duty.per_period:
            # Once a day (week, weekend): a second entry of the same day is a duplicate, such
            # as a form sent twice. Counted targets may have several entries a day.
            twice = (
                ProgressEntry.objects.filter(
                    duty=duty, date=on, placement__in=[p.pk for p in placements]
                )
                .exclude(pk=entry)
                .values_list("placement", flat=True)
            )
            twice = set(twice)
            if twice:
                raise ValidationError(
                    _("%(duty)s of %(date)s is already recorded for %(names)s."),
                    code="duplicate",
                    params={
                        "duty": duty,
                        "date": on,
                        "names": "、".join(p.cadre.name for p in placements if p.pk in twice),
                    },
                )


# Research topics (课题)


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


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, lambda lead: Q(batch__leads=lead))


class Outcome(models.Model):
    """What suggestions and projects share: a batch, its credited cadres, a host unit or topic."""

    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("batch")
    )
    credited = models.ManyToManyField(
        Placement, blank=True, related_name="credited_%(class)ss", verbose_name=_("credited cadres")
    )
    host_unit = models.ForeignKey(
        HostUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("host unit"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("research topic"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # Bumped by every change: an edit made on an older version is refused (cadreprog/versioning.py).
    version = version_field()

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        if self.topic_id and self.batch_id and self.topic.batch_id != self.batch_id:
            raise ValidationError(
                {"topic": _("The topic belongs to another batch.")}, code="other_batch"
            )


def check_credited(batch: Batch, placements) -> None:
    strangers = [p for p in placements if p.batch_id != batch.pk]
    if strangers:
        raise ValidationError(
            _("%(names)s are not in %(batch)s."),
            code="other_batch",
            params={"names": "、".join(p.cadre.name for p in strangers), "batch": batch},
        )


class Suggestion(Outcome):
    """意见建议: submitted by cadres, perhaps adopted by the city as a 制度成果."""

    title = models.CharField(_("title"), max_length=200)
    submitted_on = models.DateField(_("submitted on"))
    institutional = models.BooleanField(_("adopted as an institutional outcome"), default=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    history = HistoricalRecords(
        verbose_name=_("suggestion history"), verbose_name_plural=_("suggestion histories")
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institutional=True) | Q(adopted_on__isnull=True),
                name="suggestion_adopted_on_needs_adoption",
                violation_error_message=_("Only an adopted suggestion has an adoption date."),
            ),
        ]

    def __str__(self):
        return self.title


class Project(Outcome):
    """签约项目: a project signed through a team, with its investment in 亿元."""

    name = models.CharField(_("project"), max_length=200)
    counterpart = models.CharField(_("counterpart"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    investment = models.DecimalField(
        _("investment (100 million yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords(
        verbose_name=_("signed project history"),
        verbose_name_plural=_("signed project histories"),
    )

    class Meta:
        verbose_name = _("signed project")
        verbose_name_plural = _("signed projects")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment__gte=0),
                name="project_investment_not_negative",
                violation_error_message=_("The investment cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

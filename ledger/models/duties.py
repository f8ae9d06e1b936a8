"""Duties (任务) and the progress recorded against them.

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
from placements.models import Placement

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

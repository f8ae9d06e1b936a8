"""The 100-day term: the one place that knows how a term's days are counted.

Day 1 is the start date; the last day is start + days - 1. Whether a term is planned, in
progress or completed is always derived from today's date in Asia/Shanghai, never stored.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_TERM_DAYS = 100
MAX_TERM_DAYS = 366


class TermStatus(models.TextChoices):
    UNSCHEDULED = "unscheduled", _("Not scheduled")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


def today() -> date:
    """Today in the project's time zone (Asia/Shanghai), whatever the server's clock zone."""
    return timezone.localdate()


def last_day(start: date, days: int) -> date:
    return start + timedelta(days=days - 1)


@dataclass(frozen=True)
class Term:
    start: date | None
    end: date | None

    @classmethod
    def of_days(cls, start: date | None, days: int) -> "Term":
        return cls(start, last_day(start, days) if start else None)

    def with_own(self, start: date | None, end: date | None) -> "Term":
        """A placement's term: its own start and end where it has them, else this one's (its
        batch's). The one rule, for a placement object and for rows read as values alike."""
        return Term(start or self.start, end or self.end)

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def status(self, on: date | None = None) -> TermStatus:
        on = on or today()
        if self.start is None:
            return TermStatus.UNSCHEDULED
        if on < self.start:
            return TermStatus.PLANNED
        if on > self.end:
            return TermStatus.COMPLETED
        return TermStatus.IN_PROGRESS

    def day_number(self, on: date | None = None) -> int | None:
        """Which day of the term `on` is (1 … days), or None outside the term."""
        on = on or today()
        if self.status(on) != TermStatus.IN_PROGRESS:
            return None
        return (on - self.start).days + 1

    def progress_percent(self, on: date | None = None) -> int:
        status = self.status(on)
        if status == TermStatus.COMPLETED:
            return 100
        if status != TermStatus.IN_PROGRESS:
            return 0
        return round(100 * self.day_number(on) / self.days)

    def contains(self, other: "Term") -> bool:
        """Whether `other` lies inside this term; a term without dates holds only one without."""
        if other.start is None and other.end is None:
            return True
        if self.start is None:
            return False
        return self.start <= (other.start or self.start) and (other.end or self.end) <= self.end

    def overlaps(self, other: "Term") -> bool:
        if None in (self.start, self.end, other.start, other.end):
            return False
        return self.start <= other.end and other.start <= self.end

    def describe(self, on: date | None = None) -> str:
        """What staff read in a list: 第N天，共100天 / 未开始 / 已结束 / 未定."""
        status = self.status(on)
        if status == TermStatus.IN_PROGRESS:
            return _("Day %(day)d of %(days)d") % {"day": self.day_number(on), "days": self.days}
        return str(status.label)


class AddDays(models.Func):
    """`date + n days` in SQL, for filtering on a term's last day without storing it."""

    output_field = models.DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: date + integer is a date.
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
        )


def term_end_expression(start_field: str, days_field: str) -> AddDays:
    return AddDays(models.F(start_field), models.F(days_field) - 1)


def term_status_q(status: str, start_field: str, end_field: str, on: date | None = None):
    """A Q object selecting rows whose term (start/end annotations) has the given status."""
    on = on or today()
    Q = models.Q
    return {
        TermStatus.UNSCHEDULED: Q(**{f"{start_field}__isnull": True}),
        TermStatus.PLANNED: Q(**{f"{start_field}__gt": on}),
        TermStatus.IN_PROGRESS: Q(**{f"{start_field}__lte": on, f"{end_field}__gte": on}),
        TermStatus.COMPLETED: Q(**{f"{end_field}__lt": on}),
    }[status]

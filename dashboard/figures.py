"""The programme's figures, in one place: what the dashboard shows, each with the list behind it.

Plain functions over querysets the caller has already scoped with `visible_to`; `dashboard(user)`
does the scoping and puts the page together. Each chart is one GROUP BY query (the per-batch chart
reuses the batch rows), and every figure carries the filter parameters of the list view that shows
the rows it counts.

Staff's figures are cached for a minute; `figures_changed` (a receiver of placements'
`roster_changed` and of the counted models' saves and deletes, dashboard/apps.py) makes the
next view count again. With a worker, `dashboard.figures_refresh` (dashboard/tasks.py) counts
them ahead of the views, every few minutes and after a change, and keeps them until its next run:
with REDIS_URL the cache and its version are shared by every app server. The ledger's part of
the page (outcomes, duty roll-ups) is kept beside them at a version of its own as well
(dashboard/ledger_figures.py), and staff's page, rendered, under both.
"""

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, F, Min, Q, Value, When
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from cohorts.models import GENERATIONS, Batch, generation_range
from cohorts.terms import Term, TermStatus, today
from placements.models import Category, HostUnit, Placement
from placements.order import district_sort_key
from placements.ranks import Tier

UPCOMING_DAYS = 30
SHOWN_BATCHES = 30  # the dashboard's batch rows: the latest ones
CACHE_SECONDS = 60
VERSION_KEY = "dashboard:version"
NOT_GIVEN = _("Not given")


def list_url(params: dict, view: str = "placement-list") -> str:
    return f"{reverse(view)}?{urlencode(params)}" if params else reverse(view)


@dataclass
class Bar:
    label: str
    value: int
    params: dict | None  # the list view's filter; None when the list cannot filter to these rows
    share: float = 0  # of the chart's total, in per cent
    length: float = 0  # of the longest bar, in per cent
    view: str = "placement-list"  # the list the bar's rows are in

    @property
    def url(self) -> str | None:
        return None if self.params is None else list_url(self.params, self.view)


@dataclass
class Chart:
    key: str
    title: str
    unit: str
    bars: list[Bar]
    total: int = field(init=False)
    # Labels longer than this go above their bars, so that they never run into them.
    SIDE_LABEL_CHARS = 6

    def __post_init__(self):
        self.total = sum(bar.value for bar in self.bars)
        longest = max((bar.value for bar in self.bars), default=0)
        for bar in self.bars:
            bar.share = 100 * bar.value / self.total if self.total else 0
            bar.length = 100 * bar.value / longest if longest else 0

    @property
    def stacked(self) -> bool:
        return any(len(bar.label) > self.SIDE_LABEL_CHARS for bar in self.bars)

    @property
    def row_height(self) -> int:
        return 44 if self.stacked else 30


@dataclass
class BatchRow:
    batch: Batch
    headcount: int
    host_unit_count: int
    term: Term
    on: date

    @property
    def status(self) -> TermStatus:
        return self.term.status(self.on)

    @property
    def progress(self) -> int:
        return self.term.progress_percent(self.on)

    @property
    def describe(self) -> str:
        return self.term.describe(self.on)

    @property
    def url(self) -> str:
        return list_url({"batch": self.batch.code})


@dataclass
class ProgrammeTotal:
    code: str
    name: str
    city: str
    batches: int
    cadres: int
    host_units: int
    pk: int = 0

    @property
    def url(self) -> str:
        return list_url({"programme": self.code})

    @property
    def batches_url(self) -> str:
        """The programme's batches, in the admin (the dashboard is staff's page)."""
        return f"{reverse('admin:cohorts_batch_changelist')}?programme__id__exact={self.pk}"

    @property
    def cadres_url(self) -> str:
        return list_url({"programme": self.code}, "cadre-list")

    @property
    def host_units_url(self) -> str:
        return list_url({"programme": self.code}, "host-unit-list")


# --- Figures -------------------------------------------------------------------------------------


def batch_rows(batches, on: date | None = None, began: dict | None = None) -> list[BatchRow]:
    """One row per batch with its head count and host units, for the latest SHOWN_BATCHES
    batches (one query): an archive keeps every batch for years; the admin lists them all.

    Programmes in the order they began (`began`: {code: first start}), batches by number.
    """
    on = on or today()
    latest = batches.order_by(F("start_date").desc(nulls_first=True), "-pk")[:SHOWN_BATCHES]
    rows = [BatchRow(b, b.headcount, b.host_unit_count, b.term, on) for b in latest.with_counts()]
    began = began or {}
    return sorted(
        rows,
        key=lambda r: (
            began.get(r.batch.programme.code) or date.max,
            r.batch.programme.code,
            r.batch.number,
        ),
    )


def programmes_of(batches) -> dict[str, dict]:
    """{code: its name, city, key, number of batches and first start}, in the order the
    programmes began (one query)."""
    summary = (
        batches.order_by()
        .values("programme", "programme__code", "programme__name", "programme__city")
        .annotate(batches=Count("pk"), began=Min("start_date"))
    )
    return {
        p["programme__code"]: p
        for p in sorted(summary, key=lambda p: (p["began"] or date.max, p["programme__code"]))
    }


def programme_totals(placements, programmes: dict[str, dict]) -> list[ProgrammeTotal]:
    """Batches, cadres and host units per programme (one query; batches from `programmes`)."""
    counted = {
        r["batch__programme__code"]: r
        for r in placements.order_by()
        .values("batch__programme__code")
        .annotate(
            cadres=Count("cadre", distinct=True), host_units=Count("host_unit", distinct=True)
        )
    }
    return [
        ProgrammeTotal(
            code,
            p["programme__name"],
            p["programme__city"],
            p["batches"],
            counted.get(code, {}).get("cadres", 0),
            counted.get(code, {}).get("host_units", 0),
            p["programme"],
        )
        for code, p in programmes.items()
    ]


def upcoming(rows: list[BatchRow], on: date | None = None, days: int = UPCOMING_DAYS):
    """Batches that depart, and batches that return, within the next `days` days (no query)."""
    on = on or today()
    until = on + timedelta(days=days)
    departures = [r for r in rows if r.term.start and on <= r.term.start <= until]
    returns = [r for r in rows if r.term.end and on <= r.term.end <= until]
    return sorted(departures, key=lambda r: r.term.start), sorted(returns, key=lambda r: r.term.end)


def _counts(placements, column: str, distinct: str | None = None) -> dict:
    # A placement is one row: COUNT(DISTINCT …) only where one thing has several rows.
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    rows = placements.order_by().values(column).annotate(n=counted)
    return {r[column]: r["n"] for r in rows}


def _choice_counts(placements, fields: dict) -> dict[str, dict]:
    """{field: {value: placements}} for choice fields, all in one pass over the placements."""
    counting = {
        f"{name}:{value}": Count("pk", filter=Q(**{name: value}))
        for name, choices in fields.items()
        for value in [*(v for v, _label in choices), ""]
    }
    found = placements.order_by().aggregate(**counting)
    counts = {name: {} for name in fields}
    for key, n in found.items():
        name, value = key.split(":", 1)
        counts[name][value] = n
    return counts


def by_choices(counts: dict, choices, param: str) -> list[Bar]:
    """Placements per value of a choice field, in the choices' order; "not given" last."""
    bars = [Bar(str(label), counts[v], {param: v}) for v, label in choices if counts.get(v)]
    if counts.get(""):
        bars.append(Bar(str(NOT_GIVEN), counts[""], None))
    return bars


def by_rank_tier_and_category(placements) -> tuple[list[Bar], list[Bar]]:
    counts = _choice_counts(placements, {"rank_tier": Tier.choices, "category": Category.choices})
    return (
        by_choices(counts["rank_tier"], Tier.choices, "rank_tier"),
        by_choices(counts["category"], Category.choices, "category"),
    )


def by_district(placements) -> list[Bar]:
    """Placements per home district in the city's order, 市直 first (placements/order.py)."""
    counts = _counts(placements, "district")
    bars = [Bar(d, counts[d], {"district": d}) for d in sorted(counts, key=district_sort_key) if d]
    if counts.get(""):
        bars.append(Bar(str(NOT_GIVEN), counts[""], None))
    return bars


def by_generation(placements) -> list[Bar]:
    """Placements per generation (60后 …) of the cadre's birth date, oldest first."""
    generation = Case(
        *[When(cadre__birth_date__range=generation_range(g), then=Value(g)) for g in GENERATIONS],
        default=Value(""),
    )
    counts = _counts(placements.annotate(generation=generation), "generation")
    bars = [Bar(g, counts[g], {"generation": g}) for g in GENERATIONS if counts.get(g)]
    if counts.get(""):
        bars.append(Bar(str(NOT_GIVEN), counts[""], None))
    return bars


def by_batch(rows: list[BatchRow]) -> list[Bar]:
    """Head count per batch, from the batch rows (no query)."""
    return [Bar(str(r.batch), r.headcount, {"batch": r.batch.code}) for r in rows if r.headcount]


def host_units_by_kind(placements) -> list[Bar]:
    """Host units (each counted once) per kind, among the units the placements use."""
    counts = _counts(placements.exclude(host_unit=None), "host_unit__kind", distinct="host_unit")
    bars = [
        Bar(str(label), counts[v], {"host_unit_kind": v}, view="host-unit-list")
        for v, label in HostUnit.Kind.choices
        if counts.get(v)
    ]
    if counts.get(""):
        bars.append(Bar(str(NOT_GIVEN), counts[""], None))
    return bars


# --- The page ------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    on: date
    programmes: list[ProgrammeTotal]
    batches: list[BatchRow]
    departures: list[BatchRow]
    returns: list[BatchRow]
    charts: list[Chart]
    counted_at: datetime
    # Staff's figures: the version (current_version) read before they were counted. What is
    # kept beside them (the ledger's part, the rendered page) is keyed on it, never on the
    # version read later, which a change made while counting has raised already.
    version: int | None = None


def dashboard(user, on: date | None = None) -> Dashboard:
    """Everything the dashboard shows, within what `user` may see: seven queries.

    Staff see the whole archive, whose figures take a few hundred milliseconds to count at
    200,000 placements; they are kept for CACHE_SECONDS, per language (the labels are text).
    """
    on = on or today()
    if not user.has_perm("cohorts.view_all_batches"):
        return _dashboard(Placement.objects.visible_to(user), Batch.objects.visible_to(user), on)
    return cache.get(cache_key(on)) or staff_figures_cache(on=on)


def cache_key(on: date, version: int | None = None) -> str:
    """Staff's figures of `on` in the active language, at `version` (default: the current)."""
    version = current_version() if version is None else version
    return f"dashboard:{get_language()}:{on.isoformat()}:{version}"


def current_version(key: str = VERSION_KEY) -> int:
    """The version of what the dashboard counts (and the lists offer, dashboard/choices.py),
    raised by every change to it (`figures_changed`); with `key`, another such version (the
    ledger's, dashboard/ledger_figures.py)."""
    # The version never expires; if the cache loses it, a new one is a time never used before.
    return cache.get_or_set(key, time.time_ns, timeout=None)


def staff_figures_cache(*, on: date, seconds: int = CACHE_SECONDS) -> Dashboard:
    """Count staff's figures of `on` (the whole archive) in the active language and keep them
    for `seconds`. The version is read before counting: a change made meanwhile raises it, so
    figures that may have missed the change are never read."""
    version = current_version()
    figures = _dashboard(Placement.objects.all(), Batch.objects.all(), on)
    figures.version = version
    cache.set(cache_key(on, version), figures, seconds)
    return figures


# A placement's fields no figure, choice or roll-up reads: a save that changes only these (a
# lead writing a cadre's role) leaves the figures as they are. Every other field counts.
UNCOUNTED_PLACEMENT_FIELDS = frozenset(
    {"position", "role", "department", "mentor", "notes", "updated_at", "version"}
)


def counted(*, sender=None, instance=None, created=False, signal=None, **kwargs) -> bool:
    """Whether a signal names a change to what the dashboard counts: every one does, but for a
    placement saved with none of its counted fields changed."""
    if sender is Placement and signal is post_save and not created and instance is not None:
        changed = instance.changed_fields()
        return changed is None or not changed <= UNCOUNTED_PLACEMENT_FIELDS
    return True


def figures_changed(**kwargs):
    """A change to what the dashboard counts (`counted`): its next view counts again. The
    version goes up at once, and again when the change commits, so that figures another process
    counted in between (which could not see the change yet) are not kept. With a local-memory
    cache, other processes count again within CACHE_SECONDS."""
    if not counted(**kwargs):
        return
    version_up()
    transaction.on_commit(version_up)


def version_up(key: str = VERSION_KEY):
    try:
        cache.incr(key)
    except ValueError:
        # Gone (evicted, or a fresh cache): a version never used before, never one that may
        # still name figures counted before a change.
        cache.set(key, time.time_ns(), timeout=None)


def _dashboard(placements, batches, on: date) -> Dashboard:
    """The figures of `placements` and `batches`, already scoped to what the user may see."""
    programmes = programmes_of(batches)
    began = {code: p["began"] for code, p in programmes.items()}
    rows = batch_rows(batches, on, began)
    departures, returns = upcoming(rows, on)
    cadres, units = pgettext("count", "cadres"), pgettext("count", "host units")
    by_rank_tier, by_category = by_rank_tier_and_category(placements)
    charts = [
        Chart("batch", _("Cadres per batch"), cadres, by_batch(rows)),
        Chart("rank_tier", _("Cadres by rank tier"), cadres, by_rank_tier),
        Chart("category", _("Cadres by category"), cadres, by_category),
        Chart("generation", _("Cadres by generation"), cadres, by_generation(placements)),
        Chart("district", _("Cadres by district"), cadres, by_district(placements)),
        Chart("host_unit_kind", _("Host units by kind"), units, host_units_by_kind(placements)),
    ]
    totals = programme_totals(placements, programmes)
    return Dashboard(on, totals, rows, departures, returns, charts, timezone.now())

"""The programme's figures, in one place: what the dashboard shows, each with the list behind it.

Plain functions over querysets the caller has already scoped with `visible_to`; `dashboard(user)`
does the scoping and puts the page together. Each chart is one GROUP BY query (the per-batch chart
reuses the batch rows), and every figure carries the filter parameters of the list view that shows
the rows it counts.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Case, Count, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from cohorts.models import GENERATIONS, Batch, generation_range
from cohorts.terms import Term, TermStatus, today

from .models import Category, HostUnit, Placement
from .ranks import Tier

UPCOMING_DAYS = 30
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


def batch_rows(batches, on: date | None = None) -> list[BatchRow]:
    """One row per batch with its head count and host units (one query).

    Programmes in the order they began (Shenzhen 2019, then Shanghai 2020), batches by number.
    """
    on = on or today()
    rows = [BatchRow(b, b.headcount, b.host_unit_count, b.term, on) for b in batches.with_counts()]
    began = {}
    for row in rows:
        start = row.term.start or date.max
        code = row.batch.programme.code
        began[code] = min(began.get(code, date.max), start)
    return sorted(
        rows, key=lambda r: (began[r.batch.programme.code], r.batch.programme.code, r.batch.number)
    )


def programme_totals(placements, rows: list[BatchRow]) -> list[ProgrammeTotal]:
    """Batches, cadres and host units per programme (one query; batches from the rows)."""
    counted = {
        r["batch__programme__code"]: r
        for r in placements.order_by()
        .values("batch__programme__code")
        .annotate(
            cadres=Count("cadre", distinct=True), host_units=Count("host_unit", distinct=True)
        )
    }
    totals = {}
    for row in rows:  # in the rows' order: the programme that began first comes first
        programme = row.batch.programme
        if programme.code not in totals:
            figures = counted.get(programme.code, {})
            totals[programme.code] = ProgrammeTotal(
                programme.code,
                programme.name,
                programme.city,
                0,
                figures.get("cadres", 0),
                figures.get("host_units", 0),
                programme.pk,
            )
        totals[programme.code].batches += 1
    return list(totals.values())


def upcoming(rows: list[BatchRow], on: date | None = None, days: int = UPCOMING_DAYS):
    """Batches that depart, and batches that return, within the next `days` days (no query)."""
    on = on or today()
    until = on + timedelta(days=days)
    departures = [r for r in rows if r.term.start and on <= r.term.start <= until]
    returns = [r for r in rows if r.term.end and on <= r.term.end <= until]
    return sorted(departures, key=lambda r: r.term.start), sorted(returns, key=lambda r: r.term.end)


def _counts(placements, column: str, distinct: str = "id") -> dict:
    rows = placements.order_by().values(column).annotate(n=Count(distinct, distinct=True))
    return {r[column]: r["n"] for r in rows}


def by_choices(placements, column: str, choices, param: str) -> list[Bar]:
    """Placements per value of a choice field, in the choices' order; "not given" last."""
    counts = _counts(placements, column)
    bars = [Bar(str(label), counts[v], {param: v}) for v, label in choices if counts.get(v)]
    if counts.get(""):
        bars.append(Bar(str(NOT_GIVEN), counts[""], None))
    return bars


def by_rank_tier(placements) -> list[Bar]:
    return by_choices(placements, "rank_tier", Tier.choices, "rank_tier")


def by_category(placements) -> list[Bar]:
    return by_choices(placements, "category", Category.choices, "category")


def by_district(placements) -> list[Bar]:
    """Placements per home district, the largest first."""
    counts = _counts(placements, "district")
    bars = [
        Bar(d, n, {"district": d})
        for d, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if d
    ]
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


def dashboard(user, on: date | None = None) -> Dashboard:
    """Everything the dashboard shows, within what `user` may see: seven queries."""
    on = on or today()
    placements = Placement.objects.visible_to(user)
    rows = batch_rows(Batch.objects.visible_to(user), on)
    departures, returns = upcoming(rows, on)
    cadres, units = pgettext("count", "cadres"), pgettext("count", "host units")
    charts = [
        Chart("batch", _("Cadres per batch"), cadres, by_batch(rows)),
        Chart("rank_tier", _("Cadres by rank tier"), cadres, by_rank_tier(placements)),
        Chart("category", _("Cadres by category"), cadres, by_category(placements)),
        Chart("generation", _("Cadres by generation"), cadres, by_generation(placements)),
        Chart("district", _("Cadres by district"), cadres, by_district(placements)),
        Chart("host_unit_kind", _("Host units by kind"), units, host_units_by_kind(placements)),
    ]
    return Dashboard(on, programme_totals(placements, rows), rows, departures, returns, charts)

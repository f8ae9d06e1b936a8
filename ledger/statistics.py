"""Roll-ups of duties and outcomes for the lead's page, the dashboard and the lists.

A fixed number of queries whatever the size: the duties of the batches in one query, their
progress grouped by cadre and duty (and by date for the duties done once a period) in another,
and the outcome figures of every programme in one query of subqueries. What is due comes from
Duty (never stored), in each cadre's own term (Placement.term); counting who is behind happens
here, in Python, over those grouped rows. Withdrawn cadres owe nothing and are left out.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from cohorts.models import Batch, Programme
from cohorts.terms import Term, today
from placements.models import Placement, PlacementStatus
from placements.order import sorted_by_group

from .models import PER_PERIOD, Duty, ProgressEntry, Project, Standing, Suggestion


def url(view: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse(view)}?{urlencode(params)}" if params else reverse(view)


@dataclass
class Progress:
    """One cadre's progress on one duty."""

    done: int
    total: int
    standing: str

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def standing_label(self) -> str:
        return Standing(self.standing).label


@dataclass
class DutyRollup:
    """A batch's standing on one duty: how many cadres are done, on track, behind, overdue.
    Withdrawn cadres are left out: they owe nothing more."""

    batch: Batch
    duty: Duty
    cadres: int = 0
    total: int = 0  # all cadres' targets by their term's end together
    done: int = 0  # all cadres' progress together, each capped at their target
    standings: dict = field(default_factory=lambda: dict.fromkeys(Standing.values, 0))

    @property
    def lagging(self) -> int:
        return self.standings[Standing.BEHIND] + self.standings[Standing.OVERDUE]

    @property
    def keeping_up(self) -> int:
        return self.cadres - self.lagging

    @property
    def percent(self) -> int:
        """The share of the batch's whole target already done (each cadre capped at theirs)."""
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def behind_url(self) -> str:
        return url("ledger-behind", batch=self.batch.code, duty=self.duty.name)


def duties_of(batches) -> dict[int, list[Duty]]:
    """{batch id: its duties} for many batches in one query (own list, else the programme's)."""
    batches = list(batches)
    duties = Duty.objects.filter(
        Q(batch__in=batches) | Q(batch=None, programme__in={b.programme_id for b in batches})
    ).order_by("order", "id")
    own, shared = defaultdict(list), defaultdict(list)
    for duty in duties:
        (own[duty.batch_id] if duty.batch_id else shared[duty.programme_id]).append(duty)
    return {b.pk: own.get(b.pk) or shared.get(b.programme_id, []) for b in batches}


def _day(prefix: str = ""):
    """The entry's date for a duty done per period (its periods are counted), else None (its
    counts are summed): grouping by it keeps one row per cadre and counted duty."""
    return Case(
        When(**{f"{prefix}duty__cadence__in": PER_PERIOD}, then=F(f"{prefix}date")),
        default=Value(None),
        output_field=DateField(),
    )


def amounts(entries) -> dict[tuple[int, int], list]:
    """{(placement id, duty id): [(date or None, count), …]} in one GROUP BY query, for
    Duty.measure: by date for the duties done per period, in one sum for the others."""
    rows = entries.order_by().values("placement", "duty", day=_day()).annotate(n=Sum("count"))
    result = defaultdict(list)
    for r in rows:
        result[r["placement"], r["duty"]].append((r["day"], r["n"]))
    return result


def progress_of(duty: Duty, term: Term, amounts_: list, on: date, withdrawn=False) -> Progress:
    """One cadre's Progress on `duty` in their own term (no query)."""
    done = duty.measure(term, amounts_)
    total = duty.total(term)
    return Progress(done, total, Standing.WITHDRAWN if withdrawn else duty.standing(term, done, on))


def cadre_progress(batch, duty, placements, done: dict, on: date) -> dict[int, Progress]:
    """{placement id: Progress} for one duty, each in the cadre's own term (no query: `done`
    is from amounts(); the placements need only their dates and status)."""
    return {
        p.pk: progress_of(
            duty,
            p.term_within(batch.term),
            done.get((p.pk, duty.pk), []),
            on,
            withdrawn=p.status == PlacementStatus.WITHDRAWN,
        )
        for p in placements
    }


def rollups(batch, duties, terms: dict[int, Term], done: dict, on: date) -> list[DutyRollup]:
    """One DutyRollup per duty of `batch` (no query). `terms` maps the batch's cadres who are
    not withdrawn to their terms; `done` is from amounts()."""
    recorded = {key: (terms[key[0]], a) for key, a in done.items() if key[0] in terms}
    return rollups_of(batch, duties, Counter(terms.values()), recorded, on)


def rollups_of(batch, duties, cadres: Counter, recorded: dict, on: date) -> list[DutyRollup]:
    """One DutyRollup per duty (no query), from how many cadres (not withdrawn) have each term
    (`cadres`: {Term: n}) and what those who recorded something did
    (`recorded`: {(placement id, duty id): (their Term, amounts)}).

    Cadres with the same term and the same count done stand the same: each such pair is
    judged once (Duty.standing), so the cost follows the cadres who recorded something, not
    the batch's size: those who recorded nothing are counted by term."""
    by_duty = defaultdict(list)
    for (_pk, duty_pk), (term, amounts_) in recorded.items():
        by_duty[duty_pk].append((term, amounts_))
    result = []
    for duty in duties:
        outcomes = Counter({(term, 0): n for term, n in cadres.items()})
        for term, amounts_ in by_duty[duty.pk]:
            outcomes[term, 0] -= 1
            outcomes[term, duty.measure(term, amounts_)] += 1
        rollup = DutyRollup(batch, duty, cadres=cadres.total())
        for (term, done), n in outcomes.items():
            if n:
                total = duty.total(term)
                rollup.total += total * n
                rollup.done += min(done, total) * n
                rollup.standings[duty.standing(term, done, on)] += n
        result.append(rollup)
    return result


def counting(placements) -> list:
    """The placements that count in a roll-up: all but the withdrawn."""
    return [p for p in placements if p.status != PlacementStatus.WITHDRAWN]


def batch_duties(batch: Batch, placements, on: date | None = None):
    """The batch's duties and their roll-ups, and the amounts behind them (two queries).
    `placements` are the batch's, loaded (their dates and status are used)."""
    on = on or today()
    duties = list(Duty.objects.for_batch(batch).order_by("order", "id"))
    done = amounts(ProgressEntry.objects.filter(placement__batch=batch, duty__in=duties))
    terms = {p.pk: p.term_within(batch.term) for p in counting(placements)}
    return duties, done, rollups(batch, duties, terms, done, on)


def current_batches_duties(batches, on: date | None = None) -> list[tuple[Batch, list]]:
    """For the dashboard: each batch in its term with its duty roll-ups (three queries: the
    duties; how many cadres, not withdrawn, have each term; the progress of those who recorded
    some, grouped by cadre, duty and (for the duties done per period) date)."""
    on = on or today()
    batches = list(batches)
    if not batches:
        return []
    duties = duties_of(batches)
    batch_terms = {b.pk: b.term for b in batches}
    counting_ = Placement.objects.filter(batch__in=batches).exclude(
        status=PlacementStatus.WITHDRAWN
    )

    def term(r):
        return batch_terms[r["batch"]].with_own(r["start_date"], r["end_date"])

    cadres = defaultdict(Counter)
    terms = counting_.order_by().values("batch", "start_date", "end_date").annotate(n=Count("pk"))
    for r in terms:
        cadres[r["batch"]][term(r)] += r["n"]
    entries = ProgressEntry.objects.filter(
        placement__batch__in=batches, duty__in=_ids(duties)
    ).exclude(placement__status=PlacementStatus.WITHDRAWN)
    rows = (
        entries.order_by()
        .values(
            "placement",
            "duty",
            batch=F("placement__batch"),
            start_date=F("placement__start_date"),
            end_date=F("placement__end_date"),
            day=_day(),
        )
        .annotate(n=Sum("count"))
    )
    recorded = defaultdict(dict)
    for r in rows:
        key = (r["placement"], r["duty"])
        recorded[r["batch"]].setdefault(key, (term(r), []))[1].append((r["day"], r["n"]))
    return [
        (batch, rollups_of(batch, duties[batch.pk], cadres[batch.pk], recorded[batch.pk], on))
        for batch in batches
    ]


def _ids(duties: dict[int, list[Duty]]) -> set[int]:
    return {duty.pk for listed in duties.values() for duty in listed}


def behind(batch: Batch, duty: Duty, on: date | None = None) -> list:
    """The batch's cadres (not withdrawn) behind the pace of `duty` by yesterday's end, each
    with .done and .expected in their own term (two queries, whatever the size)."""
    on = on or today()
    yesterday = on - timedelta(days=1)
    placements = sorted_by_group(
        Placement.objects.filter(batch=batch)
        .exclude(status=PlacementStatus.WITHDRAWN)
        .select_related("cadre", "host_unit")
        .order_by("cadre__name_sort", "id")
    )
    done = amounts(ProgressEntry.objects.filter(placement__batch=batch, duty=duty))
    result = []
    for p in placements:
        p.batch = batch
        term = p.term_within(batch.term)
        p.done = duty.measure(term, done.get((p.pk, duty.pk), []))
        p.expected = duty.expected_by(term, yesterday)
        if p.done < p.expected:
            result.append(p)
    return result


# Outcomes


@dataclass
class OutcomeFigures:
    code: str
    name: str
    suggestions: int
    institutional: int
    projects: int
    investment: Decimal

    @property
    def suggestions_url(self) -> str:
        return url("ledger-suggestions", programme=self.code)

    @property
    def institutional_url(self) -> str:
        return url("ledger-suggestions", programme=self.code, institutional="1")

    @property
    def projects_url(self) -> str:
        return url("ledger-projects", programme=self.code)


def outcome_figures(user) -> list[OutcomeFigures]:
    """Suggestions, institutional outcomes, projects and investment per programme, and in
    total (last, with an empty code) — one query, over what `user` may see."""
    return programme_outcomes(
        Suggestion.objects.visible_to(user),
        Project.objects.visible_to(user),
        Batch.objects.visible_to(user),
    )


def programme_outcomes(suggestions, projects, batches) -> list[OutcomeFigures]:
    """outcome_figures() over querysets already scoped (all of them: the whole archive, as
    staff see it) — one query."""
    investment = Subquery(
        projects.filter(batch__programme=OuterRef("pk"))
        .order_by()
        .values("batch__programme")
        .annotate(total=Sum("investment"))
        .values("total")
    )
    # Programmes in the order they began (Shenzhen 2019, then Shanghai 2020), as the dashboard.
    # Each figure is a subquery per programme, with no join nor GROUP BY around them: grouped
    # over the programme's batches, they were counted once per batch (2,000 times, 230 ms).
    batches = batches.filter(programme=OuterRef("pk")).order_by()
    began = batches.values("programme").annotate(began=Min("start_date")).values("began")
    rows = (
        Programme.objects.filter(Exists(batches))
        .annotate(
            began=Subquery(began),
            n_suggestions=_scoped_count(suggestions),
            n_institutional=_scoped_count(suggestions.filter(institutional=True)),
            n_projects=_scoped_count(projects),
            total_investment=investment,
        )
        .order_by("began", "code")
    )
    figures = [
        OutcomeFigures(
            p.code,
            p.name,
            p.n_suggestions,
            p.n_institutional,
            p.n_projects,
            Decimal(p.total_investment or 0).quantize(Decimal("0.01")),
        )
        for p in rows
    ]
    if len(figures) > 1:
        figures.append(
            OutcomeFigures(
                "",
                "",
                sum(f.suggestions for f in figures),
                sum(f.institutional for f in figures),
                sum(f.projects for f in figures),
                sum((f.investment for f in figures), Decimal("0.00")),
            )
        )
    return figures


def _scoped_count(queryset):
    rows = queryset.filter(batch__programme=OuterRef("pk")).order_by()
    return Coalesce(
        Subquery(rows.values("batch__programme").annotate(n=Count("id")).values("n")),
        Value(0),
        output_field=IntegerField(),
    )

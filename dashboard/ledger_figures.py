"""The ledger's part of the dashboard: outcome figures per programme and the duty roll-ups of
the batches in their term (ledger/statistics.py), kept for staff like the roster's figures
(dashboard/figures.py) and counted on each view for anyone else (a lead's few batches).

Staff's part is kept under both versions: the roster's (`figures.VERSION_KEY`: a batch, a
placement withdrawn or given its own dates changes the roll-ups too) and the ledger's
(`LEDGER_VERSION_KEY`), which every write of duties, progress, suggestions and projects raises
(`ledger_figures_changed`, a receiver of their saves and deletes and of `ledger_changed`,
dashboard/apps.py). So progress a lead records shows in the "behind" figures on staff's next
view, and never makes the roster's figures (a few hundred milliseconds) count again. Both
versions are read before counting, as the roster's figures do. The part holds no text of the
language (model rows and numbers, labelled at rendering): one copy serves every language.
"""

from dataclasses import dataclass
from functools import partial

from django.core.cache import cache
from django.db import transaction

from cohorts.models import Batch
from cohorts.terms import TermStatus
from ledger import statistics
from ledger.models import Project, Suggestion

from . import figures

LEDGER_VERSION_KEY = "dashboard:ledger-version"


@dataclass
class LedgerPart:
    outcomes: list  # statistics.OutcomeFigures, per programme then in total
    current_duties: list  # (batch, [statistics.DutyRollup]) for each batch in its term
    version: int | None = None  # staff's: the ledger's version read before counting


def ledger_part(user, dashboard: figures.Dashboard) -> LedgerPart:
    """The ledger's figures beside `dashboard` (the user's figures of the day), within what
    `user` may see: kept for staff (no query when kept), else up to four queries."""
    if not user.has_perm("cohorts.view_all_batches"):
        return _count(statistics.outcome_figures(user), dashboard)
    kept = cache.get(cache_key(dashboard, figures.current_version(LEDGER_VERSION_KEY)))
    return kept or staff_ledger_cache(dashboard, seconds=figures.CACHE_SECONDS)


def cache_key(dashboard: figures.Dashboard, ledger_version: int) -> str:
    """Staff's ledger part beside `dashboard` (its batches are those of the roster's version
    it was counted at) at the ledger's `ledger_version`."""
    return f"dashboard:ledger:{dashboard.on.isoformat()}:{dashboard.version}:{ledger_version}"


def page_key(user, dashboard: figures.Dashboard, ledger: LedgerPart) -> str | None:
    """What staff's rendered page is kept as: the language, the day and the versions its
    figures were counted at, the roster's and the ledger's (None for anyone else: their page
    is theirs). A page rendered from figures that a change made while they were counted has
    made old is kept under their old versions, which no later view asks for."""
    if not user.has_perm("cohorts.view_all_batches"):
        return None
    return f"{figures.cache_key(dashboard.on, dashboard.version)}:{ledger.version}"


def staff_ledger_cache(dashboard: figures.Dashboard, *, seconds: int) -> LedgerPart:
    """Count staff's ledger part (the whole archive; `dashboard`: staff's figures of the day)
    and keep it for `seconds`, under the ledger's version read before counting."""
    version = figures.current_version(LEDGER_VERSION_KEY)
    everything = (Suggestion.objects.all(), Project.objects.all(), Batch.objects.all())
    part = _count(statistics.programme_outcomes(*everything), dashboard)
    part.version = version
    cache.set(cache_key(dashboard, version), part, seconds)
    return part


def _count(outcomes: list, dashboard: figures.Dashboard) -> LedgerPart:
    """With the outcomes per programme (one query), for each batch in its term of `dashboard`,
    the duties' roll-up (three queries, none when no batch is in its term)."""
    current = [row.batch for row in dashboard.batches if row.status == TermStatus.IN_PROGRESS]
    return LedgerPart(outcomes, statistics.current_batches_duties(current, dashboard.on))


def ledger_figures_changed(**kwargs):
    """A change to the ledger's figures: staff's next view counts the ledger's part again (at
    once, and again when the change commits, as `figures.figures_changed` does)."""
    figures.version_up(LEDGER_VERSION_KEY)
    transaction.on_commit(partial(figures.version_up, LEDGER_VERSION_KEY))

"""The dashboard's background work: counting staff's figures ahead of the views.

`dashboard.figures_refresh` counts today's figures (Shanghai) in every language of the site and
keeps them until after its next run: beat runs it every few minutes (settings
.CELERY_BEAT_SCHEDULE), and, with a worker, a change to what the dashboard counts asks for one run
once it commits (`refresh_soon`, at most one waiting at a time). So the first member of staff to
look after a change finds the figures counted. With REDIS_URL the cache is shared by every app
server, so one run serves them all. Running twice only counts twice.
"""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from cadreprog.background import runs_inline
from cohorts.terms import today

from . import figures, ledger_figures

# Longer than beat's interval (300 s), so that the figures never lapse between two runs; a
# change raises the version, so they are never read after one.
KEEP_SECONDS = 15 * 60
PENDING_KEY = "dashboard:refresh-pending"
PENDING_SECONDS = 60


@shared_task(name="dashboard.figures_refresh")
def figures_refresh() -> str:
    """Count and keep staff's figures of today, in each language of the site, and the
    ledger's part of the dashboard."""
    # Changes from now on ask for a run of their own: this one may not see them.
    cache.delete(PENDING_KEY)
    on = today()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            counted = figures.staff_figures_cache(on=on, seconds=KEEP_SECONDS)
    # The ledger's part holds no text of the language: one copy for all of them.
    ledger_figures.staff_ledger_cache(counted, seconds=KEEP_SECONDS)
    return on.isoformat()


def refresh_soon(**kwargs) -> None:
    """A receiver of the changes the dashboard counts: with a worker, count again once the
    change commits. Without one (tasks inline) nothing: the request that changed something
    would wait for the count, and the next view counts anyway."""
    if not runs_inline() and figures.counted(**kwargs):
        # Robust: a broker that cannot be reached is logged, and the change stays made.
        transaction.on_commit(_enqueue, robust=True)


def _enqueue() -> None:
    # One run waiting is enough: it counts every change committed before it starts. (A bulk
    # write of many rows calls this once a row: one cache operation each.)
    if cache.add(PENDING_KEY, 1, PENDING_SECONDS):
        figures_refresh.apply_async()

"""Staff's figures counted ahead of the views (dashboard/tasks.py): by beat every few minutes,
and, with a worker, once after a change commits."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from cohorts.terms import today
from dashboard import figures, tasks
from dashboard.tasks import figures_refresh

from ..factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_after_the_task_the_dashboard_counts_nothing(staff_client, sz3, django_assert_num_queries):
    PlacementFactory.create_batch(3, batch=sz3)
    figures_refresh.apply()
    # 1 session, 2 user, 3 the bell's unread count; the seven queries of staff's figures and
    # the ledger's (outcomes, duty roll-ups) are the task's.
    with django_assert_num_queries(3):
        response = staff_client.get("/")
    assert "深圳第3批" in response.content.decode()


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "处级"), ("en", "Division level")])
def test_the_task_counts_in_every_language_of_the_site(
    admin_user, sz3, language, label, django_assert_num_queries
):
    PlacementFactory(batch=sz3, rank="division_deputy")
    figures_refresh.apply()
    with translation.override(language), django_assert_num_queries(0):
        charts = figures.dashboard(admin_user, today()).charts
    tiers = next(chart for chart in charts if chart.key == "rank_tier")
    assert [bar.label for bar in tiers.bars] == [label]


def test_the_task_counts_for_today_in_shanghai(
    admin_user, sz3, monkeypatch, django_assert_num_queries
):
    # 17:00 UTC on 6 December is 01:00 on 7 December in Shanghai.
    evening = datetime.datetime(2026, 12, 6, 17, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    assert figures_refresh.apply().get() == "2026-12-07"
    with django_assert_num_queries(0):
        figures.dashboard(admin_user, datetime.date(2026, 12, 7))


def test_the_tasks_figures_outlast_beats_interval(admin_user, sz3, monkeypatch):
    kept, count = [], figures.staff_figures_cache

    def spy(*, on, seconds):
        kept.append(seconds)
        return count(on=on, seconds=seconds)

    monkeypatch.setattr(figures, "staff_figures_cache", spy)
    figures_refresh.apply()
    assert kept == [tasks.KEEP_SECONDS] * 2 and tasks.KEEP_SECONDS > 300  # beat: every 300 s


def test_a_change_after_the_task_is_counted_again(admin_user, sz3):
    figures_refresh.apply()
    before = figures.dashboard(admin_user, today()).batches[0].headcount
    PlacementFactory(batch=sz3)
    assert figures.dashboard(admin_user, today()).batches[0].headcount == before + 1


def test_figures_counted_before_a_change_commits_are_not_kept(
    admin_user, sz3, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PlacementFactory(batch=sz3)
        # As another app server could, before the change commits (here it sees it, but it
        # is the version that matters).
        during = figures.dashboard(admin_user, today()).counted_at
    assert figures.dashboard(admin_user, today()).counted_at > during


# --- After a change, with a worker ------------------------------------------------------------


@pytest.fixture
def queued(settings, monkeypatch):
    """With a worker (tasks not inline): the refreshes put on the queue."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    runs = []
    monkeypatch.setattr(figures_refresh, "apply_async", lambda *a, **k: runs.append(1))
    return runs


def test_a_committed_change_queues_one_refresh_however_many_rows(
    sz3, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PlacementFactory.create_batch(3, batch=sz3)
    assert queued == [1]


def test_while_a_refresh_waits_another_change_queues_none(
    sz3, queued, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            PlacementFactory(batch=sz3)
    assert queued == [1]


def test_a_change_after_the_refresh_started_queues_another(
    sz3, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PlacementFactory(batch=sz3)
    figures_refresh.apply()  # the worker takes it: changes from now on may be missed by it
    with django_capture_on_commit_callbacks(execute=True):
        PlacementFactory(batch=sz3)
    assert queued == [1, 1]


def test_without_a_worker_a_change_queues_nothing(
    sz3, monkeypatch, django_capture_on_commit_callbacks
):
    runs = []
    monkeypatch.setattr(figures_refresh, "apply_async", lambda *a, **k: runs.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        PlacementFactory(batch=sz3)
    assert runs == []


def test_a_lost_version_never_comes_back_to_figures_counted_before(staff_client, sz3):
    from django.core.cache import cache
    from django.db.models.signals import post_save
    from factory.django import mute_signals

    from dashboard.figures import VERSION_KEY, figures_changed

    cache.set(VERSION_KEY, 1)
    staff_client.get("/")  # counted and kept under version 1
    cache.delete(VERSION_KEY)  # evicted, or expired: the next change must not reuse 1
    with mute_signals(post_save):  # written in bulk, as an import does, which then says so once
        PlacementFactory(batch=sz3)
    figures_changed()
    page = staff_client.get("/").content.decode()
    assert re.search(r'<dd><a href="/cadres/[^"]*">1</a>', page)

"""The ledger's part of staff's dashboard (outcomes, the duty roll-ups of the batches in their
term) is kept like the roster's figures (dashboard/ledger_figures.py): a second view counts
nothing, and any write of progress, duties or outcomes shows on the next view."""

import re
from datetime import timedelta

import pytest
from django.conf import settings

from cohorts.terms import today
from dashboard import figures, ledger_figures
from ledger import services
from ledger.models import Duty
from placements.models import PlacementStatus

from ..factories import (
    BatchFactory,
    DutyFactory,
    PlacementFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(shenzhen):
    """A batch 20 days into its term, with a daily log and two cadres who kept none."""
    batch = BatchFactory(programme=shenzhen, number=9, start_date=today() - timedelta(days=19))
    PlacementFactory.create_batch(2, batch=batch)
    return batch


@pytest.fixture
def log(shenzhen):
    return DutyFactory(programme=shenzhen, name="学习日志", cadence=Duty.Cadence.DAILY)


def part(user):
    return ledger_figures.ledger_part(user, figures.dashboard(user))


def lagging(user):
    ((_batch, (rollup,)),) = part(user).current_duties
    return rollup.lagging


def keep_up(placement, duty):
    for day in range(19):
        services.progress_record(
            placements=[placement], duty=duty, on=placement.batch.start_date + timedelta(day)
        )


@pytest.mark.parametrize(("batches", "cadres"), [(1, 2), (4, 10)])
def test_a_second_view_counts_nothing_whatever_the_size(
    staff_client, shenzhen, log, batches, cadres, django_assert_num_queries
):
    for number in range(1, batches + 1):
        start = today() - timedelta(days=30)
        batch = BatchFactory(programme=shenzhen, number=number, start_date=start)
        PlacementFactory.create_batch(cadres, batch=batch)
        SuggestionFactory(batch=batch)
    staff_client.get("/")
    # 1 session, 2 user, 3 the bell's unread count: the roster's figures and the ledger's
    # (outcomes, duty roll-ups) are kept.
    with django_assert_num_queries(3):
        staff_client.get("/")


@pytest.mark.parametrize("cadres", [2, 10])
def test_after_progress_only_the_ledgers_part_is_counted(
    staff_client, current, log, cadres, django_assert_num_queries
):
    PlacementFactory.create_batch(cadres, batch=current)
    staff_client.get("/")
    keep_up(current.placements.first(), log)
    # 1 session, 2 user, 3 outcome figures per programme, 4 the current batches' duties, 5 their
    # cadres counted by term, 6 the progress of those who recorded some, 7 the bell's unread
    # count: the roster's figures are kept.
    with django_assert_num_queries(7):
        staff_client.get("/")


def test_progress_recorded_shows_in_the_behind_figures_at_once(admin_user, current, log):
    assert lagging(admin_user) == 2
    keep_up(current.placements.first(), log)
    assert lagging(admin_user) == 1


def test_progress_recorded_keeps_the_rosters_figures(admin_user, current, log):
    counted_at = figures.dashboard(admin_user).counted_at
    keep_up(current.placements.first(), log)
    assert figures.dashboard(admin_user).counted_at == counted_at


def test_a_changed_duty_shows_at_once(admin_user, current, log):
    assert lagging(admin_user) == 2
    log.target = 2
    log.save()
    ((_batch, (rollup,)),) = part(admin_user).current_duties
    assert rollup.duty.target == 2


def test_a_suggestion_recorded_shows_at_once(admin_user, current):
    assert part(admin_user).outcomes[0].suggestions == 0
    SuggestionFactory(batch=current)
    assert part(admin_user).outcomes[0].suggestions == 1


def test_a_withdrawn_cadre_leaves_the_kept_roll_up(admin_user, current, log):
    assert lagging(admin_user) == 2
    placement = current.placements.first()
    placement.status = PlacementStatus.WITHDRAWN
    placement.save()
    assert lagging(admin_user) == 1


def test_a_leads_part_is_counted_for_their_batches(lead_sz3, sz3, current, log):
    sz3.start_date = today() - timedelta(days=3)
    sz3.save()
    PlacementFactory(batch=sz3)
    ((batch, _rollups),) = part(lead_sz3).current_duties
    assert batch == sz3


def test_a_duty_list_copied_into_the_batch_shows_at_once(admin_user, current, log, sz3):
    DutyFactory(programme=None, batch=sz3, name="走访企业", cadence="counted", target=20)
    assert lagging(admin_user) == 2
    services.duties_copy(batch=current, source=sz3)
    ((_batch, (rollup,)),) = part(admin_user).current_duties
    assert rollup.duty.name == "走访企业"


def behind_figure(page: str) -> str:
    return re.search(r'class="lagging" href="[^"]*">(\d+)<', page).group(1)


def test_the_kept_page_shows_progress_at_once(staff_client, current, log):
    assert behind_figure(staff_client.get("/").content.decode()) == "2"
    keep_up(current.placements.first(), log)
    assert behind_figure(staff_client.get("/").content.decode()) == "1"


def test_the_kept_page_is_kept_per_language(staff_client, current, log):
    assert "Daily" not in staff_client.get("/").content.decode()
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Daily" in staff_client.get("/").content.decode()


def test_a_change_made_while_the_figures_are_counted_is_on_the_next_page(
    staff_client, shenzhen, monkeypatch
):
    count = figures._dashboard
    made = []

    def count_then_change(*args, **kwargs):
        counted = count(*args, **kwargs)
        if not made:  # a batch saved by someone else while this view counted
            made.append(BatchFactory(programme=shenzhen, number=77, start_date=today()))
        return counted

    monkeypatch.setattr(figures, "_dashboard", count_then_change)
    first = staff_client.get("/").content.decode()
    assert made and "batch=SZ-77" not in first
    assert "batch=SZ-77" in staff_client.get("/").content.decode()

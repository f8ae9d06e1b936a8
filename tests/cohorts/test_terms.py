"""The 100-day term: day 1 is the start date, day 100 the last, derived from today in Shanghai."""

import datetime
from datetime import date, timedelta
from unittest import mock

import pytest

from cohorts.models import Batch
from cohorts.terms import Term, TermStatus, today
from placements.models import Placement

from ..factories import BatchFactory, PlacementFactory

START = date(2020, 4, 15)  # Shenzhen batch 3 left Liuting airport that day.
TERM = Term.of_days(START, 100)
DAY_100 = START + timedelta(days=99)


# --- Python arithmetic -----------------------------------------------------------------------


def test_term_of_100_days_ends_99_days_after_start():
    assert TERM.end == date(2020, 7, 23)
    assert TERM.days == 100


def test_start_date_is_day_1():
    assert TERM.status(START) == TermStatus.IN_PROGRESS
    assert TERM.day_number(START) == 1


def test_last_day_is_day_100():
    assert TERM.status(DAY_100) == TermStatus.IN_PROGRESS
    assert TERM.day_number(DAY_100) == 100


def test_day_after_last_is_completed():
    assert TERM.status(DAY_100 + timedelta(days=1)) == TermStatus.COMPLETED
    assert TERM.day_number(DAY_100 + timedelta(days=1)) is None


def test_day_before_start_is_planned():
    assert TERM.status(START - timedelta(days=1)) == TermStatus.PLANNED
    assert TERM.day_number(START - timedelta(days=1)) is None


def test_term_across_leap_day():
    assert Term.of_days(date(2020, 2, 1), 100).end == date(2020, 5, 10)


def test_term_in_non_leap_year_ends_a_day_later():
    assert Term.of_days(date(2021, 2, 1), 100).end == date(2021, 5, 11)


def test_leap_day_is_counted_as_a_day_of_the_term():
    term = Term.of_days(date(2020, 2, 1), 100)
    assert term.day_number(date(2020, 2, 29)) == 29
    assert term.day_number(date(2020, 3, 1)) == 30


def test_no_start_date_is_unscheduled():
    term = Term.of_days(None, 100)
    assert term.end is None
    assert term.days is None
    assert term.status(START) == TermStatus.UNSCHEDULED
    assert term.day_number(START) is None


def test_describe_in_progress_gives_day_and_length():
    assert TERM.describe(START + timedelta(days=41)) == "第42天，共100天"


def test_describe_day_1():
    assert TERM.describe(START) == "第1天，共100天"


def test_describe_outside_the_term_gives_the_status_label():
    assert TERM.describe(START - timedelta(days=1)) == str(TermStatus.PLANNED.label)
    assert TERM.describe(DAY_100 + timedelta(days=1)) == str(TermStatus.COMPLETED.label)
    assert Term(None, None).describe(START) == str(TermStatus.UNSCHEDULED.label)


@pytest.mark.parametrize(
    "on, percent",
    [
        (START - timedelta(days=1), 0),
        (START, 1),
        (START + timedelta(days=49), 50),
        (DAY_100, 100),
        (DAY_100 + timedelta(days=30), 100),
    ],
)
def test_progress_percent(on, percent):
    assert TERM.progress_percent(on) == percent


def test_progress_of_unscheduled_term_is_zero():
    assert Term(None, None).progress_percent(START) == 0


def test_term_contains_itself_and_its_edges():
    assert TERM.contains(TERM)
    assert TERM.contains(Term(START, START))
    assert TERM.contains(Term(DAY_100, DAY_100))


def test_term_does_not_contain_a_day_outside():
    assert not TERM.contains(Term(START - timedelta(days=1), DAY_100))
    assert not TERM.contains(Term(START, DAY_100 + timedelta(days=1)))


def test_terms_sharing_one_day_overlap():
    assert TERM.overlaps(Term.of_days(DAY_100, 100))
    assert Term.of_days(DAY_100, 100).overlaps(TERM)


def test_back_to_back_terms_do_not_overlap():
    assert not TERM.overlaps(Term.of_days(DAY_100 + timedelta(days=1), 100))


def test_unscheduled_term_overlaps_nothing():
    assert not Term(None, None).overlaps(TERM)


def test_today_is_the_date_in_shanghai():
    # 16:30 UTC on 14 April is 00:30 on 15 April in Shanghai.
    moment = datetime.datetime(2020, 4, 14, 16, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert today() == START
        assert TERM.day_number() == 1


def test_one_minute_before_shanghai_midnight_is_still_planned():
    moment = datetime.datetime(2020, 4, 14, 15, 59, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert TERM.status() == TermStatus.PLANNED


# --- The database agrees ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start, days",
    [
        (date(2020, 4, 15), 100),
        (date(2020, 2, 1), 100),  # across 29 February
        (date(2021, 2, 1), 100),
        (date(2019, 12, 1), 100),  # across New Year
        (date(2020, 2, 29), 1),
        (date(2020, 1, 1), 366),
    ],
)
def test_with_term_end_matches_python(start, days):
    batch = BatchFactory(start_date=start, term_days=days)
    annotated = Batch.objects.with_term_end().get(pk=batch.pk)
    assert annotated.term_end == batch.term.end


@pytest.mark.django_db
def test_with_term_end_is_none_without_start_date():
    batch = BatchFactory(start_date=None)
    assert Batch.objects.with_term_end().get(pk=batch.pk).term_end is None


# The day before, day 1, day 100 and day 101 of a term starting on START.
EDGES = [
    (START - timedelta(days=1), TermStatus.PLANNED),
    (START, TermStatus.IN_PROGRESS),
    (DAY_100, TermStatus.IN_PROGRESS),
    (DAY_100 + timedelta(days=1), TermStatus.COMPLETED),
]


def _batch_statuses(on):
    return {
        status: set(Batch.objects.with_term_status(status, on=on).values_list("pk", flat=True))
        for status in TermStatus.values
    }


@pytest.mark.django_db
@pytest.mark.parametrize("on, expected", EDGES)
def test_batch_with_term_status_at_the_edges(on, expected):
    batch = BatchFactory(start_date=START)
    statuses = _batch_statuses(on)
    assert {s for s, pks in statuses.items() if batch.pk in pks} == {expected}
    assert batch.term.status(on) == expected


@pytest.mark.django_db
def test_batch_with_term_status_unscheduled():
    batch = BatchFactory(start_date=None)
    statuses = _batch_statuses(START)
    assert {s for s, pks in statuses.items() if batch.pk in pks} == {TermStatus.UNSCHEDULED}


@pytest.mark.django_db
def test_batch_with_term_status_across_leap_day():
    batch = BatchFactory(start_date=date(2020, 2, 1))
    in_progress = Batch.objects.with_term_status(TermStatus.IN_PROGRESS, on=date(2020, 5, 10))
    completed = Batch.objects.with_term_status(TermStatus.COMPLETED, on=date(2020, 5, 11))
    assert list(in_progress) == [batch]
    assert list(completed) == [batch]


@pytest.mark.django_db
def test_batch_with_term_status_defaults_to_today_in_shanghai():
    batch = BatchFactory(start_date=START)
    moment = datetime.datetime(2020, 4, 14, 16, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert list(Batch.objects.with_term_status(TermStatus.IN_PROGRESS)) == [batch]
        assert batch.term_status == TermStatus.IN_PROGRESS


def _placement_status(placement, on):
    return {
        status
        for status in TermStatus.values
        if Placement.objects.with_term_status(status, on=on).filter(pk=placement.pk).exists()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("on, expected", EDGES)
def test_placement_follows_its_batch_term(on, expected):
    placement = PlacementFactory(batch__start_date=START)
    assert _placement_status(placement, on) == {expected}
    assert placement.term.status(on) == expected


@pytest.mark.django_db
def test_placement_of_unscheduled_batch_is_unscheduled():
    placement = PlacementFactory(batch__start_date=None)
    assert _placement_status(placement, START) == {TermStatus.UNSCHEDULED}


OWN_START = START + timedelta(days=10)
OWN_END = START + timedelta(days=79)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "on, expected",
    [
        (START, TermStatus.PLANNED),  # the batch has started, the cadre has not
        (OWN_START - timedelta(days=1), TermStatus.PLANNED),
        (OWN_START, TermStatus.IN_PROGRESS),
        (OWN_END, TermStatus.IN_PROGRESS),
        (OWN_END + timedelta(days=1), TermStatus.COMPLETED),
        (DAY_100, TermStatus.COMPLETED),
    ],
)
def test_placement_with_own_dates_inside_batch_term(on, expected):
    placement = PlacementFactory(batch__start_date=START, start_date=OWN_START, end_date=OWN_END)
    assert _placement_status(placement, on) == {expected}
    assert placement.term.status(on) == expected


@pytest.mark.django_db
def test_placement_with_own_start_ends_with_the_batch():
    placement = PlacementFactory(batch__start_date=START, start_date=OWN_START)
    assert _placement_status(placement, DAY_100) == {TermStatus.IN_PROGRESS}
    assert _placement_status(placement, DAY_100 + timedelta(days=1)) == {TermStatus.COMPLETED}
    assert placement.term == Term(OWN_START, DAY_100)

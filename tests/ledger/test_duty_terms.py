"""What a duty asks by a date, derived from a cadre's term (Duty.due_by and friends).

The term 2020-04-15 (a Wednesday) to 2020-07-23 (a Thursday), 100 days, 14 Sundays in it.
No database: the arithmetic needs only the batch's start date and length.
"""

from datetime import date, timedelta

import pytest

from cohorts.models import Batch
from ledger.models import Duty, Standing

START = date(2020, 4, 15)
LAST = date(2020, 7, 23)
Cadence = Duty.Cadence


def term(start=START, days=100):
    return Batch(start_date=start, term_days=days).term


def due(cadence, on, target=1, **term_):
    return Duty(cadence=cadence, target=target).due_by(term(**term_), on)


@pytest.mark.parametrize(
    ("on", "expected"),
    [(START - timedelta(days=1), 0), (START, 1), (START + timedelta(days=9), 10), (LAST, 100),
     (LAST + timedelta(days=30), 100)],
)  # fmt: skip
def test_a_daily_duty_is_due_once_for_each_day_of_the_term_so_far(on, expected):
    assert due(Cadence.DAILY, on) == expected


def test_a_daily_target_of_two_doubles_what_is_due():
    assert due(Cadence.DAILY, START + timedelta(days=4), target=2) == 10


@pytest.mark.parametrize(
    ("day", "expected"), [(0, 0), (6, 0), (7, 1), (13, 1), (14, 2), (100, 14), (130, 14)]
)
def test_a_weekly_duty_is_due_for_each_completed_week(day, expected):
    # Day N of the term; day 7 ends week 1, day 100 is two days into week 15.
    assert due(Cadence.WEEKLY, START + timedelta(days=day - 1)) == expected


def test_nothing_weekly_is_due_before_the_term():
    assert due(Cadence.WEEKLY, START - timedelta(days=30)) == 0


def test_a_weekend_is_due_once_its_sunday_has_come():
    assert due(Cadence.WEEKEND, date(2020, 4, 18)) == 0  # the first Saturday
    assert due(Cadence.WEEKEND, date(2020, 4, 19)) == 1  # the first Sunday


def test_every_weekend_of_the_term_is_due_at_its_end():
    assert due(Cadence.WEEKEND, LAST) == 14
    assert due(Cadence.WEEKEND, LAST + timedelta(days=60)) == 14


def test_a_term_starting_on_a_sunday_owes_that_weekend():
    assert due(Cadence.WEEKEND, date(2020, 4, 19), start=date(2020, 4, 19)) == 1


def test_a_term_ending_on_a_saturday_does_not_owe_that_weekend():
    # 2020-04-15 to 2020-04-18: Wednesday to Saturday, the Sunday is after the term.
    assert due(Cadence.WEEKEND, date(2020, 4, 30), days=4) == 0


def test_a_report_by_the_term_end_is_due_on_the_last_day_not_before():
    assert due(Cadence.BY_END, LAST - timedelta(days=1)) == 0
    assert due(Cadence.BY_END, LAST) == 1
    assert due(Cadence.BY_END, LAST + timedelta(days=1)) == 1


def test_a_counted_target_is_due_in_full_at_the_term_end():
    assert due(Cadence.COUNTED, LAST - timedelta(days=1), target=20) == 0
    assert due(Cadence.COUNTED, LAST, target=20) == 20


def test_a_counted_target_is_expected_pro_rata_of_the_elapsed_term():
    duty = Duty(cadence=Cadence.COUNTED, target=20)
    assert duty.expected_by(term(), START - timedelta(days=1)) == 0
    assert duty.expected_by(term(), START + timedelta(days=49)) == 10  # day 50 of 100
    assert duty.expected_by(term(), LAST + timedelta(days=5)) == 20


def test_an_unscheduled_batch_owes_nothing():
    assert due(Cadence.DAILY, LAST, start=None) == 0
    assert Duty(cadence=Cadence.BY_END).total(term(start=None)) == 0


def test_the_total_is_what_is_due_by_the_term_end():
    assert Duty(cadence=Cadence.WEEKEND, target=1).total(term()) == 14
    assert Duty(cadence=Cadence.DAILY, target=1).total(term()) == 100


def standing(cadence, done, on, target=1):
    return Duty(cadence=cadence, target=target).standing(term(), done, on)


def test_todays_log_is_not_late_yet():
    assert standing(Cadence.DAILY, 0, START) == Standing.ON_TRACK


def test_a_missing_log_from_yesterday_is_overdue():
    assert standing(Cadence.DAILY, 0, START + timedelta(days=1)) == Standing.OVERDUE


def test_a_counted_target_below_pace_is_behind_not_overdue():
    on = START + timedelta(days=51)  # 51 days over: 10 of 20 expected
    assert standing(Cadence.COUNTED, 9, on, target=20) == Standing.BEHIND
    assert standing(Cadence.COUNTED, 10, on, target=20) == Standing.ON_TRACK


def test_a_counted_target_missed_at_the_end_is_overdue():
    assert standing(Cadence.COUNTED, 19, LAST + timedelta(days=1), target=20) == Standing.OVERDUE


def test_a_reached_target_is_done():
    assert standing(Cadence.COUNTED, 20, START + timedelta(days=3), target=20) == Standing.DONE


# A cadre's own dates (fix 1) and per-period duties (fix 4)


def test_a_cadre_who_started_late_owes_nothing_before_their_start():
    from placements.models import Placement

    late = Placement(start_date=START + timedelta(days=10)).term_within(term())
    log = Duty(cadence=Cadence.DAILY, target=1)
    assert log.standing(late, 0, START + timedelta(days=10)) == Standing.ON_TRACK
    assert log.total(late) == 90


def test_one_entry_of_a_hundred_does_not_keep_a_daily_log():
    log = Duty(cadence=Cadence.DAILY, target=1)
    assert log.measure(term(), [(START, 100)]) == 1
    assert log.measure(term(), [(START, 1), (START + timedelta(days=1), 1)]) == 2


def test_two_reflections_in_one_week_count_once():
    weekly = Duty(cadence=Cadence.WEEKLY, target=1)
    days = [(START, 1), (START + timedelta(days=6), 1), (START + timedelta(days=7), 1)]
    assert weekly.measure(term(), days) == 2


def test_a_saturday_and_a_sunday_make_one_weekend():
    weekend = Duty(cadence=Cadence.WEEKEND, target=1)
    assert weekend.measure(term(), [(date(2020, 4, 18), 1), (date(2020, 4, 19), 1)]) == 1


def test_a_counted_target_adds_up_its_counts():
    visits = Duty(cadence=Cadence.COUNTED, target=20)
    assert visits.measure(term(), [(None, 7), (None, 5)]) == 12


def test_a_cadre_with_a_start_date_in_an_unscheduled_batch_owes_nothing():
    from placements.models import Placement

    own_start = Placement(start_date=START).term_within(term(start=None))
    for cadence in Cadence.values:
        duty = Duty(cadence=cadence, target=1)
        assert (duty.total(own_start), duty.expected_by(own_start, LAST)) == (0, 0)
        assert duty.measure(own_start, [(START, 1)]) == (0 if duty.per_period else 1)

"""The reminders' rules (reminders/rules.py), the date moved rather than waited for."""

import datetime

import pytest

from cohorts.models import Batch
from ledger.models import Duty, ProgressEntry
from reminders import rules

from ..factories import BatchFactory, DutyFactory, LeadFactory, PlacementFactory, TopicFactory
from .conftest import START

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def due(on, kind=None):
    return [r for r in rules.due(on) if kind is None or r.kind == kind]


def keys(on, kind):
    return [r.key for r in due(on, kind)]


def usernames(reminder):
    return sorted(u.username for u in reminder.users)


# --- Departure --------------------------------------------------------------------------------


def test_departure_is_due_7_days_and_1_day_before_and_on_no_other_day(batch):
    days_before = [
        n for n in range(-1, 10) if keys(START - datetime.timedelta(days=n), "departure")
    ]
    assert days_before == [1, 7]


def test_departure_keys_name_the_days_the_batch_and_the_date(batch):
    assert keys(START - 7 * DAY, "departure") == [f"departure-7:{batch.pk}:2026-12-07"]
    assert keys(START - DAY, "departure") == [f"departure-1:{batch.pk}:2026-12-13"]


def test_departure_counts_who_is_not_yet_placed_by_group_and_leaves_out_the_withdrawn(
    batch, cadres
):
    [reminder] = due(START - 7 * DAY, "departure")
    assert reminder.title == "深圳第3批将于7天后出发"
    assert "共3人" in reminder.body
    assert "尚有 **1** 人未落实实训单位：\n- 第一组：1人" in reminder.body
    assert reminder.chat_body == reminder.body
    assert reminder.url == f"/lead/batches/{batch.pk}/"


def test_departure_goes_to_staff_and_the_batchs_leads(batch, lead, officer, admin_user):
    [reminder] = due(START - DAY, "departure")
    assert usernames(reminder) == ["admin", "lead", "officer"]
    assert reminder.title == "深圳第3批明天出发"


def test_a_user_who_is_staff_and_lead_is_a_recipient_once(batch, officer):
    batch.leads.add(officer)
    [reminder] = due(START - DAY, "departure")
    assert usernames(reminder) == ["officer"]


def test_a_lead_of_another_batch_is_not_told(batch, shenzhen):
    other = BatchFactory(programme=shenzhen, number=4, start_date=START + 30 * DAY)
    LeadFactory(username="other_lead", batches=[other])
    [reminder] = due(START - DAY, "departure")
    assert usernames(reminder) == []


def test_an_inactive_lead_is_not_a_recipient(batch, lead):
    lead.is_active = False
    lead.save()
    [reminder] = due(START - DAY, "departure")
    assert usernames(reminder) == []


# --- Postponed and unscheduled batches -------------------------------------------------------


def test_a_postponed_batch_gets_no_reminder_of_any_kind(batch, lead, cadres):
    DutyFactory(programme=batch.programme)
    TopicFactory(batch=batch, defence_date=START + 10 * DAY)
    Batch.objects.filter(pk=batch.pk).update(postponed=True, postponement_reason="疫情")
    days = [START + n * DAY for n in range(-8, 12)]
    assert [r for on in days for r in due(on)] == []


def test_a_batch_without_a_start_date_gets_no_reminder(shenzhen, lead):
    batch = BatchFactory(programme=shenzhen, start_date=None)
    TopicFactory(batch=batch, defence_date=START)
    assert due(START - 3 * DAY) == []


# --- Check-in on the first day ----------------------------------------------------------------


def test_check_in_is_due_on_the_first_day_only(batch):
    assert keys(START - DAY, "check_in") == []
    assert keys(START, "check_in") == [f"check-in:{batch.pk}:2026-12-14"]
    assert keys(START + DAY, "check_in") == []


def test_check_in_names_who_has_not_checked_in_by_group(batch, cadres):
    [reminder] = due(START, "check_in")
    assert reminder.title == "深圳第3批今日开训：2人尚未报到"
    assert "尚有 **2** 人未报到：\n- 第一组：钱二\n- 第二组：孙三" in reminder.body
    assert "赵一" not in reminder.body and "李四" not in reminder.body


def test_the_group_chat_gets_counts_by_group_never_names(batch, cadres):
    [reminder] = due(START, "check_in")
    assert "- 第一组：1人\n- 第二组：1人" in reminder.chat_body
    assert not any(name in reminder.chat_body for name in ["钱二", "孙三", "赵一"])


def test_check_in_links_to_the_batchs_pending_cadres(batch):
    [reminder] = due(START, "check_in")
    assert reminder.url == "/placements/?batch=SZ-3&status=pending"


def test_a_cadre_who_joins_later_is_not_expected_on_the_first_day(batch):
    PlacementFactory(batch=batch, start_date=START + 5 * DAY, cadre__name="周五")
    [reminder] = due(START, "check_in")
    assert reminder.title == "深圳第3批今日开训：全员已报到"


# --- Daily, to leads --------------------------------------------------------------------------


@pytest.fixture
def log(batch):
    return DutyFactory(programme=batch.programme, name="学习日志", cadence=Duty.Cadence.DAILY)


def test_daily_is_due_each_day_of_the_term_and_not_before_or_after(batch, lead, log):
    last = batch.term.end
    assert keys(START - DAY, "daily") == []
    assert keys(START, "daily") == [f"daily:{batch.pk}:2026-12-14"]
    assert keys(last, "daily") == [f"daily:{batch.pk}:{last}"]
    assert keys(last + DAY, "daily") == []


def test_daily_goes_to_the_batchs_leads_only(batch, lead, officer, log):
    [reminder] = due(START + DAY, "daily")
    assert usernames(reminder) == ["lead"]
    assert reminder.chat_body == ""


def test_daily_names_the_duties_due_today_and_who_is_behind(batch, lead, log, cadres):
    on = START + 2 * DAY
    for placement in cadres[:2]:  # 赵一 and 钱二 logged both days; 孙三 nothing
        for day in (START, START + DAY):
            ProgressEntry.objects.create(placement=placement, duty=log, date=day)
    [reminder] = due(on, "daily")
    assert reminder.title == "深圳第3批第3天（共100天）：今日任务提醒"
    assert "今日到期任务：学习日志。" in reminder.body
    assert "进度落后：\n- 学习日志：1人（孙三）" in reminder.body
    assert reminder.url == f"/lead/batches/{batch.pk}/duties/"


def test_a_weekly_duty_is_due_on_the_last_day_of_each_week_of_the_term(batch, lead):
    DutyFactory(programme=batch.programme, name="周报", cadence=Duty.Cadence.WEEKLY)
    assert keys(START + 5 * DAY, "daily") == []  # nothing due, nobody behind yet
    [reminder] = due(START + 6 * DAY, "daily")  # day 7
    assert "今日到期任务：周报。" in reminder.body
    assert "无人进度落后。" in reminder.body


def test_a_lead_of_two_batches_gets_each_batchs_daily(batch, lead, log, shenzhen):
    other = BatchFactory(programme=shenzhen, number=4, start_date=START)
    other.leads.add(lead)
    reminders = due(START, "daily")
    assert [r.batch for r in reminders] == [batch, other]


# --- Weekly, to staff -------------------------------------------------------------------------


def test_weekly_is_due_on_mondays_only(batch, officer):
    monday = START + 7 * DAY
    assert [keys(monday + n * DAY, "weekly") for n in range(-1, 2)] == [
        [],
        ["weekly:2026-12-21"],
        [],
    ]


def test_weekly_is_not_due_when_no_batch_is_in_its_term(batch, officer):
    assert keys(START - 7 * DAY, "weekly") == []


def test_weekly_tells_staff_each_running_batchs_progress(batch, officer, lead, log, cadres):
    cadres[0].status = "on_site"
    cadres[0].save()
    [reminder] = due(START + 7 * DAY, "weekly")
    assert usernames(reminder) == ["officer"]
    assert reminder.batch is None and reminder.chat_body == ""
    assert reminder.title == "在训批次周报（2026年12月21日）"
    assert reminder.body == (
        "- **深圳第3批**（第8天，共100天）：共3人，已落实实训单位2人，已到岗1人；"
        "进度落后：学习日志3人"
    )


# --- Defence, 3 days before -------------------------------------------------------------------


def test_defence_is_due_3_days_before_and_on_no_other_day(batch, lead):
    TopicFactory(batch=batch, defence_date=START + 40 * DAY)
    days_before = [n for n in range(0, 8) if keys(START + (40 - n) * DAY, "defence")]
    assert days_before == [3]


def test_defence_lists_the_days_topics_and_their_claimants(batch, lead, officer, cadres):
    day = START + 40 * DAY
    claimed = TopicFactory(batch=batch, title="营商环境", defence_date=day)
    claimed.claimants.set(cadres[:2])
    TopicFactory(batch=batch, title="港口物流", defence_date=day)
    [reminder] = due(day - 3 * DAY, "defence")
    assert reminder.key == f"defence:{batch.pk}:{day}"
    assert usernames(reminder) == ["lead", "officer"]
    assert "- 《港口物流》：尚无人认领\n- 《营商环境》：钱二、赵一" in reminder.body
    assert reminder.chat_body == reminder.body


def test_a_topic_already_defended_gets_no_reminder(batch, lead):
    TopicFactory(batch=batch, defence_date=START + 40 * DAY, state="defended")
    assert keys(START + 37 * DAY, "defence") == []


# --- Keys -------------------------------------------------------------------------------------


def test_the_same_day_gives_the_same_reminders_under_the_same_keys(batch, lead, log, cadres):
    assert [r.key for r in due(START)] == [r.key for r in due(START)]


def test_a_long_list_of_who_is_behind_ends_with_how_many_more(batch, lead, log):
    PlacementFactory.create_batch(12, batch=batch)
    [reminder] = due(START + DAY, "daily")
    line = next(line for line in reminder.body.splitlines() if line.startswith("- 学习日志"))
    assert line.startswith("- 学习日志：12人（") and line.endswith("，另有2人）")
    assert line.count("、") == 9


def test_a_group_named_like_a_link_posts_no_link_to_the_chat(batch):
    PlacementFactory(batch=batch, group="[点此签到](http://evil.cn/x)")
    [reminder] = due(START, "check_in")
    assert "](" not in reminder.chat_body
    assert "［点此签到］（http://evil.cn/x）：1人" in reminder.chat_body

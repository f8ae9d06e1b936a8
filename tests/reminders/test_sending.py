"""Sending the reminders due on a day (reminders/services.py), its task and its command."""

import datetime
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from cohorts.models import Batch
from notifications.models import Delivery, Kind, Mute, Notification
from reminders.services import reminders_send
from reminders.tasks import reminders_send_task

from .conftest import START

pytestmark = pytest.mark.django_db

WEBHOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret"
EVE = START - datetime.timedelta(days=1)


@pytest.fixture
def robot(batch):
    Batch.objects.filter(pk=batch.pk).update(wechat_webhook=WEBHOOK)


def test_each_recipient_is_notified_and_mailed(batch, lead, officer, cadres):
    [sent] = reminders_send(on=EVE)
    assert sent.new == 2
    notification = Notification.objects.get(user=lead)
    assert (notification.kind, notification.batch, notification.title) == (
        Kind.DEPARTURE,
        batch,
        "深圳第3批明天出发",
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.org", "officer@example.org"]


def test_running_twice_on_one_day_sends_nothing_new(batch, lead, officer, robot, chat):
    reminders_send(on=EVE)
    again = reminders_send(on=EVE)
    assert [s.new for s in again] == [0]
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    assert len(chat) == 1


def test_the_chat_gets_its_own_words_once(batch, lead, cadres, robot, chat):
    reminders_send(on=START)
    [(webhook, title, body)] = chat
    assert webhook == WEBHOOK and title == "深圳第3批今日开训：2人尚未报到"
    assert "孙三" not in body and "- 第二组：1人" in body
    assert "孙三" in Notification.objects.get(user=lead).body
    assert Delivery.objects.filter(channel=Delivery.Channel.WECHAT).count() == 1


def test_a_batch_without_a_robot_address_sends_nothing_to_a_chat(batch, lead, chat):
    [sent] = [s for s in reminders_send(on=START) if s.reminder.kind == Kind.CHECK_IN]
    assert (sent.chat, chat) == (False, [])


def test_a_user_who_turned_the_kind_off_gets_nothing(batch, lead, officer):
    Mute.objects.create(user=officer, kind=Kind.DEPARTURE)
    [sent] = reminders_send(on=EVE)
    assert sent.new == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["lead"]


def test_a_dry_run_counts_what_would_be_sent_and_writes_nothing(batch, lead, officer, robot, chat):
    Mute.objects.create(user=officer, kind=Kind.DEPARTURE)
    [sent] = reminders_send(on=EVE, dry_run=True)
    assert (sent.new, sent.chat) == (1, True)
    assert (Notification.objects.count(), Delivery.objects.count(), chat) == (0, 0, [])


def test_a_dry_run_after_sending_counts_nothing_new(batch, lead):
    reminders_send(on=EVE)
    [sent] = reminders_send(on=EVE, dry_run=True)
    assert sent.new == 0


def test_the_words_are_the_sites_language_whatever_is_active(batch, lead):
    from django.utils import translation

    with translation.override("en"):
        [sent] = reminders_send(on=EVE)
    assert sent.reminder.title == "深圳第3批明天出发"


# --- The task ---------------------------------------------------------------------------------


def test_the_task_sends_for_todays_date_in_shanghai(batch, lead, monkeypatch):
    # 17:00 UTC on the 12th is 01:00 on the 13th in Shanghai: the eve of the departure.
    evening = datetime.datetime(2026, 12, 12, 17, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    result = reminders_send_task.apply().get()
    assert [r["key"] for r in result] == [f"departure-1:{batch.pk}:2026-12-13"]


def test_the_task_an_hour_earlier_is_still_the_day_before(batch, lead, monkeypatch):
    evening = datetime.datetime(2026, 12, 12, 15, 59, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    assert reminders_send_task.apply().get() == []


# --- The command ------------------------------------------------------------------------------


def test_the_command_ends_with_one_line_of_json(batch, lead, officer, capsys):
    call_command("send_reminders", "--date", "2026-12-13", "--json")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last) == [
        {
            "kind": "departure",
            "key": f"departure-1:{batch.pk}:2026-12-13",
            "batch": "SZ-3",
            "title": "深圳第3批明天出发",
            "recipients": 2,
            "new_notifications": 2,
            "chat": False,
        }
    ]
    assert Notification.objects.count() == 2


def test_the_commands_dry_run_writes_nothing(batch, lead, officer, capsys):
    call_command("send_reminders", "--date", "2026-12-13", "--dry-run", "--json")
    out = capsys.readouterr().out
    assert "试运行，未发送" in out
    assert json.loads(out.strip().splitlines()[-1])[0]["new_notifications"] == 2
    assert (Notification.objects.count(), Delivery.objects.count(), mail.outbox) == (0, 0, [])


@pytest.mark.parametrize("text", ["2026-13-01", "tomorrow", "2026/12/13"])
def test_a_bad_date_is_a_usage_error(text):
    with pytest.raises(CommandError) as error:
        call_command("send_reminders", "--date", text)
    assert error.value.returncode == 2
    assert "YYYY-MM-DD" in str(error.value)


def test_without_a_date_the_command_uses_today_in_shanghai(batch, lead, monkeypatch, capsys):
    evening = datetime.datetime(2026, 12, 12, 17, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    call_command("send_reminders", "--json")
    [item] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert item["key"] == f"departure-1:{batch.pk}:2026-12-13"

"""notification_send and its channels: once per key, mute per kind, e-mail, the robot's
markdown JSON, failures recorded, retries with growing waits."""

import datetime
import socket
import threading

import pytest
from django.core import mail
from django.utils import timezone

from notifications import tasks
from notifications.channels import webhook_masked
from notifications.models import Delivery, Kind, Mute, Notification
from notifications.services import notification_send
from notifications.tasks import deliveries_retry, delivery_send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://px.example.org"


def send(users, *, key="departure:SZ-3:7", kind=Kind.DEPARTURE, **more):
    return notification_send(
        users=users, kind=kind, key=key, title="深圳第3批7天后出发", body="3人尚未安排接收单位",
        url="/lead/batches/1/", **more,
    )  # fmt: skip


def test_sending_twice_under_one_key_notifies_once(lead):
    send([lead])
    send([lead])
    assert (Notification.objects.count(), Delivery.objects.count(), len(mail.outbox)) == (1, 1, 1)


def test_the_email_carries_the_title_text_and_full_link(lead):
    send([lead])
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["lead@example.org"], "深圳第3批7天后出发")
    assert "3人尚未安排接收单位" in message.body
    assert "https://px.example.org/lead/batches/1/" in message.body


def test_a_muted_kind_is_neither_shown_nor_mailed(lead):
    Mute.objects.create(user=lead, kind=Kind.DEPARTURE)
    send([lead])
    assert (Notification.objects.count(), len(mail.outbox)) == (0, 0)


def test_muting_one_kind_leaves_the_others(lead):
    Mute.objects.create(user=lead, kind=Kind.WEEKLY)
    send([lead])
    assert (Notification.objects.count(), len(mail.outbox)) == (1, 1)


def test_the_group_chat_gets_markdown_json(sz3, robot):
    sz3.wechat_webhook = robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    assert robot.got == [
        {
            "msgtype": "markdown",
            "markdown": {
                "content": "**深圳第3批7天后出发**\n3人尚未安排接收单位\n"
                "[查看详情](https://px.example.org/lead/batches/1/)"
            },
        }
    ]
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_the_group_chat_is_posted_once_per_key(sz3, robot):
    sz3.wechat_webhook = robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    send([], batch=sz3, chat=True)
    assert len(robot.got) == 1


def test_an_http_error_is_recorded_as_failed_with_its_reason(sz3, broken_robot):
    sz3.wechat_webhook = broken_robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 1)
    assert "500" in delivery.last_error


def test_a_robot_answering_an_errcode_is_a_failure(sz3, refusing_robot):
    sz3.wechat_webhook = refusing_robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "93000" in delivery.last_error


def test_the_recorded_error_never_holds_the_robots_key(sz3):
    sz3.wechat_webhook = "https://127.0.0.1:1/send?key=SECRETKEY12345"
    sz3.save()
    send([], batch=sz3, chat=True)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and "SECRETKEY12345" not in delivery.last_error


def test_each_run_of_the_task_is_one_more_attempt_until_sent(sz3, broken_robot):
    sz3.wechat_webhook = broken_robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    delivery = Delivery.objects.get()
    delivery_send.apply(args=[delivery.pk])
    broken_robot.status, broken_robot.answer = 200, b'{"errcode":0}'
    delivery_send.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")


def test_a_sent_delivery_is_not_sent_again(sz3, robot):
    sz3.wechat_webhook = robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    delivery_send.apply(args=[Delivery.objects.get().pk])
    assert len(robot.got) == 1


def test_with_a_worker_a_failure_is_retried_after_growing_waits(sz3, broken_robot, monkeypatch):
    sz3.wechat_webhook = broken_robot.url
    sz3.save()
    send([], batch=sz3, chat=True)  # inline: one attempt, failed
    waits, backoff = [], tasks.backoff_seconds
    monkeypatch.setattr(tasks, "retried_by_celery", lambda request: True)  # as in a worker
    monkeypatch.setattr(tasks, "backoff_seconds", lambda n: waits.append(backoff(n)) or 0)
    # Celery's apply runs each retry at once (the countdown is what a worker would wait).
    monkeypatch.setitem(delivery_send.app.conf, "task_eager_propagates", False)
    delivery_send.apply(args=[Delivery.objects.get().pk])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", tasks.MAX_ATTEMPTS)
    assert len(broken_robot.got) == tasks.MAX_ATTEMPTS
    assert waits == [120, 240, 480]  # after attempts 2, 3 and 4; none after the last


def test_the_waits_between_attempts_double_up_to_an_hour():
    assert [tasks.backoff_seconds(n) for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_the_periodic_run_requeues_failures_left_long_ago(sz3, broken_robot):
    sz3.wechat_webhook = broken_robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    Delivery.objects.update(tried_at="2020-01-01T00:00Z")
    assert deliveries_retry.apply().result == 1
    assert Delivery.objects.get().attempts == 2


def test_the_periodic_run_leaves_recent_failures_to_the_workers_retry(sz3, broken_robot):
    sz3.wechat_webhook = broken_robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    assert deliveries_retry.apply().result == 0


def test_the_masked_address_keeps_the_start_and_end_of_the_key():
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ab12cd34-5678-90ef-7f"
    assert webhook_masked(url) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ab12…7f"


@pytest.fixture
def not_http():
    """A peer on loopback that answers a line that is no HTTP (as Redis or SMTP would)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def answer():
        connection, _address = server.accept()
        connection.recv(65536)
        connection.sendall(b"+OK not http\r\n")
        connection.close()

    threading.Thread(target=answer, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/send?key=SECRETKEY12345"
    server.close()


def test_a_peer_that_speaks_no_http_is_a_recorded_failure(sz3, not_http):
    sz3.wechat_webhook = not_http
    sz3.save()
    send([], batch=sz3, chat=True)  # no exception reaches the caller
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error and "SECRETKEY12345" not in delivery.last_error


def test_a_title_mail_refuses_is_a_recorded_failure(lead):
    notification_send(users=[lead], kind=Kind.DEPARTURE, key="k", title="第一行\n第二行")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED


def test_an_unforeseen_fault_is_recorded_never_left_sending(sz3, robot, monkeypatch):
    sz3.wechat_webhook = robot.url
    sz3.save()

    def broken(**kwargs):
        raise RuntimeError("unforeseen")

    monkeypatch.setattr(tasks, "wechat_send", broken)
    send([], batch=sz3, chat=True)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.FAILED, "RuntimeError")


def test_a_delivery_left_sending_with_no_attempts_left_is_not_taken_up_again(sz3, robot):
    sz3.wechat_webhook = robot.url
    sz3.save()
    send([], batch=sz3, chat=True)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Delivery.objects.update(
        status=Delivery.Status.SENDING, attempts=tasks.MAX_ATTEMPTS, tried_at=long_ago
    )
    assert deliveries_retry() == 0

"""The admin: deliveries read-only with "send again" for staff; the batch's robot address
masked on every page, replaced, kept when left blank, removed only when asked."""

import base64
import zlib

import pytest
from django.core import signing
from django.urls import reverse

from notifications.models import Delivery, Kind
from tests.forms import opened

pytestmark = pytest.mark.django_db

SECRET = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ab12cd34-ef56-7890-abcd-1234567890f7"
KEY = "ab12cd34-ef56-7890-abcd-1234567890f7"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def failed(sz3):
    return Delivery.objects.create(
        key="wechat:1:x", channel="wechat", kind=Kind.DEPARTURE, batch=sz3, title="提醒",
        status="failed", attempts=5, last_error="HTTP Error 500",
    )  # fmt: skip


def batch_url(batch):
    return reverse("admin:cohorts_batch_change", args=[batch.pk])


def test_staff_see_the_deliveries(staff_client, failed):
    html = staff_client.get(reverse("admin:notifications_delivery_changelist")).content.decode()
    assert "HTTP Error 500" in html and "发送失败" in html


def test_a_delivery_cannot_be_changed(staff_client, failed):
    url = reverse("admin:notifications_delivery_change", args=[failed.pk])
    response = staff_client.post(url, {"title": "changed"})
    failed.refresh_from_db()
    assert response.status_code == 403 and failed.title == "提醒"


def test_a_lead_has_no_delivery_list(client, lead):
    lead.is_staff = True  # even one made staff by mistake holds no permission on deliveries
    lead.save()
    client.force_login(lead)
    assert client.get(reverse("admin:notifications_delivery_changelist")).status_code == 403


def test_send_again_queues_the_failed_ones(staff_client, failed, sz3, robot):
    sz3.wechat_webhook = robot.url
    sz3.save()
    staff_client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, len(robot.got)) == ("sent", 6, 1)


def test_send_again_leaves_a_sent_one(staff_client, failed, robot):
    Delivery.objects.filter(pk=failed.pk).update(status="sent")
    staff_client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    assert robot.got == []


def test_the_batch_page_shows_the_address_masked(staff_client, sz3):
    sz3.wechat_webhook = SECRET
    sz3.save()
    html = staff_client.get(batch_url(sz3)).content.decode()
    assert "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ab12…f7" in html
    assert KEY not in html


def test_the_pages_signed_snapshot_does_not_hold_it(staff_client, sz3):
    sz3.wechat_webhook = SECRET
    sz3.save()
    snapshot = opened(staff_client, batch_url(sz3))["opened"][0]
    payload = snapshot.split(":")[0].lstrip(".")
    decoded = zlib.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert KEY not in decoded.decode()
    assert signing.loads(snapshot, salt="cadreprog.versioning.opened")  # sound, all the same


@pytest.mark.parametrize(
    "page", ["admin:cohorts_batch_changelist", "admin:cohorts_batch_history", "lead-batch"]
)
def test_no_other_page_shows_it(staff_client, sz3, page):
    sz3.wechat_webhook = SECRET
    sz3.save()
    args = [] if page.endswith("changelist") else [sz3.pk]
    assert KEY not in staff_client.get(reverse(page, args=args)).content.decode()


def save(client, batch, **changes):
    data = opened(client, batch_url(batch))
    data.update(changes)
    return client.post(batch_url(batch), data)


def test_leaving_it_blank_keeps_the_address(staff_client, sz3):
    sz3.wechat_webhook = SECRET
    sz3.save()
    save(staff_client, sz3, notes=["新备注"])
    sz3.refresh_from_db()
    assert (sz3.wechat_webhook, sz3.notes) == (SECRET, "新备注")


def test_a_new_address_replaces_it(staff_client, sz3):
    sz3.wechat_webhook = SECRET
    sz3.save()
    save(staff_client, sz3, wechat_webhook_new=["https://qyapi.weixin.qq.com/x?key=new12345678"])
    sz3.refresh_from_db()
    assert sz3.wechat_webhook == "https://qyapi.weixin.qq.com/x?key=new12345678"


def test_clear_removes_it(staff_client, sz3):
    sz3.wechat_webhook = SECRET
    sz3.save()
    save(staff_client, sz3, wechat_webhook_clear=["on"])
    sz3.refresh_from_db()
    assert sz3.wechat_webhook == ""


def test_an_address_that_is_no_web_address_is_refused(staff_client, sz3):
    response = save(staff_client, sz3, wechat_webhook_new=["file:///etc/passwd"])
    sz3.refresh_from_db()
    assert response.status_code == 200 and sz3.wechat_webhook == ""
    assert "以 https:// 或 http:// 开头" in response.content.decode()


def test_a_refused_form_does_not_show_the_address_typed(staff_client, sz3):
    typed = "https://qyapi.weixin.qq.com/x?key=typed-secret-99"
    response = save(staff_client, sz3, wechat_webhook_new=[typed], number=["0"])
    assert response.status_code == 200 and "typed-secret-99" not in response.content.decode()


def test_the_test_message_reaches_the_group(staff_client, sz3, robot):
    sz3.wechat_webhook = robot.url
    sz3.save()
    response = staff_client.post(
        reverse("admin:cohorts_batch_changelist"),
        {"action": "send_test_message", "_selected_action": [sz3.pk]},
        follow=True,
    )
    assert len(robot.got) == 1 and "已向 深圳第3批 工作群发送测试消息" in response.content.decode()

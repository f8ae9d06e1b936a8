"""The bell on a phone and at a desk: it fits the header, its count leads to the list, and
opening a notification follows its link and lowers the count."""

import pytest

from notifications.models import Kind, Notification

from ..factories import LeadFactory, StaffFactory
from .conftest import log_in, log_in_on_site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lead(sz3):
    lead = LeadFactory(username="wang", first_name="王书记", batches=[sz3])
    for n, (kind, title) in enumerate([
        (Kind.DEPARTURE, "深圳第3批将于7天后出发：仍有3人未安排接收单位"),
        (Kind.DAILY, "今日到期任务：学习日志（5人未提交）"),
        (Kind.IMPORT, "任务进度导入完成：共导入42条"),
    ]):  # fmt: skip
        Notification.objects.create(
            user=lead, kind=kind, key=f"k{n}", title=title, body="请及时跟进。",
            url=f"/lead/batches/{sz3.pk}/", batch=sz3,
        )  # fmt: skip
    return lead


def test_the_bell_leads_to_the_list_and_opening_one_reads_it(page, live_server, lead, sz3):
    log_in_on_site(page, live_server, "wang")
    page.wait_for_url(f"{live_server.url}/lead/")
    bell = page.locator("a.bell")
    assert bell.locator(".badge").inner_text().startswith("3")
    box, header = bell.bounding_box(), page.locator(".site-header").bounding_box()
    assert box["x"] + box["width"] <= header["x"] + header["width"]  # fits the phone's width
    screenshot(page, "bell-lead-home")

    bell.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    assert page.locator(".notification-list li.unread").count() == 3
    screenshot(page, "notification-list")

    page.click("text=今日到期任务")
    page.wait_for_url(f"{live_server.url}/lead/batches/{sz3.pk}/")
    assert page.locator("a.bell .badge").inner_text().startswith("2")

    page.goto(f"{live_server.url}/notifications/settings/")
    screenshot(page, "notification-settings")
    assert page.locator(".kind-choices li").count() == 6


def test_the_bell_in_the_admin(page, live_server, sz3):
    staff = StaffFactory(username="admin")
    Notification.objects.create(user=staff, kind=Kind.WEEKLY, key="w", title="本周各批次进展")
    log_in(page, live_server)
    assert page.locator("#user-tools a.bell .badge").inner_text().startswith("1")
    screenshot(page, "bell-admin")

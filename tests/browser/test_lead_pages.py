"""A team lead on their phone and at a desk: log in, find a cadre, change the host unit."""

import pytest

from cohorts.models import Cadre
from placements.models import HostUnit, Placement

from ..factories import CadreFactory, HostUnitFactory, LeadFactory, PlacementFactory
from .conftest import log_in_on_site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def batch(sz3):
    units = [HostUnitFactory(name=n) for n in ["平安证券", "华润集团", "腾讯集团", "前海母基金"]]
    names = ["李娜", "王伟", "张敏", "刘洋", "陈静", "杨磊", "赵军", "黄丽"]
    for i, name in enumerate(names):
        PlacementFactory(
            batch=sz3,
            cadre=CadreFactory(name=name, phone=f"1391234{i:04d}"),
            host_unit=units[i % 3],
            group=["即墨区小组", "市南区小组"][i % 2],
            role=["研究员", "策划", "分析师"][i % 3],
            status=["pending", "checked_in", "on_site"][i % 3],
        )
    LeadFactory(username="wang", first_name="王书记", batches=[sz3])
    return sz3


def test_lead_changes_a_host_unit_and_sees_it_in_the_history(page, live_server, batch):
    log_in_on_site(page, live_server, "wang")
    page.wait_for_url(f"{live_server.url}/lead/")
    assert "深圳第3批" in page.inner_text("main")
    screenshot(page, "lead-home")

    page.click("text=深圳第3批")
    page.fill("#id_q", "李娜")
    page.click("text=筛选")
    assert page.locator(".placement").count() == 1
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/")
    screenshot(page, "lead-batch")

    page.click("text=李娜")
    page.fill("#id_host_unit_name", "")
    page.type("#id_host_unit_name", "腾讯")
    # A selector wait, not wait_for_function: the CSP forbids the eval() that one needs.
    page.wait_for_selector("#host-unit-options option", state="attached")
    assert page.locator("#host-unit-options option").first.get_attribute("value") == "腾讯集团"
    page.fill("#id_host_unit_name", "腾讯集团")
    page.fill("#id_role", "总裁助理")
    screenshot(page, "lead-edit")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/lead/batches/{batch.pk}/#p*")
    assert "已保存李娜的实训安排" in page.inner_text(".messages")

    placement = Placement.objects.get(cadre__name="李娜")
    assert placement.host_unit == HostUnit.objects.get(name="腾讯集团")
    page.goto(f"{live_server.url}/lead/placements/{placement.pk}/history/")
    history = page.inner_text(".history")
    assert "王书记" in history and "平安证券" in history and "腾讯集团" in history
    screenshot(page, "lead-history")
    assert page.console_errors == []


def test_lead_marks_the_whole_batch_on_site(page, live_server, batch):
    log_in_on_site(page, live_server, "wang")
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/")
    page.click("button:has-text('整个批次')")
    question = page.inner_text(".confirm-question")  # asked on a page: no dialog, no script
    assert question == "将把 6 人改为“已到岗”；2 人不改：2 人已是“已到岗”。"
    assert Placement.objects.filter(status="on_site").count() == 2
    page.click(".confirm-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert set(Placement.objects.values_list("status", flat=True)) == {"on_site"}
    assert Cadre.objects.count() == 8

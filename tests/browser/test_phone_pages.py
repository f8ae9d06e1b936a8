"""The lead's pages on a phone and at a desk (issue 16): the outcomes page with its record
actions first and a cadre picked by search, the lists as cards, the message after a save in
view, and the small helps (breadcrumbs, the way back from the admin, the favicon)."""

import pytest
from django.contrib.auth import get_user_model

from ..factories import (
    CadreFactory,
    HostUnitFactory,
    LeadFactory,
    PlacementFactory,
    SuggestionFactory,
)
from .conftest import SCREENSHOTS, log_in, log_in_on_site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SURNAMES = "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


@pytest.fixture
def batch(sz3):
    """40 cadres, two of them 王浩 from different home units, and a few suggestions."""
    units = [HostUnitFactory(name=n) for n in ["平安证券", "华润集团", "腾讯集团"]]
    for i in range(38):
        PlacementFactory(
            batch=sz3,
            cadre=CadreFactory(name=SURNAMES[i % 20] + "一二三四五六七八九十"[i % 10] + "明"),
            host_unit=units[i % 3],
            home_unit=["市商务局", "即墨区发展改革局", "市南区科技局"][i % 3],
            group=["第一组", "第二组"][i % 2],
        )
    for unit in ["市商务局", "城阳区工业和信息化局"]:
        PlacementFactory(batch=sz3, cadre=CadreFactory(name="王浩"), home_unit=unit)
    SuggestionFactory.create_batch(3, batch=sz3)
    LeadFactory(username="wang", first_name="王书记", batches=[sz3])
    return sz3


def in_view(page, selector) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_a_lead_records_a_suggestion_for_one_of_two_namesakes(page, live_server, batch):
    log_in_on_site(page, live_server, "wang")
    page.wait_for_url(f"{live_server.url}/lead/")
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/outcomes/")
    assert in_view(page, "#record-suggestion summary")  # the record actions come first
    screenshot(page, "lead-outcomes")

    page.click("#record-suggestion summary")
    page.fill("#id_suggestion-title", "关于优化企业开办流程的建议")
    page.fill("#id_suggestion-submitted_on", "2026-11-20")
    page.fill("#record-suggestion [data-cadre-search]", "wanghao")
    shown = page.locator("#record-suggestion .cadre-picker-option:visible")
    assert shown.count() == 2
    assert "王浩（城阳区工业和信息化局）" in shown.all_inner_texts()
    page.click("#record-suggestion label:has-text('王浩（城阳区工业和信息化局）')")
    screenshot(page, "lead-outcomes-record")
    page.click("#record-suggestion button:has-text('保存')")
    page.wait_for_url(f"**/lead/batches/{batch.pk}/outcomes/")
    assert "关于优化企业开办流程的建议" in page.inner_text(".messages")
    assert in_view(page, ".messages")
    page.click("#suggestions summary")
    assert "王浩" in page.inner_text("#suggestions")
    screenshot(page, "lead-outcomes-saved")


def test_after_saving_a_card_low_on_the_batch_page_the_message_is_in_view(page, live_server, batch):
    log_in_on_site(page, live_server, "wang")
    page.wait_for_url(f"{live_server.url}/lead/")
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/")
    page.locator(".placement .cadre-name").last.click()
    page.fill("#id_role", "总裁助理")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/lead/batches/{batch.pk}/#p*")
    assert in_view(page, ".messages")
    # What is on screen, not the whole page: the message is where the user looks.
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS / f"lead-batch-saved-{width}.png")


def test_a_leads_placement_list_fits_the_screen(page, live_server, batch):
    log_in_on_site(page, live_server, "wang")
    page.wait_for_url(f"{live_server.url}/lead/")
    page.goto(f"{live_server.url}/placements/")
    assert page.locator(".crumbs a").inner_text() == "我的批次"
    table = page.locator("table.list").bounding_box()
    assert table["width"] <= page.viewport_size["width"]
    page.locator("table.list td.name a").first.click()
    page.wait_for_url("**/lead/placements/*/")
    page.goto(f"{live_server.url}/placements/")
    screenshot(page, "lead-placement-list")


def test_staff_find_the_way_back_from_the_admin_and_the_icon(page, live_server, batch):
    get_user_model().objects.create_superuser("admin", password="password")
    log_in(page, live_server)
    page.click(".site-links a:has-text('实训单位')")
    page.wait_for_url(f"{live_server.url}/host-units/")
    assert "拼音" in page.get_attribute("input[name=q]", "placeholder")
    assert page.locator(".crumbs a").inner_text() == "总览"
    screenshot(page, "host-unit-list")
    assert page.goto(f"{live_server.url}/favicon.ico").ok
    page.goto(f"{live_server.url}/admin/")
    screenshot(page, "admin-index")

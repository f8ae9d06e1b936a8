"""The dashboard and the filtered lists in a real browser, at desktop and phone width."""

import pytest
from django.core.management import call_command

from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(admin_user):
    call_command("seed_demo", verbosity=0)


def fits_the_width(page):
    """Nothing but the tables (which scroll inside .table-wrap) is wider than the screen."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_dashboard_shows_the_programme_at_a_glance(page, live_server, demo):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/")

    shenzhen = page.locator("#programme-SZ").inner_text()
    assert "赴深圳体悟实训" in shenzhen and "877" in shenzhen  # 757 published + 120 in SZ-6
    assert "上海第5批" in page.locator(".batches").inner_text()
    assert page.locator("svg.bar-chart").count() == 6
    assert fits_the_width(page)
    screenshot(page, "dashboard")
    assert page.console_errors == []


def test_a_chart_bar_opens_the_rows_behind_it(page, live_server, demo):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/")
    page.locator("#chart-generation svg a", has_text="90后").click()

    page.wait_for_url("**/placements/?generation=90*")
    assert "年龄段：90后" in page.locator(".chips").inner_text()


def test_filtering_the_placement_list(page, live_server, demo):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/placements/")
    page.click(".filter-panel summary")
    page.select_option("#id_batch", "SZ-3")
    page.select_option("#id_rank_tier", "division")
    page.select_option("#id_host_unit_kind", "investment")
    page.click("text=应用筛选")

    # Only the filters in use go into the URL, so it can be bookmarked and shared.
    page.wait_for_url("**/placements/?batch=SZ-3&host_unit_kind=investment&rank_tier=division")
    count = page.locator(".count").inner_text()
    assert "条结果" in count
    assert page.locator("table.list tbody tr").count() == int(count.split()[1])
    assert set(page.locator("table.list tbody td:nth-child(2)").all_inner_texts()) == {"深圳第3批"}
    assert fits_the_width(page)
    screenshot(page, "placements-list")
    assert page.console_errors == []


def test_sorting_and_removing_a_filter(page, live_server, demo):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/placements/?batch=SH-5&district=即墨区")
    page.click("table.list th >> text=职级")
    page.wait_for_url("**o=rank**")
    page.locator(".chips li", has_text="区市").locator("a").click()

    page.wait_for_url("**/placements/?batch=SH-5&o=rank")
    assert "81 条结果" in page.locator(".count").inner_text()


def test_cadre_list_at_phone_width(page, live_server, demo):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/cadres/?programme=SH&generation=80后")

    assert "条结果" in page.locator(".count").inner_text()
    assert fits_the_width(page)
    screenshot(page, "cadres-list")

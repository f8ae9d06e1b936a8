"""Staff's main pages in a real browser, at desktop and phone width, in Chinese."""

import pytest
from django.core.management import call_command

from cohorts.models import Batch
from placements.models import Placement

from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(admin_user):
    call_command("seed_demo", verbosity=0)


def test_batch_list_shows_batches_with_head_count_and_term(page, live_server, demo):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/cohorts/batch/")

    sz3 = page.locator("#result_list tr", has_text="深圳第3批")
    assert sz3.count() == 1
    assert "SZ-3" in sz3.inner_text()
    assert "150" in sz3.inner_text()
    assert "2020-07-23" in sz3.inner_text() or "2020年7月23日" in sz3.inner_text()
    assert page.locator("#site-name").inner_text() == "实训干部管理"
    screenshot(page, "batch-list")
    assert page.console_errors == []


def test_batch_page_lists_its_placements(page, live_server, demo):
    batch = Batch.objects.get(programme__code="SZ", number=3)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/cohorts/batch/{batch.pk}/change/")

    assert page.locator(".placements-overview tbody tr").count() == 150
    page.click("text=在实训安排中")
    page.wait_for_url(f"**/admin/placements/placement/?batch__id__exact={batch.pk}")
    assert "150" in page.locator(".paginator").inner_text()
    screenshot(page, "batch-placements")


def test_placement_page_reads_in_chinese(page, live_server, demo):
    placement = Placement.objects.filter(batch__number=3, batch__programme__code="SZ").first()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/placements/placement/{placement.pk}/change/")

    text = page.locator("#content").inner_text()
    for label in ["干部", "批次", "实训单位", "岗位", "职级", "状态", "已结束"]:
        assert label in text, label
    assert placement.cadre.name in text
    screenshot(page, "placement")
    assert page.console_errors == []

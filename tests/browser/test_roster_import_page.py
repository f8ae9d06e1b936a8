"""Staff import a district's GBK roster in the admin: upload, preview, confirm, find the cadres."""

from pathlib import Path

import pytest
from django.core.management import call_command

from cohorts.models import Batch
from placements.models import Placement

from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sz4_sample_gbk.csv"


@pytest.fixture
def demo(admin_user):
    call_command("seed_demo", verbosity=0)


def test_gbk_roster_upload_preview_confirm(page, live_server, demo):
    batch = Batch.objects.get(programme__code="SZ", number=4)
    before = Placement.objects.filter(batch=batch).count()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/cohorts/batch/{batch.pk}/change/")
    page.click("text=导入本批花名册")
    page.set_input_files("#id_file", str(SAMPLE))
    page.click("input[value=检查文件]")

    counts = page.locator(".roster-counts").inner_text()
    assert "新增 30 行" in counts and "有错误" not in counts
    assert page.locator("tr.roster-new").count() == 30
    # SZ-4 ended years ago and has 150 already: warnings, and the import can still be confirmed.
    warnings = page.locator(".roster-batch-warnings").inner_text()
    assert "深圳第4批已于" in warnings and "将有 180 人" in warnings
    screenshot(page, "roster-preview")
    page.click("input[value=确认导入]")

    page.wait_for_url(f"**/admin/placements/placement/?batch__id__exact={batch.pk}")
    assert "已导入 sz4_sample_gbk.csv" in page.locator(".messagelist").inner_text()
    page.fill("#searchbar", "雷桂")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**q=*")
    assert page.locator("#result_list tbody tr").count() == 1
    assert Placement.objects.filter(batch=batch).count() == before + 30
    assert page.console_errors == []


def test_roster_with_errors_shows_them_by_row(page, live_server, demo, tmp_path):
    broken = tmp_path / "broken.csv"
    text = (
        SAMPLE.read_bytes()
        .decode("gbk")
        .replace("处级,党政群机关,市北区", "大官,党政群机关,市北区", 1)
    )
    broken.write_bytes(text.encode("gbk"))
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/placements/placement/import/")
    page.set_input_files("#id_file", str(broken))
    page.click("input[value=检查文件]")

    error_row = page.locator("tr.roster-error")
    assert error_row.count() == 1
    assert "“大官”不是职级" in error_row.inner_text()
    assert page.locator("input[value=确认导入]").count() == 0
    screenshot(page, "roster-preview-errors")

"""Staff keep the host-unit directory in the admin: import a GBK CSV (preview, then confirm), then
merge two spellings of one unit into the one they choose."""

import pytest

from placements.models import HostUnit, Placement

from ..factories import BatchFactory, HostUnitFactory, PlacementFactory, ProgrammeFactory
from ..roster_files import csv_bytes
from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROWS = [
    ["名称", "类型", "城市", "地址", "联系人", "联系电话"],
    ["腾讯集团", "民营企业", "深圳", "南山区科技园科技中一路", "马工", "13800000001"],
    ["华润（集团）有限公司", "国有企业", "深圳", "罗湖区深南东路5001号", "李经理", "0755-82668888"],
]


def test_import_a_gbk_directory_with_preview(page, live_server, admin_user, tmp_path):
    path = tmp_path / "实训单位库.csv"
    path.write_bytes(csv_bytes(ROWS, encoding="gbk"))
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/placements/hostunit/import/")
    page.set_input_files("#id_import_file", str(path))
    page.click("form input[type=submit]")
    page.wait_for_selector("input[name=import_file_name]", state="attached")
    assert "华润（集团）有限公司" in page.locator("table.import-preview").inner_text()
    screenshot(page, "host-unit-import-preview")
    assert not HostUnit.objects.exists()
    page.click("form input[type=submit][name=confirm]")
    page.wait_for_url("**/admin/placements/hostunit/")
    assert HostUnit.objects.count() == 2
    screenshot(page, "host-unit-list-imported")
    assert page.console_errors == []


def test_merge_two_spellings_into_the_one_chosen(page, live_server, admin_user):
    batch = BatchFactory(programme=ProgrammeFactory(code="SZ"), number=3)
    kept = HostUnitFactory(name="腾讯集团")
    other = HostUnitFactory(name="腾讯科技（深圳）有限公司", contact_person="马工")
    for _ in range(3):
        PlacementFactory(batch=batch, host_unit=other)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/placements/hostunit/")
    for unit in (kept, other):
        page.check(f"input[name=_selected_action][value='{unit.pk}']")
    page.select_option("select[name=action]", "merge_host_units")
    page.click("button[name=index]")
    page.wait_for_selector("input[name=keep]")
    screenshot(page, "host-unit-merge-confirm")
    page.check(f"input[name=keep][value='{kept.pk}']")
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist")
    message = page.locator(".messagelist").inner_text()
    assert "已将 腾讯科技（深圳）有限公司 合并到 腾讯集团" in message
    assert set(Placement.objects.values_list("host_unit", flat=True)) == {kept.pk}
    page.goto(f"{live_server.url}/admin/placements/hostunit/{kept.pk}/change/")
    assert "腾讯科技（深圳）有限公司" in page.content()
    screenshot(page, "host-unit-merged")
    assert page.console_errors == []

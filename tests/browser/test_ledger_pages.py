"""Duties and outcomes in the browser: a lead records a duty for the ticked cadres on a phone
and at a desk; staff read the outcome figures and the duty roll-up on the dashboard."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cohorts.terms import today
from ledger import services
from ledger.models import Duty, ProgressEntry

from ..factories import (
    BatchFactory,
    CadreFactory,
    DutyFactory,
    LeadFactory,
    PlacementFactory,
    ProjectFactory,
    SuggestionFactory,
)
from .conftest import log_in, log_in_on_site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["李娜", "王伟", "张敏", "刘洋", "陈静", "杨磊", "赵军", "黄丽"]


@pytest.fixture
def batch(shanghai):
    """Shanghai batch 6, 40 days into its term, with three of the nine must-dos."""
    batch = BatchFactory(programme=shanghai, number=6, start_date=today() - timedelta(days=39))
    placements = [
        PlacementFactory(batch=batch, cadre=CadreFactory(name=name),
                         group=["第一小组", "第二小组"][i % 2])
        for i, name in enumerate(NAMES)
    ]  # fmt: skip
    DutyFactory(programme=shanghai, name="学习日志", cadence=Duty.Cadence.DAILY)
    visits = DutyFactory(
        programme=shanghai, name="走访企业", cadence=Duty.Cadence.COUNTED, target=20
    )
    DutyFactory(programme=shanghai, name="实训报告", cadence=Duty.Cadence.BY_END)
    for i, placement in enumerate(placements):
        services.progress_record(
            placements=[placement], duty=visits, on=today() - timedelta(days=1), count=3 + 2 * i
        )
    LeadFactory(username="zhou", first_name="周书记", batches=[batch])
    return batch


def test_lead_records_a_duty_for_the_ticked_cadres(page, live_server, batch):
    log_in_on_site(page, live_server, "zhou")
    page.wait_for_url(f"{live_server.url}/lead/")
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/")
    page.click(".batch-tabs >> text=任务")
    page.click(".duty-rollup >> text=走访企业")
    assert "8人中" in page.inner_text(".duty-rollup.current")
    screenshot(page, "lead-duties")

    page.check(f"input[name=placements][value='{batch.placements.get(cadre__name='李娜').pk}']")
    page.check(f"input[name=placements][value='{batch.placements.get(cadre__name='王伟').pk}']")
    page.fill("#id_count", "2")
    page.fill("#id_note", "走访华润集团")
    page.click("button:has-text('为勾选的队员记录')")
    page.wait_for_url(f"**/lead/batches/{batch.pk}/duties/?duty=*")
    assert "已为2名队员记录“走访企业”" in page.inner_text(".messages")
    assert ProgressEntry.objects.filter(note="走访华润集团").count() == 2
    screenshot(page, "lead-duties-recorded")

    page.click(".duty-rollup.current >> a.lagging")
    assert "李娜" in page.inner_text("table.list")
    screenshot(page, "lead-duties-behind")
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/outcomes/")
    page.click("summary:has-text('记录意见建议')")
    screenshot(page, "lead-outcomes-form")
    page.fill("#id_suggestion-title", "关于优化跨境投资审批流程的建议")
    page.fill("#id_suggestion-submitted_on", today().isoformat())
    page.check("text=李娜")
    page.click(".outcome-form[open] button:has-text('保存')")
    assert "已保存" in page.inner_text(".messages")
    screenshot(page, "lead-outcomes")
    assert not page.console_errors


def test_staff_read_outcomes_and_duties_on_the_dashboard(page, live_server, batch, admin_user):
    admin_user.set_password("password")
    admin_user.save()
    SuggestionFactory.create_batch(3, batch=batch)
    SuggestionFactory(batch=batch, institutional=True)
    ProjectFactory(batch=batch, investment=Decimal("906.38"))
    log_in(page, live_server)
    page.goto(f"{live_server.url}/")
    outcomes = page.inner_text(".outcomes")
    assert "906.38" in outcomes and "制度成果" in outcomes
    assert "走访企业" in page.inner_text(".duties-now")
    page.locator(".outcomes").scroll_into_view_if_needed()
    screenshot(page, "dashboard-outcomes")
    page.click("#outcomes-SH >> dd >> nth=1 >> a")
    page.wait_for_url("**/outcomes/suggestions/?programme=SH&institutional=1")
    assert "共1条意见建议" in page.inner_text("main")
    assert not page.console_errors


def test_the_demo_datas_outcome_figures_on_the_dashboard(page, live_server, admin_user):
    from demo.roster import seed

    seed()
    admin_user.set_password("password")
    admin_user.save()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/")
    total = page.inner_text("#outcomes-total")
    assert "412" in total and "106" in total and "76" in total and "906.38" in total
    page.locator(".outcomes").scroll_into_view_if_needed()
    page.locator(".outcomes").screenshot(
        path=screenshot(page, "dashboard-demo").with_name(
            f"dashboard-outcomes-demo-{page.viewport_size['width']}.png"
        )
    )


def test_lead_follows_a_large_progress_upload_on_its_page(
    page, live_server, batch, settings, monkeypatch, tmp_path
):
    """Above ROSTER_BACKGROUND_ROWS the upload answers with its status page, whose bar polls the
    progress (static/js/progress.js, under the CSP) and shows the result once the worker (here
    the test, running the queued task) has imported it."""
    from ledger import tasks, uploads

    settings.ROSTER_BACKGROUND_ROWS = 3
    queued = []
    monkeypatch.setattr(uploads, "enqueue", lambda task, *args, key: queued.append(args))
    day = (today() - timedelta(days=1)).isoformat()
    lines = ["姓名,任务,日期,数量"] + [f"{name},走访企业,{day},1" for name in NAMES]
    (tmp_path / "进度.csv").write_text("\n".join(lines), encoding="utf-8")
    log_in_on_site(page, live_server, "zhou")
    page.wait_for_url(f"{live_server.url}/lead/")
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/duties/")
    page.set_input_files("#upload input[type=file]", str(tmp_path / "进度.csv"))
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/duties/import/*/")
    assert "等待" in page.inner_text(".job-text")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "lead-duty-upload-queued")
    tasks.upload_import(*queued[0])
    page.wait_for_selector(".duty-upload-done", timeout=10000)
    assert "已导入8条任务进度" in page.inner_text(".duty-upload")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "lead-duty-upload-imported")
    assert ProgressEntry.objects.count() == 16  # the fixture recorded 8
    assert not page.console_errors


def test_a_large_upload_with_errors_lists_them_on_a_phone(page, live_server, batch, settings):
    settings.ROSTER_BACKGROUND_ROWS = 1  # inline tasks: the page shows the outcome at once
    day = (today() - timedelta(days=1)).isoformat()
    lines = ["姓名,任务,日期", f"李娜,走访企业,{day}", f"欧阳自由自在,走访企业,{day}"]
    log_in_on_site(page, live_server, "zhou")
    page.wait_for_url(f"{live_server.url}/lead/")
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/duties/")
    page.set_input_files(
        "#upload input[type=file]",
        files=[{"name": "进度.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}],
    )
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/duties/import/*/")
    assert "欧阳自由自在" in page.inner_text(".import-errors")
    assert page.is_visible("button:has-text('重新开始')")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "lead-duty-upload-failed")
    assert not page.console_errors

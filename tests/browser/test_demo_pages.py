"""The demo's live term in the browser: staff see SZ-6 in its term and SH-6 departing on the
dashboard; the demo lead `lead` sees SZ-6's pages, its duties with a few cadres behind."""

import io

import pytest
from django.core.management import call_command

from cohorts.models import Batch

from .conftest import log_in, log_in_on_site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(monkeypatch):
    call_command("seed_demo", stdout=io.StringIO())
    monkeypatch.setenv("DEMO_LEAD_PASSWORD", "password")
    call_command("ensure_demo_lead", stdout=io.StringIO())
    return Batch.objects.by_code("SZ-6").get()


def test_staff_see_the_live_term_on_the_dashboard(page, live_server, demo, admin_user):
    admin_user.set_password("password")
    admin_user.save()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/")
    assert "第41天" in page.inner_text("section.batches")
    assert "上海第6批" in page.inner_text(".upcoming")
    assert "学习日志" in page.inner_text(".duties-now")
    screenshot(page, "demo-dashboard")


def test_the_demo_lead_sees_sz6(page, live_server, demo):
    log_in_on_site(page, live_server, "lead")
    page.wait_for_url(f"{live_server.url}/lead/")
    assert "深圳第6批" in page.inner_text("main")
    screenshot(page, "demo-lead-home")
    page.goto(f"{live_server.url}/lead/batches/{demo.pk}/")
    assert "第41天" in page.inner_text("main")
    screenshot(page, "demo-lead-batch")
    page.goto(f"{live_server.url}/lead/batches/{demo.pk}/duties/")
    assert "学习日志" in page.inner_text("main")
    screenshot(page, "demo-lead-duties")

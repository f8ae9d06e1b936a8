"""Two-factor setup and the lockout page in a real browser, at desktop and phone width."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import log_in_on_site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_turn_on_two_factor_login_at_first_login(page, live_server, staff, settings):
    settings.TWO_FACTOR_REQUIRED = True
    log_in_on_site(page, live_server, "staff")
    page.wait_for_url("**/accounts/two-factor/?next=*")
    assert page.locator("img.qr-code").is_visible()
    screenshot(page, "two-factor-setup")
    device = TOTPDevice.objects.get(user=staff)
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click(".two-factor button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").first.is_visible()
    assert page.console_errors == []


def test_too_many_failed_logins_lock_the_user_name(page, live_server, staff, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in_on_site(page, live_server, "staff", password="wrong")
    assert "登录失败次数过多" in page.locator(".conflict").inner_text()
    screenshot(page, "locked-out")
    assert page.console_errors == []

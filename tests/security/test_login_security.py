"""Logging in: two-factor login (TOTP), throttled failures, idle sessions, login everywhere, CSP."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import sessions

from ..site import test_permission_matrix as matrix

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
SETUP = reverse("two-factor-setup")
VERIFY = reverse("two-factor-verify")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code(device):
    return f"{totp(device.bin_key):06d}"


def log_in(client, username, password="password"):
    return client.post(LOGIN, {"username": username, "password": password})


# Two-factor login


@pytest.mark.parametrize("path", ["/admin/", "/placements/", "/placements/export/", "/lead/"])
def test_staff_without_an_app_are_sent_to_set_one_up(client, staff, required, path):
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(SETUP + "?next=")


def test_staff_set_up_an_app_with_a_code_and_reach_the_admin(client, staff, required):
    client.force_login(staff)
    page = client.get(SETUP, {"next": "/admin/"})
    assert "data:image/svg+xml" in page.content.decode()  # the QR code, no external image
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(SETUP, {"token": code(device), "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_turns_nothing_on(client, staff, required):
    client.force_login(staff)
    client.get(SETUP)
    response = client.post(SETUP, {"token": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_with_an_app_the_password_alone_is_not_enough(client, staff, required):
    device = TOTPDevice.objects.create(user=staff, name="app")
    assert log_in(client, "staff").status_code == 302
    response = client.get("/placements/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    response = client.post(VERIFY, {"token": code(device), "next": "/placements/"})
    assert response.url == "/placements/"
    assert client.get("/placements/").status_code == 200


def test_a_lead_may_go_without_an_app(client, lead_sz3, required):
    client.force_login(lead_sz3)
    assert client.get("/lead/").status_code == 200


def test_a_lead_who_turned_it_on_must_enter_the_code(client, lead_sz3):
    TOTPDevice.objects.create(user=lead_sz3, name="app")
    log_in(client, "lead_sz3")
    assert client.get("/lead/").url.startswith(VERIFY)


def test_the_verify_page_keeps_next_on_this_site(client, staff, required):
    device = TOTPDevice.objects.create(user=staff, name="app")
    log_in(client, "staff")
    response = client.post(VERIFY, {"token": code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_not_required_staff_work_without_an_app(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


# Throttling (django-axes)


def test_failed_logins_are_throttled_with_a_chinese_message(client, staff, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "staff", "wrong").status_code == 200
    response = log_in(client, "staff", "wrong")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # Locked: even the right password is refused now, on the admin's login page too.
    assert log_in(client, "staff").status_code == 429
    admin = client.post("/admin/login/", {"username": "staff", "password": "password"})
    assert admin.status_code == 429
    assert AccessAttempt.objects.get(username="staff").failures_since_start >= 5


def test_a_failed_login_is_logged_with_user_name_and_address(client, staff, caplog):
    log_in(client, "staff", "wrong")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any('username: "staff"' in w and "127.0.0.1" in w for w in warnings), warnings


def test_a_block_is_for_that_user_name_only(client, staff, lead_sz3, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "staff", "wrong")
    assert log_in(client, "lead_sz3").status_code == 302


def test_a_good_login_forgets_earlier_failures(client, staff, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "staff", "wrong")
    assert log_in(client, "staff").status_code == 302
    client.logout()
    assert log_in(client, "staff", "wrong").status_code == 200  # counting starts again


# Sessions


def test_a_session_ends_after_the_idle_timeout(client, staff, settings):
    client.force_login(staff)
    expiry = Session.objects.get().expire_date
    assert abs(
        expiry - timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ) < (datetime.timedelta(minutes=1))
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/placements/").url.startswith(LOGIN)


def test_activity_pushes_the_end_back(client, staff, monkeypatch):
    client.force_login(staff)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=10))
    later = sessions.time.time() + sessions.RENEW_EVERY + 1
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    client.get("/placements/")
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(hours=1)


def test_requests_in_quick_succession_do_not_write_the_session(client, staff, monkeypatch):
    client.force_login(staff)
    before = Session.objects.get().expire_date
    client.get("/placements/")
    assert Session.objects.get().expire_date == before


# Every page asks for a login


PUBLIC = {
    "accounts/login/",  # the login page itself
    "admin/login/",  # the admin's, which logs in the same way (and is throttled too)
    "i18n/setlang/",  # the language switch, before login too
    "admin/logout/",  # logging out needs no login
    "favicon.ico",  # the site's icon, which browsers ask for before login too
}


def test_every_route_but_login_asks_for_a_login():
    """Read from the permission matrix, which walks every URL pattern of the project."""
    open_routes = {
        name
        for name, route in matrix.ROUTES.items()
        if route.anonymous not in (matrix.LOGIN, matrix.ADMIN_LOGIN, 405)
        or (route.post and route.post[0] not in (matrix.LOGIN, matrix.ADMIN_LOGIN))
    }
    assert open_routes == PUBLIC


# Content security policy


def test_pages_carry_a_strict_content_security_policy(staff_client):
    policy = staff_client.get("/placements/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_a_lost_phone_is_reset_from_the_shell(client, staff, required):
    from django.core.management import call_command

    TOTPDevice.objects.create(user=staff, name="app")
    log_in(client, "staff")
    call_command("reset_two_factor", "staff", verbosity=0)
    assert not TOTPDevice.objects.exists()
    verify = client.get("/admin/").url
    assert client.get(verify).url.startswith(SETUP)  # no app any more: set up a new one


def test_behind_the_proxy_failures_count_by_the_address_it_saw(rf, settings):
    from security.two_factor import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="127.0.0.1")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "10.1.2.3"  # the first address is the client's to invent
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "127.0.0.1"


def test_rotating_addresses_behind_the_proxy_do_not_give_unlimited_guesses(
    client, staff, lead_sz3, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # BEHIND_HTTPS_PROXY

    def attempt(n, username="staff", password="wrong"):
        return client.post(
            LOGIN,
            {"username": username, "password": password},
            HTTP_X_FORWARDED_FOR=f"10.9.{n // 250}.{n % 250}",
            HTTP_X_FORWARDED_PROTO="https",
            secure=True,
        )

    limit = settings.AXES_USERNAME_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):  # each from a new address: under the per-address limit
        assert attempt(n).status_code == 200
    assert attempt(limit).status_code == 429  # the name's limit, from all addresses together
    assert attempt(limit + 1, password="password").status_code == 429  # even the right one
    assert attempt(limit + 2, username="lead_sz3", password="password").status_code == 302


def test_a_wrong_one_time_code_is_logged_with_user_name_and_address(client, staff, caplog):
    TOTPDevice.objects.create(user=staff, name="app")
    log_in(client, "staff")
    caplog.clear()
    response = client.post(VERIFY, {"token": "000000"}, REMOTE_ADDR="10.1.2.3")
    assert "验证码不正确" in response.content.decode()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("'staff'" in w and "10.1.2.3" in w for w in warnings), warnings


def test_turning_two_factor_on_ends_the_other_sessions(client, lead_sz3):
    from django.test import Client

    other = Client()
    assert log_in(other, "lead_sz3").status_code == 302  # a phone, logged in without a code
    assert other.get("/lead/").status_code == 200
    log_in(client, "lead_sz3")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=lead_sz3)
    assert client.post(SETUP, {"token": code(device)}).status_code == 302
    assert client.get("/lead/").status_code == 200  # this session entered the code
    assert other.get("/lead/").url.startswith(reverse("login"))  # that one must log in again

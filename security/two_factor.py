"""Two-factor login (TOTP through django-otp), and the client address django-axes counts.

Anyone may turn on a one-time-password app; whoever has one must enter its code after the
password. Staff (who see every batch and full personal data) must have one when the setting
TWO_FACTOR_REQUIRED is on: until they set it up and enter a code, every page sends them to the
setup page. Team leads reach the app over the internet, so they are offered it too.

Whether a user has an app is noted in the session at login (and when they set one up), so
pages cost no extra query for it. Setting one up therefore ends the user's other sessions:
they were opened without a code and noted no app.
"""

import base64
import functools
import logging
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

HAS_DEVICE = "two_factor_device"  # session key: whether the user has a confirmed app
log = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The address django-axes counts failed logins by.

    Behind the HTTPS reverse proxy every request comes from the proxy: the client is the last
    address the proxy appended to X-Forwarded-For (earlier ones are the client's to invent).
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def must_use_two_factor(user) -> bool:
    return settings.TWO_FACTOR_REQUIRED and (
        user.is_staff or user.has_perm("cohorts.view_all_batches")
    )


class TwoFactorMiddleware:
    """Sends a logged-in user who still owes a one-time code to the verify or setup page."""

    # Paths an unverified user may still reach: logging in and out, the two-factor pages,
    # the language switch and static files.
    OPEN_URL_NAMES = ("login", "logout", "two-factor-setup", "two-factor-verify", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # Cheapest first: most requests are of users verified or owing no code, read off the
        # session and the user already loaded; the open paths matter only for the others.
        if user.is_authenticated and not user.is_verified():
            owed = None
            if has_device(request):
                owed = "two-factor-verify"
            elif must_use_two_factor(user):
                owed = "two-factor-setup"
            if owed and not self._is_open(request):
                return _redirect_with_next(owed, request)
        return self.get_response(request)

    def _is_open(self, request):
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        return request.path in open_paths(get_script_prefix(), urlconf)


@functools.cache
def open_paths(script_prefix: str, urlconf: str) -> frozenset[str]:
    """The paths of TwoFactorMiddleware.OPEN_URL_NAMES and the admin's logout, reversed once
    per script prefix and URL configuration rather than on every request."""
    names = (*TwoFactorMiddleware.OPEN_URL_NAMES, "admin:logout")
    return frozenset(reverse(name) for name in names)


def remember_devices(sender, request, user, **kwargs):
    """At login: note in the session whether this user must enter a one-time code."""
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE] = user_has_device(user)


def end_other_sessions(request):
    """Log the user out of every session but this one (those noted at login: no app)."""
    user_id, current = str(request.user.pk), request.session.session_key
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).exclude(pk=current)
    others = [
        session.pk
        for session in sessions.iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    Session.objects.filter(pk__in=others).delete()


def has_device(request) -> bool:
    if HAS_DEVICE not in request.session:  # a session from before this was noted
        request.session[HAS_DEVICE] = user_has_device(request.user)
    return request.session[HAS_DEVICE]


def _redirect_with_next(name, request):
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else "/"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, device, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.request = request  # for the log: who entered a wrong code, from where

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Too many wrong codes. Wait a minute and try again."))
        if not self.device.verify_token(token):
            # Like a wrong password (django-axes logs those): a guess at the second factor.
            log.warning(
                "Wrong one-time code for user %r from %s",
                self.device.user.get_username(),
                client_ip(self.request) if self.request is not None else "?",
            )
            raise forms.ValidationError(_("This code is not right. Enter the current code."))
        return token


@login_required
def setup(request):
    """Turn on two-factor login: scan the QR code, enter a code to confirm."""
    if user_has_device(request.user):
        return render(request, "registration/two_factor_setup.html", {"enabled": True})
    # One unconfirmed device per user, kept until confirmed, so a reload shows the same key.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Authenticator app"), confirmed=False
        )
    form = TokenForm(device, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session[HAS_DEVICE] = True
        end_other_sessions(request)
        return redirect(_next_url(request))
    context = {
        "form": form,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@login_required
def verify(request):
    """The second step of login for a user with an authenticator app."""
    device = next(iter(devices_for_user(request.user, confirmed=True)), None)
    if device is None:
        return redirect(reverse("two-factor-setup") + "?" + urlencode({"next": _next_url(request)}))
    form = TokenForm(device, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )

"""Odd input never gets a 5xx: every route, as every role, with odd query strings and forms.

The routes and the objects filling their path parameters are the permission matrix's
(test_permission_matrix). Each route is asked with the parameters the project's pages read (the
lists' filters, the ledger's, the admin's own and each model admin's filters) set to odd
values: NUL, other control characters, 100,000 characters, invalid UTF-8, a key with NUL,
repeated keys, values of the wrong type. Then every form a user can open is sent back with NUL
in each of its fields. A 5xx anywhere fails; the figures are printed (`-s` shows them).
The refusals themselves are security/odd_input.py's, tested at the end.
"""

import logging
import re
import sys
import time
from dataclasses import replace
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import reverse

from ..factories import PlacementFactory
from . import test_permission_matrix as matrix
from .test_error_pages import assert_plain
from .test_permission_matrix import ADMIN_LOGIN, LOGIN, ROUTES, url_for

world = matrix.world  # the fixture: one object of each kind for SZ-3 and for SH-5

pytestmark = pytest.mark.django_db
URLENCODED = "application/x-www-form-urlencoded"

# What the project's own pages read from the query string (dashboard/filters.py, the lists,
# the ledger's pages, the lead's search, login and language switch).
APP_PARAMS = [
    "q", "programme", "batch", "group", "term", "host_unit", "host_unit_kind", "rank_tier",
    "rank", "category", "district", "generation", "gender", "political_status", "status", "o",
    "page", "per_page", "format", "duty", "institutional", "next", "language",
]  # fmt: skip
# What the admin reads: a list its search, sort, page and filters (changelist_params below); the
# other pages their way back to the list; our own admin pages a batch or format; autocomplete.
CHANGELIST_PARAMS = ["q", "o", "p", "e", "_popup", "_to_field"]
OTHER_ADMIN_PARAMS = ["_changelist_filters", "_popup", "_to_field", "next", "batch", "format"]
AUTOCOMPLETE_PARAMS = ["term", "app_label", "model_name", "field_name", "page"]

# Odd values, %-encoded as sent, so that invalid UTF-8 and NUL reach the server as such.
NUL = "%00"
VALUES = {
    "NUL": NUL,
    "control characters": "a%01%1F%7F",
    "100,000 characters": "a" * 100_000,
    "invalid UTF-8": "%FF%FE",
    "of the wrong type": None,  # each parameter one of WRONG_TYPES in turn
}
WRONG_TYPES = ["abc", "9" * 25, "-1", "2020-13-45", quote("ＳＺ－３"), quote("<b>&amp;")]


def changelist_params(path: str) -> list[str] | None:
    """The query parameters of the admin's list at `path` (its filters and date hierarchy);
    None when `path` is no model admin's list."""
    for model, model_admin in admin.site._registry.items():
        if path == f"admin/{model._meta.app_label}/{model._meta.model_name}/":
            names = list(CHANGELIST_PARAMS)
            for entry in model_admin.list_filter:
                field = entry[0] if isinstance(entry, tuple) else entry
                if isinstance(field, str):
                    names += [f"{field}__exact", f"{field}__id__exact", f"{field}__isnull"]
                else:
                    names.append(field.parameter_name)
            if model_admin.date_hierarchy:
                names += [f"{model_admin.date_hierarchy}__{p}" for p in ("year", "month", "day")]
            return names
    return None


def params_of(route_pattern: str) -> list[str]:
    if not route_pattern.startswith("admin/"):
        return APP_PARAMS
    if route_pattern == "admin/autocomplete/":
        return AUTOCOMPLETE_PARAMS
    return changelist_params(route_pattern) or OTHER_ADMIN_PARAMS


def base_params(route) -> list[tuple[str, str]]:
    """The query a route needs to get anywhere (a batch and duty, the autocomplete's field)."""
    pairs = [p.split("=", 1) for p in route.query.lstrip("?").split("&") if p]
    return [(k, quote(v)) for k, v in pairs]


def encode(pairs) -> str:
    return "&".join(f"{k}={v}" for k, v in pairs)


def with_odd(base, name, value) -> str:
    """The route's own query with `name` set to `value` (added when it is not in it)."""
    return encode([(k, v) for k, v in base if k != name] + [(name, value)])


def odd_queries(route_pattern, route, *, reaches_the_view: bool):
    """(what, query string) of the odd requests made to one route. Each parameter alone with
    NUL, so that no other parameter's error stops the view before it reads that one, unless
    the user is sent to log in before any view runs."""
    base = base_params(route)
    names = params_of(route_pattern)
    for what, value in VALUES.items():
        if value is None:
            odd = [(n, WRONG_TYPES[i % len(WRONG_TYPES)]) for i, n in enumerate(names)]
        elif len(value) > 1000:  # one long value is enough (25 would be 2.5 MB a request)
            odd = [("q", value)]
        else:
            odd = [(n, value) for n in names]
        yield f"every parameter {what}", encode(odd)
        for name, _right in base:  # what the route needs, odd while the rest is right
            yield f"{name} {what}", with_odd(base, name, value or WRONG_TYPES[0])
    if reaches_the_view:
        for name in names:
            yield f"{name} NUL", with_odd(base, name, NUL)
    yield "an unknown parameter NUL", with_odd(base, "zz", NUL)
    yield "keys with NUL and control characters", encode(base + [("q%00", "1"), ("%01%1F", "")])
    yield (
        "repeated and empty keys",
        encode(base + [(n, v) for n in names for v in ("1", "SZ-3")]) + "&&=&",
    )


class QuickClient(Client):
    """The test client without its record of each rendered template's context (copying the
    contexts takes most of a request's time here), noting a request's exception instead."""

    def request(self, **request):
        self.exception = None
        got_request_exception.connect(self.note, dispatch_uid="odd-input")
        try:
            response = self.handler(self._base_environ(**request))
            if response.streaming:  # an export fails while it streams, if at all
                b"".join(response.streaming_content)
        finally:
            got_request_exception.disconnect(dispatch_uid="odd-input")
        if response.cookies:
            self.cookies.update(response.cookies)
        return response

    def note(self, **kwargs):
        self.exception = repr(sys.exc_info()[1])[:300]


@pytest.fixture
def quiet():
    """Refusals are not logged (half the time of thousands of them); errors are."""
    loggers = [logging.getLogger(name) for name in ("django.request", "security.odd_input")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def clients(world, quiet):
    """A client each for anonymous, a lead (of SZ-3), staff, and a superuser (for the user and
    group admin, which staff may not open), each logged in once."""
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    users = world["users"]
    people = {"lead": users["lead of SZ-3"], "staff": users["staff"], "superuser": root}
    clients = {"anonymous": QuickClient()}
    for who, user in people.items():
        clients[who] = QuickClient()
        clients[who].force_login(user)
    return clients


def who_asks(route_pattern, roles=("anonymous", "lead", "staff")):
    if route_pattern.startswith("admin/auth/"):  # staff get 403 there
        return [who.replace("staff", "superuser") for who in roles]
    return roles


def test_odd_query_strings_never_get_a_5xx(world, clients):
    tried, failures, started = 0, [], time.process_time()
    for route_pattern, route in ROUTES.items():
        path = url_for(route_pattern, replace(route, query=""), world["SZ-3"])
        for who in who_asks(route_pattern):
            client = clients[who]
            rule = {"anonymous": route.anonymous, "lead": route.lead}.get(who, route.staff)
            odd = odd_queries(
                route_pattern, route, reaches_the_view=rule not in (LOGIN, ADMIN_LOGIN)
            )
            for what, query in odd:
                status = client.get(f"{path}?{query}").status_code
                tried += 1
                if status >= 500:
                    failures.append(f"{status} {who} GET {path} {what}: {client.exception}")
    cpu = time.process_time() - started
    print(f"\nodd query strings: {tried} requests, {len(failures)} 5xx ({cpu:.1f} s of CPU)")
    assert not failures, "\n".join(failures)


NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')


def test_every_form_sent_back_with_nul_in_each_field_gets_no_5xx(world, clients):
    """A form with NUL in its fields: a form error or a 400, never a 5xx (PostgreSQL refuses
    NUL in text). Urlencoded, as a browser sends most forms, and multipart, as file uploads."""
    tried, failures, started = 0, [], time.process_time()
    for route_pattern, route in ROUTES.items():
        if route_pattern.endswith("delete/") or "logout" in route_pattern:
            continue  # a delete has no field and any POST deletes; a logout has none either
        path = url_for(route_pattern, route, world["SZ-3"])
        for who in who_asks(route_pattern, ("lead", "staff")):
            client = clients[who]
            page = client.get(path)
            if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                continue
            names = set(NAME.findall(page.content.decode())) - {"csrfmiddlewaretoken"}
            data = {name: "甲\x00乙" for name in names}
            if not data:
                continue
            body = encode((quote(name), quote(value)) for name, value in data.items())
            for how in ("urlencoded", "multipart"):
                if how == "multipart":
                    response = client.post(path, data)
                else:
                    response = client.post(path, body, content_type=URLENCODED)
                tried += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{response.status_code} {who} POST {how} {path}: {client.exception}"
                    )
    cpu = time.process_time() - started
    print(f"\nforms with NUL in every field: {tried} requests, {len(failures)} 5xx ({cpu:.1f} s)")
    assert tried > 50
    assert not failures, "\n".join(failures)


# The refusals (security/odd_input.py)


def test_nul_in_the_query_gets_the_chinese_400_page(client, staff):
    client.force_login(staff)
    response = client.get("/outcomes/suggestions/?programme=%00")
    assert response.status_code == 400
    assert_plain(response, "网址中含有控制字符")


def test_invalid_utf8_in_the_query_is_refused(client, staff):
    client.force_login(staff)
    assert client.get("/placements/?q=%FF%FE").status_code == 400


def test_a_query_value_may_have_2000_characters_not_more(client, staff):
    client.force_login(staff)
    assert client.get("/placements/", {"q": "王" * 2000}).status_code == 200
    assert client.get("/placements/", {"q": "王" * 2001}).status_code == 400


def test_a_tab_in_a_search_pasted_from_a_spreadsheet_passes(client, staff):
    client.force_login(staff)
    assert client.get("/placements/?q=%E7%8E%8B%09%E4%BC%9F").status_code == 200


def test_nul_in_a_form_is_refused_and_nothing_is_saved(client, lead_sz3, sz3):
    placement = PlacementFactory(batch=sz3, notes="旧备注")
    client.force_login(lead_sz3)
    body = f"notes=%E6%96%B0%00&expected_version={placement.version}&status=on_site"
    url = reverse("lead-placement", args=[placement.pk])
    response = client.post(url, body, content_type=URLENCODED)
    assert response.status_code == 400
    placement.refresh_from_db()
    assert placement.notes == "旧备注"


def test_a_line_break_in_a_form_passes(client, lead_sz3, sz3):
    client.force_login(lead_sz3)
    response = client.post(
        reverse("lead-batch-status", args=[sz3.pk]),
        "status=on_site&scope=all&confirmed=1&filters=a%0D%0Ab%09c",
        content_type=URLENCODED,
    )
    assert response.status_code == 302


@pytest.mark.parametrize("multipart", [True, False])
def test_a_login_with_a_user_name_longer_than_any_gets_400(client, multipart):
    data = {"username": "a" * 300, "password": "x"}
    if multipart:
        response = client.post("/accounts/login/", data)
    else:
        response = client.post("/admin/login/", urlencode(data), content_type=URLENCODED)
    assert response.status_code == 400
    assert_plain(response, "用户名过长")

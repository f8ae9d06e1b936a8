"""Every page staff and team leads open reads in Chinese: no English word outside a short list.

Each route of the permission matrix is opened (GET) as staff and as a team lead, in Chinese;
what a user reads — the text, titles, placeholders, labels of buttons — is searched for English
words. The user and group admin is the superuser's (staff get 403): Django names permissions in
English there ("Can add batch"), and it is left out. The admin's JavaScript catalogue must hold
every message of the batch page's team-leads selector, and its history name fields in Chinese.
"""

import html
import json
import re
from pathlib import Path

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse

from ..factories import PlacementFactory, TopicFactory
from . import test_permission_matrix as matrix
from .test_odd_input import QuickClient
from .test_permission_matrix import ROUTES, url_for

world = matrix.world  # the fixture: one object of each kind for SZ-3 and for SH-5
pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"[A-Za-z]{3,}")
# Latin letters a Chinese page may hold: the switch to English (named in English), keys named as
# the keyboard has them, authenticator apps by their product names, spreadsheet formats.
ALLOWED = {"English", "Control", "Command", "Mac", "Microsoft", "Google", "Authenticator",
           "FreeOTP", "xlsx", "csv", "xls"}  # fmt: skip
HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
# Read by users besides the text. Not alt: Django's yes/no and search icons say "True", "False",
# "Search" in English whatever the language, seen only when the image fails to load.
READ_ATTRIBUTE = re.compile(
    r'\s(?:title|placeholder|aria-label|data-placeholder)="([^"]*)"'
    r'|<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"',
    re.IGNORECASE,
)
# Data, not words: e-mail addresses (a delivery's recipient), paths (the access log's "where"),
# codes and the authenticator key in capitals, the first characters of an API token (cp_…).
DATA = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bcp_[\w-]+"
    r"|(?<![\w/])/[\w\-/.?=&]*|\b[A-Z0-9]{2,}\b|\b[A-Z0-9]*[0-9][A-Z0-9]*\b"
)


def what_a_user_reads(page: str) -> str:
    page = HIDDEN.sub(" ", page)
    attributes = " ".join(a or b for a, b in READ_ATTRIBUTE.findall(page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)


def english_words(page: str, names=()) -> set[str]:
    text = what_a_user_reads(page)
    for name in names:  # user names are data
        text = text.replace(name, " ")
    return set(ENGLISH.findall(DATA.sub(" ", text))) - ALLOWED


def test_no_page_shows_english_to_staff_or_a_lead(world):
    users = {"staff": world["users"]["staff"], "lead": world["users"]["lead of SZ-3"]}
    names = sorted((u.username for u in world["users"].values() if u), key=len, reverse=True)
    opened, found = 0, {}
    for who, user in users.items():
        client = QuickClient()
        client.force_login(user)
        for route_pattern, route in ROUTES.items():
            path = url_for(route_pattern, route, world["SZ-3"])
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            opened += 1
            for word in english_words(response.content.decode(), names):
                found.setdefault(word, f"{who} {path}")
    print(f"\npages opened in Chinese: {opened}")
    assert opened > 80
    assert not found, "\n".join(f"{word}: {where}" for word, where in sorted(found.items()))


def test_the_admin_javascript_catalogue_has_every_message_of_the_leads_selector(staff_client):
    script = Path(django_admin.__file__).parent / "static/admin/js/SelectFilter2.js"
    used = set(re.findall(r"gettext\('([^']+)'\)", script.read_text()))
    page = staff_client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", page, re.DOTALL)[1])
    untranslated = {m for m in used if not re.search(r"[\u4e00-\u9fff]", catalogue.get(m, ""))}
    assert used and not untranslated


def test_the_admin_history_names_a_changed_field_in_chinese(admin_client, sz3):
    placement = PlacementFactory(batch=sz3)
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None} | {
        "expected_version": 1, "cadre": placement.cadre_id, "batch": sz3.pk,
        "host_unit": placement.host_unit_id, "role": "投资经理助理",
    }  # fmt: skip
    assert admin_client.post(url, data).status_code == 302
    history = admin_client.get(reverse("admin:placements_placement_history", args=[placement.pk]))
    assert "已修改实训岗位。" in history.content.decode()


def test_a_delete_page_names_many_to_many_links_in_chinese(staff_client, sz3):
    placement = PlacementFactory(batch=sz3)
    TopicFactory(batch=sz3, title="营商环境").claimants.add(placement)
    url = reverse("admin:placements_placement_delete", args=[placement.pk])
    page = staff_client.get(url).content.decode()
    assert f"课题的认领人: 营商环境 — {placement}" in html.unescape(page)
    assert "Topic" not in page

"""Two app servers over one database: a roster previewed on one is confirmed on the other.

Nothing between two requests may live on one server's disk or memory (tests/site/conftest.py
starts the servers).
"""

import re

import pytest

from ..roster_files import csv_bytes, person, table
from .conftest import Browser

pytestmark = pytest.mark.django_db(transaction=True)  # the servers read what is committed


def test_preview_on_one_server_and_confirm_on_the_other(two_servers, shared_database, sz3):
    first, second = two_servers
    _url, scalar = shared_database
    browser = Browser()
    status, _page = browser.post(
        first + "/accounts/login/", {"username": "staff2", "password": "password"}
    )
    assert status == 302
    status, preview = browser.upload(
        first + "/admin/placements/placement/import/",
        "花名册.csv",
        csv_bytes(table([person(1), person(2), person(3, 身份证号="")]), "gbk"),
    )
    assert status == 200, preview[-500:]
    token = re.search(r'name="token" value="([0-9a-f]+)"', preview)[1]
    assert scalar("SELECT COUNT(*) FROM placements_placement") == 0
    # Waiting in the database, not on a disk.
    assert scalar("SELECT token FROM placements_rosterupload") == token

    status, _page = browser.post(
        second + "/admin/placements/placement/import/confirm/",
        {"token": token},
        form_page=second + "/admin/placements/placement/import/",
    )
    assert status == 302
    assert scalar("SELECT COUNT(*) FROM placements_placement WHERE batch_id = %s", sz3.pk) == 3
    assert scalar("SELECT COUNT(*) FROM placements_rosterupload") == 0  # confirmed: gone

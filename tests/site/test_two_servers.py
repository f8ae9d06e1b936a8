"""Two app servers over one database: a roster previewed on one is confirmed on the other.

Nothing between two requests may live on one server's disk or memory. Two gunicorn instances,
each with its own TMPDIR, serve one database — PostgreSQL's test database, or on SQLite a file
copy of the in-memory test database — and a plain HTTP client (urllib, its own cookie
handling) logs in on the first, uploads and previews there, and confirms on the second.
"""

import http.cookies
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from security import backups

from ..factories import StaffFactory
from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db(transaction=True)  # the servers read what is committed
BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def shared_database(tmp_path, sz3, real_password_hashing):
    """(DATABASE_URL for the servers, a function reading one number from that database)."""
    StaffFactory(username="staff2")  # password "password", hashed as the servers hash it
    if connection.vendor == "postgresql":

        def scalar(sql, *params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()[0]

        return database_url(), scalar
    path = backups.backup(tmp_path / "db.sqlite3")  # what this test wrote, in a file

    def scalar(sql, *params):
        with sqlite3.connect(path) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchone()[0]

    return f"sqlite:///{path}", scalar


@pytest.fixture
def two_servers(tmp_path, shared_database):
    url_of_database, _scalar = shared_database
    servers = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        port = free_port()
        env = {
            "PATH": "/usr/bin:/bin",
            "TMPDIR": str(tmp_path / name),
            "DATABASE_URL": url_of_database,
            "SECRET_KEY": "two-servers-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "WHITENOISE_USE_FINDERS": "true",
            "TWO_FACTOR_REQUIRED": "false",
            "CONN_MAX_AGE": "0",
        }
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "cadreprog.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        servers.append((process, f"http://127.0.0.1:{port}"))
    try:
        for process, url in servers:
            wait_for(process, url)
        yield [url for _process, url in servers]
    finally:
        for process, _url in servers:
            process.terminate()
            process.wait(10)


def wait_for(process, url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=2)
            return
        except OSError:  # refused, reset or timed out while it starts (URLError too)
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer at {url}")


class Browser:
    """Just enough of a browser: cookies (Secure ones too, over plain HTTP), no redirects."""

    def __init__(self):
        self.cookies = {}

    def request(self, url, data=None, content_type=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error  # a 302 arrives here
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, response.read().decode()

    def csrf(self, url) -> str:
        _status, page = self.request(url)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def post(self, url, fields, form_page=None):
        """POST `fields` with the CSRF token of the form on `form_page` (default: `url`)."""
        fields = {"csrfmiddlewaretoken": self.csrf(form_page or url), **fields}
        return self.request(url, urllib.parse.urlencode(fields).encode(),
                            "application/x-www-form-urlencoded")  # fmt: skip

    def upload(self, url, name, data: bytes):
        boundary = uuid.uuid4().hex
        token = self.csrf(url)
        body = (
            (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(url, body, f"multipart/form-data; boundary={boundary}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


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

"""App servers and workers as separate processes over one database, for the tests that cross
processes: gunicorn instances, each with its own TMPDIR, and Celery workers, serving PostgreSQL's
test database, or on SQLite a file copy of the in-memory test database; `Browser` is a plain HTTP
client (urllib, its own cookie handling)."""

import contextlib
import http.cookies
import os
import re
import signal
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

from ..conftest import worker_number
from ..factories import StaffFactory

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET = "two-servers-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url(offset=10) -> str:
    """A Redis database for the processes of one test, apart from the suite's cache (1, 2)."""
    number = offset + worker_number()
    return f"redis://127.0.0.1:6379/{number}"


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


def server_env(tmp_path, name, url_of_database, **extra) -> dict:
    (tmp_path / name).mkdir(exist_ok=True)
    return {
        "PATH": "/usr/bin:/bin",
        "TMPDIR": str(tmp_path / name),
        "DATABASE_URL": url_of_database,
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "WHITENOISE_USE_FINDERS": "true",
        "TWO_FACTOR_REQUIRED": "false",
        "CONN_MAX_AGE": "0",
        **extra,
    }


@pytest.fixture
def start_servers(tmp_path, shared_database):
    """start_servers(n, **env) → the URLs of n gunicorn servers, stopped after the test."""
    url_of_database, _scalar = shared_database
    started = []

    def start(count=2, **extra):
        servers = []
        for _ in range(count):
            port = free_port()
            env = server_env(tmp_path, f"server{len(started)}", url_of_database, **extra)
            process = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "cadreprog.wsgi",
                 "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            started.append(process)
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, url in servers:
            wait_for(process, url)
        return [url for _process, url in servers]

    yield start
    for process in started:
        process.terminate()
        process.wait(10)


@pytest.fixture
def two_servers(start_servers):
    return start_servers(2)


@pytest.fixture
def start_worker(tmp_path, shared_database):
    """start_worker(**env) → a Celery worker process (its own process group, so that
    `kill_worker` can SIGKILL it whole, as a machine dies), stopped after the test."""
    url_of_database, _scalar = shared_database
    started = []

    def start(**extra):
        env = server_env(tmp_path, f"worker{len(started)}", url_of_database, **extra)
        log = open(tmp_path / f"worker{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "cadreprog", "worker",
             "--loglevel", "INFO", "--concurrency", "1", "--without-gossip", "--without-mingle"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        process.log_path = tmp_path / f"worker{len(started)}.log"
        started.append(process)
        deadline = time.monotonic() + 30
        while b"ready." not in process.log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(process.log_path.read_text()[-3000:])
            time.sleep(0.2)
        return process

    yield start
    for process in started:
        kill_worker(process, signal.SIGTERM)


def kill_worker(process, sig=signal.SIGKILL):
    """Stop the worker and its pool's children at once."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(20)


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
        self.last_location = response.headers.get("Location", "")
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

"""A large roster upload through the web with a worker: how long the upload request takes, how
long until the preview, and until the rows are written.

On a fresh PostgreSQL database (DATABASE_URL's server, the name with "_bench_upload" appended),
with Redis (REDIS_URL, default redis://127.0.0.1:6379/12, emptied first): gunicorn and a Celery
worker, as a deployment runs them, and a plain HTTP client that logs in, uploads a CSV of ROWS
people for one batch (default 19,999: with its header, a file of 20,000 rows, the upload limit
ROSTER_UPLOAD_MAX_ROWS), polls the progress until the preview, confirms and polls until it is
written.

    .venv/bin/python bench/background_upload.py [ROWS]
"""

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE = os.environ.get("DATABASE_URL", "")
if not BASE.startswith(("postgres://", "postgresql://")):
    BASE = "postgres://postgres@127.0.0.1:5432/cadreprog"
server, name = BASE.rsplit("/", 1)
URL = f"{server}/{name.split('?')[0]}_bench_upload"
REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12"
ENV = {
    **os.environ, "DATABASE_URL": URL, "REDIS_URL": REDIS, "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false", "STATIC_MANIFEST": "false", "WHITENOISE_USE_FINDERS": "true",
    "TWO_FACTOR_REQUIRED": "false", "LOG_LEVEL": "WARNING", "CELERY_TASK_ALWAYS_EAGER": "false",
}  # fmt: skip
os.environ.update(ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "cadreprog.settings"

import django  # noqa: E402

django.setup()

from redis import Redis  # noqa: E402

from tests.roster_files import csv_bytes, many_people, table  # noqa: E402
from tests.site.conftest import Browser, free_port  # noqa: E402

IMPORT = "/admin/placements/placement/import/"


def fresh_database():
    import psycopg2

    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{URL.rsplit("/", 1)[1]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{URL.rsplit("/", 1)[1]}"')
    connection.close()
    manage("migrate", "--noinput", "-v0")
    manage("shell", "-c", (
        "import datetime; from django.contrib.auth.models import User;"
        "from cohorts.models import Batch, Programme;"
        "p = Programme.objects.create(code='SZ', name='赴深圳体悟实训', city='深圳');"
        "Batch.objects.create(programme=p, number=3, start_date=datetime.date(2026, 10, 28));"
        "User.objects.create_superuser('bench', 'bench@example.org', 'bench-password')"
    ))  # fmt: skip


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def start(command, log):
    return subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip


def progress(browser, base, token) -> dict:
    return json.loads(browser.request(f"{base}{IMPORT}{token}/progress/")[1])


def wait(browser, base, token, state, started) -> float:
    while (now := progress(browser, base, token))["state"] != state:
        if now["state"] == "failed" or time.perf_counter() - started > 600:
            raise SystemExit(f"not {state}: {now}; the servers' log is var/bench/upload.log")
        time.sleep(0.1)
    return time.perf_counter() - started


def main(rows: int) -> dict:
    fresh_database()
    Redis.from_url(REDIS).flushdb()
    data = csv_bytes(table(many_people(rows)))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    log = (ROOT / "var" / "bench" / "upload.log").open("wb")  # noqa: SIM115 (until the end)
    bin_ = Path(sys.executable).parent
    processes = [
        start([str(bin_ / "gunicorn"), "cadreprog.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", "2"], log),
        start([str(bin_ / "celery"), "-A", "cadreprog", "worker", "--concurrency", "1",
               "--loglevel", "WARNING"], log),
    ]  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(3)  # the worker connects
        browser = Browser()
        browser.post(base + "/accounts/login/", {"username": "bench", "password": "bench-password"})
        started = time.perf_counter()
        status, _body = browser.upload(base + IMPORT, "花名册.csv", data)
        request = time.perf_counter() - started
        assert status == 302, status
        token = re.search(r"import/([0-9a-f]+)/$", browser.last_location)[1]
        preview = wait(browser, base, token, "checked", started)
        browser.post(base + IMPORT + "confirm/", {"token": token}, form_page=base + IMPORT)
        confirmed = time.perf_counter()
        written = wait(browser, base, token, "imported", confirmed)
        return {
            "rows": rows, "bytes": len(data), "upload_request_seconds": round(request, 3),
            "until_preview_seconds": round(preview, 1), "confirm_to_written_seconds":
            round(written, 1),
        }  # fmt: skip
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 19_999)))

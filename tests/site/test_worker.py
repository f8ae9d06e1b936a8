"""Background work across processes: two app servers (gunicorn) and a Celery worker on one
database and one Redis (tests/site/conftest.py starts them; Redis database 10 and up, apart from
the suite's cache).

- A 5,000-row roster uploaded on one server is checked by the worker, confirmed on the other and
  written by the worker; both servers show its progress, and right after, both dashboards show
  the same new totals (their cache is Redis, the import's change reaches both).
- A worker killed (SIGKILL, the whole process group, as a machine dies) in the middle of the
  import leaves nothing written; confirming again, with a new worker, writes it once.
"""

import json
import re
import time

import pytest
from redis import Redis

from ..roster_files import csv_bytes, many_people, table
from .conftest import Browser, kill_worker, redis_url

pytestmark = pytest.mark.django_db(transaction=True)  # the servers read what is committed

ROWS = 5000
IMPORT = "/admin/placements/placement/import/"


def roster(rows=ROWS) -> bytes:
    """`rows` different people for SZ-3, as a district's CSV."""
    return csv_bytes(table(many_people(rows)))


def progress(browser, server, token) -> dict:
    status, body = browser.request(f"{server}{IMPORT}{token}/progress/")
    assert status == 200, body[-500:]
    return json.loads(body)


def wait_until(browser, servers, token, done, seconds=120) -> list[dict]:
    """Poll the progress on each server in turn until `done(progress)`; every answer seen."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        for server in servers:
            state = progress(browser, server, token)
            seen.append({**state, "server": server})
            if done(state):
                return seen
            if state["state"] in ("imported", "failed"):  # the end, and not the one awaited
                raise AssertionError(f"ended otherwise: {state}")
        time.sleep(0.2)
    raise AssertionError(f"no end in {seconds} s; last: {seen[-2:]}")


def logged_in(server) -> Browser:
    browser = Browser()
    status, _page = browser.post(
        server + "/accounts/login/", {"username": "staff2", "password": "password"}
    )
    assert status == 302
    return browser


def upload(browser, server) -> str:
    """Upload the roster; the answer is at once a redirect to its status page: its token."""
    status, _body = browser.upload(server + IMPORT, "花名册.csv", roster())
    assert status == 302
    return re.search(r"import/([0-9a-f]+)/$", browser.last_location)[1]


def confirm(browser, server, token):
    status, _page = browser.post(
        server + IMPORT + "confirm/", {"token": token}, form_page=server + IMPORT
    )
    assert status == 302


def cadres_on_dashboard(browser, server) -> int:
    status, page = browser.request(server + "/")
    assert status == 200
    card = page[page.index('id="programme-SZ"') :]
    return int(re.search(r'<dd><a href="/cadres/[^"]*">([\d,]+)</a>', card)[1].replace(",", ""))


@pytest.fixture
def redis(shared_database):
    """The processes' Redis database, emptied before and after (cache, progress, queue)."""
    url = redis_url()
    client = Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def test_uploaded_on_one_server_confirmed_on_the_other_written_by_the_worker(
    start_servers, start_worker, shared_database, redis, sz3
):
    _url, scalar = shared_database
    first, second = start_servers(2, REDIS_URL=redis)
    start_worker(REDIS_URL=redis)
    browser = logged_in(first)
    assert cadres_on_dashboard(browser, first) == cadres_on_dashboard(browser, second) == 0

    token = upload(browser, first)
    # The check runs in the worker; its progress shows on both servers alike.
    wait_until(browser, [second, first], token, lambda p: p["state"] == "checked")
    assert progress(browser, first, token)["state"] == "checked"
    assert scalar("SELECT ok FROM placements_rosterupload WHERE token = %s", token)
    assert scalar("SELECT COUNT(*) FROM placements_placement") == 0

    confirm(browser, second, token)
    seen = wait_until(browser, [first, second], token, lambda p: p["state"] == "imported")
    assert {s["server"] for s in seen} == {first, second}
    assert progress(browser, second, token)["state"] == "imported"
    assert scalar("SELECT COUNT(*) FROM placements_placement WHERE batch_id = %s", sz3.pk) == ROWS
    assert scalar("SELECT COUNT(*) FROM placements_rosterimport") == 1
    # Both servers' dashboards count the new cadres at once: one cache, in Redis.
    assert cadres_on_dashboard(browser, first) == cadres_on_dashboard(browser, second) == ROWS


def test_a_worker_killed_mid_import_leaves_nothing_and_confirming_again_writes_once(
    start_servers, start_worker, shared_database, redis, sz3
):
    _url, scalar = shared_database
    # The servers offer to confirm again after 2 s without progress, not a minute.
    (server,) = start_servers(1, REDIS_URL=redis, ROSTER_STALL_SECONDS="2")
    worker = start_worker(REDIS_URL=redis)
    browser = logged_in(server)
    token = upload(browser, server)
    wait_until(browser, [server], token, lambda p: p["state"] == "checked")

    confirm(browser, server, token)
    # The import goes by chunks of 1,000 rows (read, checked, written): past the first one.
    wait_until(browser, [server], token, lambda p: p["state"] == "writing" and p["done"] >= 1000)
    kill_worker(worker)  # SIGKILL, mid-import
    time.sleep(1)  # the database ends the dead connection's transaction
    assert scalar("SELECT COUNT(*) FROM placements_placement") == 0
    assert scalar("SELECT COUNT(*) FROM cohorts_cadre") == 0
    assert scalar("SELECT COUNT(*) FROM placements_rosterimport") == 0

    # The page offers to confirm again once the import stalls; a new worker writes it once,
    # also when the killed worker's task is handed to it again (a short visibility timeout).
    wait_until(browser, [server], token, lambda p: p["stalled"])
    confirm(browser, server, token)
    start_worker(REDIS_URL=redis, CELERY_VISIBILITY_TIMEOUT="3")
    wait_until(browser, [server], token, lambda p: p["state"] == "imported")
    time.sleep(5)  # time for the redelivered task to run too, and to find the work done
    assert scalar("SELECT COUNT(*) FROM placements_placement WHERE batch_id = %s", sz3.pk) == ROWS
    assert scalar("SELECT COUNT(*) FROM placements_rosterimport") == 1

"""The load of `make bench`: staff reading lists and searching, team leads saving placements.

Run by bench/load.py against gunicorn; BENCH_FACTS (JSON) names the batch, a name to search and
the placements the leads edit. A save refused by the lost-update guard (someone saved the same
placement between this user's reading and saving) is a success of the guard, reported apart.
"""

import json
import os
import random
from html.parser import HTMLParser

from locust import FastHttpUser, between, task

FACTS = json.loads(os.environ["BENCH_FACTS"])
SESSIONS = json.loads(os.environ["BENCH_SESSIONS"])
CSRF_COOKIE = "benchcsrfbenchcsrfbenchcsrfbench"


class FormFields(HTMLParser):
    """The values a browser would submit from the page's form (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "radio"):
            self.values[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_of(html: str) -> dict:
    parser = FormFields()
    parser.feed(html)
    return parser.values


class SiteUser(FastHttpUser):
    """A user already logged in: the benchmark made the session (BENCH_SESSIONS), so that the
    measured mix holds the work of the day, not a password hash per simulated user.

    FastHttpUser (geventhttpclient) rather than HttpUser (requests), which locust's documentation
    gives as several times cheaper per request: the load generator takes as little as it can of
    the machine it shares with the server (bench/load.py reports what it took)."""

    abstract = True
    wait_time = between(0.05, 0.2)
    username = ""

    def __init__(self, environment):
        # The app's cookies are Secure (production is HTTPS) and a client keeps those from
        # plain HTTP; on loopback the benchmark sends them itself. Django takes any 32-letter
        # CSRF cookie and renders the forms' tokens from it.
        session = SESSIONS[self.username]
        self.default_headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF_COOKIE}"}
        super().__init__(environment)


class Staff(SiteUser):
    weight = 3
    username = "bench-staff"

    @task(3)
    def placements_filtered(self):
        self.client.get(
            f"/placements/?batch={FACTS['batch_code']}&status=completed&rank_tier=division",
            name="/placements/ filtered",
        )

    @task(2)
    def cadres_searched(self):
        self.client.get(f"/cadres/?q={random.choice(FACTS['names'])}", name="/cadres/ searched")

    @task(2)
    def admin_placements_searched(self):
        self.client.get(
            f"/admin/placements/placement/?q={random.choice(FACTS['names'])}",
            name="admin placements searched",
        )

    @task(1)
    def admin_batch_placements(self):
        self.client.get(
            f"/admin/placements/placement/?batch__id__exact={FACTS['batch_id']}",
            name="admin placements of a batch",
        )

    @task(1)
    def dashboard(self):
        self.client.get("/", name="dashboard")


class Lead(SiteUser):
    weight = 1
    username = "bench-lead"

    @task(2)
    def batch_page(self):
        self.client.get(f"/lead/batches/{FACTS['lead_batch_id']}/", name="team lead's batch")

    @task(3)
    def save_placement(self):
        pk = random.choice(FACTS["lead_placements"])
        page = self.client.get(f"/lead/placements/{pk}/", name="team lead's placement form")
        values = form_of(page.text)
        values["role"] = f"岗位{random.randrange(1000)}"
        with self.client.post(
            f"/lead/placements/{pk}/", values, name="save", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302:
                response.success()
            elif (
                response.status_code == 200
                and form_of(response.text).get("expected_version") != values["expected_version"]
            ):
                # The guard refused and the form now offers the current version: counted apart.
                response.request_meta["name"] = "save refused (changed meanwhile)"
                response.success()
            else:
                response.failure(f"save answered {response.status_code}")

"""Throughput under load: gunicorn with 4 workers on the benchmark's database, locust on loopback
for a bounded time (bench/locustfile.py), then a check that every save counted is in the data."""

import csv
import json
import socket
import subprocess
import sys
import time
import urllib.request

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from measure import ROOT

from cohorts.models import Batch
from placements.models import Placement

WORKERS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {url}")


def sessions() -> dict[str, str]:
    """{username: a session key}, logged in as Django's own login would."""
    keys = {}
    for username in ("bench-staff", "bench-lead"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        keys[username] = client.cookies["sessionid"].value
    return keys


def load(facts: dict, env: dict, seconds: int, users: int) -> dict:
    batch = Batch.objects.get(pk=facts["sample_batch_id"])
    lead_placements = list(
        Placement.objects.filter(batch_id=facts["lead_batch_id"]).values_list("pk", flat=True)
    )
    versions_before = sum(
        Placement.objects.filter(pk__in=lead_placements).values_list("version", flat=True)
    )
    started_at = timezone.now()
    names = list(Placement.objects.filter(batch=batch).values_list("cadre__name", flat=True)[:20])
    port = free_port()
    out = ROOT / "var" / "bench" / "load"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cadreprog.wsgi", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/accounts/login/")
        locust_env = {
            **env,
            "BENCH_SESSIONS": json.dumps(sessions()),
            "BENCH_FACTS": json.dumps({
                "batch_id": batch.pk, "batch_code": batch.code, "names": names,
                "lead_batch_id": facts["lead_batch_id"], "lead_placements": lead_placements,
            }),
        }  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--users", str(users), "--spawn-rate", str(users),
             "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(out), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error",
             "0"],
            cwd=ROOT, env=locust_env, check=True,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    with open(f"{out}_stats.csv", newline="") as stats_file:
        stats = {row["Name"]: row for row in csv.DictReader(stats_file)}
    total = stats["Aggregated"]
    saves = int(stats.get("save", {}).get("Request Count", 0))
    refused = int(stats.get("save refused (changed meanwhile)", {}).get("Request Count", 0))
    versions_after = sum(
        Placement.objects.filter(pk__in=lead_placements).values_list("version", flat=True)
    )
    # Each save the server made bumped a version and wrote one history record, whatever the
    # client saw (locust stops mid-request at the end): a lost or half-made save breaks this.
    history = Placement.history.filter(
        id__in=lead_placements, history_date__gte=started_at, history_type="~"
    ).count()
    with open(f"{out}_failures.csv", newline="") as failures_file:
        server_errors = sum(
            int(row["Occurrences"]) for row in csv.DictReader(failures_file)
            if "50" in row["Error"]
        )  # fmt: skip
    return {
        "seconds": seconds,
        "users": users,
        "workers": WORKERS,
        "requests": int(total["Request Count"]),
        "requests_per_second": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "failures": int(total["Failure Count"]),
        "server_errors": server_errors,
        "saves": saves,
        "saves_refused_by_guard": refused,
        "saves_in_history": history,
        "consistent": versions_after - versions_before == history and history >= saves,
    }

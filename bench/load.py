"""Throughput under load: gunicorn on the benchmark's database, locust on loopback for a bounded
time (bench/locustfile.py), then a check that every save counted is in the data.

Two runs on the machine's two cores, each measured by itself, locust on core 1 in both
(`taskset -c 1`), so that its CPU is told apart (reported: locust_cpu_seconds, and per request
without its start) and its timing is not that of a process moved from core to core:

- "locust_pinned" (the headline figures): gunicorn and PostgreSQL on either core. The server
  keeps the two cores a deployment has, less what locust takes (1-3 ms of CPU a request, a few
  per cent of the machine at the target's 50 requests/s): the fairest figure for a two-core
  server that this machine can give, and comparable with the runs before this split (every
  process on either core), which differed only in locust being free to move.
- "apart": gunicorn on core 0 only, locust on core 1 (PostgreSQL, a system service, where the
  system puts it: mostly beside locust). Nothing of the load generator touches Django's core;
  the figure is that of one core of Django and errs low for a two-core server, by up to half
  when the pages' CPU is Django's. It tells how requests/s scale with the cores given to Django.

"unpinned" (every process on either core, as before) can be asked for with runs=(…).

Each run also reports the CPU seconds of gunicorn (master and workers) and of the PostgreSQL
backends serving this database during the run, per request: figures that hold when other
work shares the machine, where requests per second do not.
"""

import csv
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import psutil
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from measure import ROOT

from cohorts.models import Batch
from placements.models import Placement

# Sync workers, as many as the two cores can keep busy while some wait on PostgreSQL (a search
# by a two-character name waits about 250 ms on it). On 2026-12-07's busy machine, 2, 4 and 8
# sync workers and 2 gthread workers of 4 threads, gunicorn on one core, all served 4-7
# requests/s at 65-75 ms of gunicorn CPU a request: no setting gained beyond the noise.
WORKERS = 4
RUNS = {
    # name: (cores of gunicorn, cores of locust), None for any
    "locust_pinned": (None, "1"),
    "apart": ("0", "1"),
    "unpinned": (None, None),
}
DEFAULT_RUNS = ("locust_pinned", "apart")
# Pinning needs taskset and two cores; without them every run is unpinned (and says so).
CAN_PIN = bool(shutil.which("taskset")) and len(os.sched_getaffinity(0)) >= 2


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


def pinned(command: list[str], cores: str | None) -> list[str]:
    return ["taskset", "-c", cores, *command] if cores and CAN_PIN else command


class CpuSampler:
    """CPU seconds used by a process tree (gunicorn) and by the PostgreSQL backends of one
    database, between start() and stop(): sampled twice a second, so that a backend closed
    during the run (CONN_MAX_AGE) still counts up to its last sample."""

    def __init__(self, root_pid: int, database: str):
        self.root_pid, self.database = root_pid, database
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _processes(self):
        try:
            root = psutil.Process(self.root_pid)
            for process in [root, *root.children(recursive=True)]:
                yield "gunicorn", process
        except psutil.NoSuchProcess:
            pass
        for process in psutil.process_iter(["name"]):
            if not (process.info["name"] or "").startswith("postgres"):
                continue
            try:
                cmdline = " ".join(process.cmdline())
            except psutil.Error:
                continue
            if cmdline.startswith("postgres:") and f" {self.database} " in cmdline:
                yield "postgres", process

    def sample(self, baseline: bool = False):
        for kind, process in self._processes():
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            key = (kind, process.pid)
            self.last[key] = times.user + times.system
            # A process first seen after the start began during the run: all of it counts.
            self.first.setdefault(key, self.last[key] if baseline else 0.0)

    def _run(self):
        while not self._stop.wait(0.5):
            self.sample()

    def start(self):
        self.sample(baseline=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self.sample()
        totals = {"gunicorn": 0.0, "postgres": 0.0}
        for key, last in self.last.items():
            totals[key[0]] += last - self.first[key]
        return totals


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, every core and user."""
    with open("/proc/stat") as stat:
        fields = [float(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - idle) / ticks, sum(fields[:8]) / ticks


def load(facts: dict, env: dict, seconds: int, users: int, runs=DEFAULT_RUNS, **server) -> dict:
    """The figures of the first run in `runs` at the top level (the keys make bench reports),
    each run's under its own name."""
    start = locust_start_cpu(env)
    results = {
        name: one_run(facts, env, seconds, users, *RUNS[name], locust_start=start, **server)
        for name in runs
    }
    first = results[runs[0]]
    return {**first, "run": runs[0], **results}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def locust_start_cpu(env: dict) -> float:
    """CPU seconds locust takes to start (importing gevent and itself), of which a run's are
    told apart."""
    before = children_cpu()
    subprocess.run(
        [sys.executable, "-c", "import locust, locust.contrib.fasthttp"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    return children_cpu() - before


def one_run(
    facts: dict, env: dict, seconds: int, users: int, server_cores, locust_cores,
    workers: int = WORKERS, worker_class: str = "sync", threads: int = 1,
    locust_start: float = 0.0,
) -> dict:  # fmt: skip
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
        pinned([sys.executable, "-m", "gunicorn", "cadreprog.wsgi", "--workers", str(workers),
                "--worker-class", worker_class, "--threads", str(threads),
                "--bind", f"127.0.0.1:{port}", "--log-level", "warning"], server_cores),
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
        sampler = CpuSampler(server.pid, settings.DATABASES["default"]["NAME"])
        sampler.start()
        busy_before, total_before = machine_busy()
        children_before = children_cpu()
        subprocess.run(
            pinned([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                    "--headless", "--users", str(users), "--spawn-rate", str(users),
                    "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
                    "--csv", str(out), "--only-summary", "--loglevel", "WARNING",
                    "--exit-code-on-error", "0"], locust_cores),
            cwd=ROOT, env=locust_env, check=True,
        )  # fmt: skip
        locust_cpu = children_cpu() - children_before
        busy_after, total_after = machine_busy()
        cpu = sampler.stop()
    finally:
        server.terminate()
        server.wait(timeout=30)
    with open(f"{out}_stats.csv", newline="") as stats_file:
        stats = {row["Name"]: row for row in csv.DictReader(stats_file)}
    total = stats["Aggregated"]
    requests = int(total["Request Count"])
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
    per_request = max(requests, 1) / 1000
    return {
        "seconds": seconds,
        "users": users,
        "workers": workers,
        "worker_class": worker_class,
        "threads": threads,
        "gunicorn_cores": server_cores if server_cores and CAN_PIN else "any",
        "locust_cores": locust_cores if locust_cores and CAN_PIN else "any",
        "requests": requests,
        "requests_per_second": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "failures": int(total["Failure Count"]),
        "server_errors": server_errors,
        "saves": saves,
        "saves_refused_by_guard": refused,
        "saves_in_history": history,
        "consistent": versions_after - versions_before == history and history >= saves,
        "gunicorn_cpu_ms_per_request": round(cpu["gunicorn"] / per_request, 1),
        "postgres_cpu_ms_per_request": round(cpu["postgres"] / per_request, 1),
        # locust's CPU, its start included (about a second of importing); per request without.
        "locust_cpu_seconds": round(locust_cpu, 1),
        "locust_cpu_ms_per_request": round(max(0.0, locust_cpu - locust_start) / per_request, 1),
        # Of the machine's two cores, the share busy during the run (anyone's work).
        "machine_busy_share": round((busy_after - busy_before) / (total_after - total_before), 2),
        "per_page": {
            name: {
                "requests": int(row["Request Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
            }
            for name, row in stats.items()
            if name != "Aggregated"
        },
    }

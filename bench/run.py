"""`make bench`: performance at archive scale on PostgreSQL, written to docs/benchmarks.md/.json.

On the PostgreSQL server of DATABASE_URL (default the machine's, 127.0.0.1:5432) it builds a
fresh database named after it with "_bench" appended (never the named database itself), fills it
with archive-scale data, and measures:

1. roster imports from the command line, first import and re-import, with the two anchors (COPY
   into a staging table; a default django-import-export ModelResource) on the larger file;
2. server time and query count of the main pages, p50 and p95;
3. the export of the imported rows as CSV, at two sizes;
4. throughput under load: gunicorn with 4 workers and locust;
5. a roster upload of 20,000 rows through gunicorn and a Celery worker on Redis: the request, the
   time until the preview and until it is written (bench/background_upload.py, its own database).

BENCH_SCALE=small (default, a few minutes) or full (200,000 cadres, 100,000-row imports).
"""

import datetime
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCALES = {
    "small": {"programmes": 20, "batches": 200, "cadres": 20_000, "host_units": 2_000,
              "imports": [1_000, 10_000], "page_repeats": 10, "load_seconds": 20, "users": 12},
    "full": {"programmes": 20, "batches": 2_000, "cadres": 200_000, "host_units": 20_000,
             "imports": [10_000, 100_000], "page_repeats": 20, "load_seconds": 60, "users": 24},
}  # fmt: skip
SCALE_NAME = os.environ.get("BENCH_SCALE", "small")
SCALE = SCALES[SCALE_NAME]
# While working on one part: BENCH_STEPS=pages BENCH_REUSE=1 measures that part again on the
# data of the last run and updates it in the report (the other parts keep their figures).
STEPS = os.environ.get("BENCH_STEPS", "imports,pages,export,load,upload").split(",")
REUSE = os.environ.get("BENCH_REUSE") == "1"


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        base = "postgres://postgres@127.0.0.1:5432/cadreprog"
    server, name = base.rsplit("/", 1)
    return f"{server}/{name.split('?')[0]}_bench"


URL = bench_database_url()
ENV = {
    **os.environ, "DATABASE_URL": URL, "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "SECURE_SSL_REDIRECT": "false",
    "STATIC_MANIFEST": "false", "WHITENOISE_USE_FINDERS": "true", "TWO_FACTOR_REQUIRED": "false",
    "LOG_LEVEL": "WARNING", "CONN_MAX_AGE": "60",
}  # fmt: skip
os.environ.update(ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "cadreprog.settings"

import django  # noqa: E402

django.setup()

import archive  # noqa: E402
import imports  # noqa: E402
from load import load  # noqa: E402
from measure import timed_child  # noqa: E402
from middleware_cost import middleware_cost  # noqa: E402
from mix_cost import mix_cost  # noqa: E402
from pages import measure_pages  # noqa: E402
from roster_samples import write_roster  # noqa: E402

WORK = ROOT / "var" / "bench"
# Issue 18's targets: the first import of the larger file at ≥ 5,000 rows/s and within 60× of
# COPY, a re-import faster than a first; every page within 150 ms at p95; under load ≥ 50
# requests/s at p95 ≤ 500 ms without errors; the export at ≥ 20,000 rows/s; the middleware's
# fixed cost ≤ 10 ms of CPU on a trivial authenticated page.
TARGETS = {"import_rows_per_second": 5_000, "import_copy_ratio": 60, "import_rss_mb": 400,
           "page_p95_ms": 150, "page_queries": 12, "export_rows_per_second": 20_000,
           "load_rps": 50, "load_p95_ms": 500, "middleware_cpu_ms": 10}  # fmt: skip
# The figures this round started from (a copy of docs/benchmarks.json of 2026-11-22): the
# report's summary sets them beside the new ones.
BEFORE = ROOT / "docs" / "benchmarks-before.json"


def fresh_database():
    import psycopg2

    server, name = URL.rsplit("/", 1)
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True
    )


def step(title: str):
    print(f"== {title}", flush=True)


def run() -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    record = {"scale": SCALE_NAME, **{k: SCALE[k] for k in
              ("programmes", "batches", "cadres", "host_units")}}  # fmt: skip
    if REUSE:  # the last run's figures, of which the steps run now are replaced
        record = json.loads((ROOT / "docs" / "benchmarks.json").read_text())

    if REUSE:
        facts = archive.facts()
    else:
        step(f"archive data ({SCALE_NAME})")
        fresh_database()
        started = time.perf_counter()
        facts = archive.generate(SCALE)
        record["generate_seconds"] = round(time.perf_counter() - started, 1)
    if "imports" in STEPS:
        measure_imports(record)
    if "pages" in STEPS:
        step("pages")
        record["pages"] = measure_pages(facts, SCALE["page_repeats"])
        step("fixed cost of a request")
        record["middleware"] = {
            "staff": middleware_cost(1000),
            "lead": middleware_cost(1000, "bench-lead"),
        }
        record["middleware"]["cpu_ms_per_request"] = max(
            record["middleware"][who]["cpu_ms_per_request"] for who in ("staff", "lead")
        )
        print(f"  {record['middleware']['cpu_ms_per_request']} ms CPU a request")
    if "export" in STEPS:
        measure_exports(record)
    if "load" in STEPS:
        step("load")
        record["load"] = load(facts, ENV, SCALE["load_seconds"], SCALE["users"])
        # The same mix in this process, each kind of request's CPU told apart (it saves too:
        # after the load run, whose consistency check it would disturb).
        record["load"]["cpu_split"] = mix_cost(facts, 300)
        print(f"  {record['load']}")
    if "upload" in STEPS:  # last: it sets its own database and Redis in the environment
        step("upload through the web, with a worker")
        import background_upload

        record["upload"] = background_upload.main(19_999)
        record["upload"]["date"] = datetime.date.today().isoformat()
        print(f"  {record['upload']}")
    return record


def measure_imports(record: dict):
    step("roster imports")
    record["imports"] = []
    for rows in SCALE["imports"]:
        path = write_roster(WORK / f"roster-{rows}.csv", rows, SCALE["host_units"])
        first = imports.import_roster(path, rows, ENV)
        again = imports.import_roster(path, rows, ENV)
        assert first["new"] == rows and again["unchanged"] == rows, (first, again)
        record["imports"].append({"rows": rows, "first": first, "again": again})
        print(f"  {rows:,} rows: first {first['seconds']} s, again {again['seconds']} s")
    rows = SCALE["imports"][-1]
    copy_seconds = imports.copy_into_staging(path)
    print(f"  COPY into staging: {copy_seconds:.2f} s")
    resource_seconds = imports.model_resource(path)
    print(f"  default ModelResource: {resource_seconds:.1f} s")
    ours = record["imports"][-1]["first"]["seconds"]
    record["anchors"] = {
        "rows": rows,
        "copy_seconds": round(copy_seconds, 2),
        "model_resource_seconds": round(resource_seconds, 1),
        "ours_to_copy": round(ours / copy_seconds, 1),
        "model_resource_to_ours": round(resource_seconds / ours, 1),
    }


def measure_exports(record: dict):
    step("export")
    record["exports"] = []
    for batches in (["1"], []):
        run_ = timed_child(["bench/export_rows.py", archive.IMPORT_PROGRAMME, *batches], ENV)
        count = int(run_["out"].split()[-1])
        record["exports"].append({
            "rows": count, "seconds": run_["seconds"], "peak_rss_mb": run_["peak_rss_mb"],
            "rows_per_second": round(count / run_["seconds"]),
        })  # fmt: skip
        print(f"  {count:,} rows: {run_['seconds']} s, {run_['peak_rss_mb']} MB")


def load_section(load_: dict) -> list[str]:
    """Section 4: the headline run (locust on its own core) and the one with Django on one
    core, then where each request's CPU goes."""
    t = TARGETS
    runs = [(name, load_[name]) for name in ("locust_pinned", "apart", "unpinned") if name in load_]
    runs = runs or [("unpinned", load_)]
    where = {
        "locust_pinned": "locust on core 1; gunicorn and PostgreSQL on either core (headline)",
        "apart": "locust on core 1; gunicorn on core 0 only (one core of Django)",
        "unpinned": "every process on either core",
    }
    lines = [
        "",
        "## 4. Under load",
        "",
        f"gunicorn, {load_['workers']} sync workers, on the benchmark's database; locust with "
        f"{load_['users']} users on loopback for {load_['seconds']} s a run: staff reading",
        "filtered lists, searching by name and opening the dashboard; team leads opening their",
        "batch and saving placements (bench/locustfile.py). The load generator runs on its own",
        "core (`taskset -c 1`), so that its cost is told apart: its CPU per request is reported,",
        "as are gunicorn's and PostgreSQL's (read from /proc during the run). Target: ≥ "
        f"{t['load_rps']} requests/s, p95 ≤ {t['load_p95_ms']} ms, no errors (headline run).",
        "",
        "| run | requests | requests/s | p50 ms | p95 ms | errors | gunicorn CPU ms a request "
        "| PostgreSQL CPU ms | locust CPU ms | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, run in runs:
        ok = (run["requests_per_second"] >= t["load_rps"] and run["p95_ms"] <= t["load_p95_ms"]
              and run["server_errors"] == 0 and run["failures"] == 0)  # fmt: skip
        lines.append(
            f"| {where[name]} | {run['requests']:,} | {run['requests_per_second']} | "
            f"{run['p50_ms']:g} | {run['p95_ms']:g} | {run['failures'] + run['server_errors']} | "
            f"{run.get('gunicorn_cpu_ms_per_request', '–')} | "
            f"{run.get('postgres_cpu_ms_per_request', '–')} | "
            f"{run.get('locust_cpu_ms_per_request', '–')} | "
            f"{mark(ok) if name == runs[0][0] else '(for comparison)'} |"
        )
    first = runs[0][1]
    lines += [
        "",
        f"Saves in the headline run: {first['saves']}, of which {first['saves_refused_by_guard']} "
        "refused by the lost-update guard; every save in the history and the versions: "
        f"{'yes' if first['consistent'] else 'NO'}.",
    ]
    split = load_.get("cpu_split")
    if split:
        lines += [
            "",
            "The same mix replayed in the benchmark's process (bench/mix_cost.py), CPU per request",
            "of each kind:",
            "",
            "| request | Django CPU ms | PostgreSQL CPU ms |",
            "|---|---:|---:|",
        ]
        for kind, f in split.items():
            label = "all (per HTTP request)" if kind == "all" else kind
            lines.append(f"| {label} | {f['django_cpu_ms']} | {f['postgres_cpu_ms']} |")
    return lines


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    with django.db.connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GiB, Python {platform.python_version()}, "
        f"PostgreSQL {postgres} (default settings)"
    )


def mark(ok: bool) -> str:
    return "✓" if ok else "✗ missed"


def headline(record: dict) -> dict:
    """The figures the targets are about, each as (text, met), from one run's record."""
    t, figures = TARGETS, {}
    if record.get("imports"):
        last, a = record["imports"][-1], record["anchors"]
        first, again = last["first"], last["again"]
        figures["import"] = (
            f"{first['rows_per_second']:,} rows/s, {a['ours_to_copy']}× COPY",
            first["rows_per_second"] >= t["import_rows_per_second"]
            and a["ours_to_copy"] <= t["import_copy_ratio"],
        )
        figures["reimport"] = (
            f"{again['rows_per_second']:,} rows/s",
            again["seconds"] < first["seconds"],
        )
        peak = max(first["peak_rss_mb"], again["peak_rss_mb"])
        figures["import_rss"] = (f"{peak} MB", peak <= t["import_rss_mb"])
    if record.get("pages"):
        pages = record["pages"]
        within = [p for p in pages if p["p95_ms"] <= t["page_p95_ms"]
                  and p["queries"] <= t["page_queries"]]  # fmt: skip
        slowest = max(pages, key=lambda p: p["p95_ms"])
        figures["pages"] = (
            f"{len(within)} of {len(pages)} within {t['page_p95_ms']} ms; slowest "
            f"{slowest['p95_ms']:g} ms ({slowest['page']})",
            len(within) == len(pages),
        )
    if record.get("load"):
        load_ = record["load"]
        figures["load"] = (
            f"{load_['requests_per_second']} requests/s, p95 {load_['p95_ms']:g} ms, "
            f"{load_['failures'] + load_['server_errors']} errors",
            load_["requests_per_second"] >= t["load_rps"] and load_["p95_ms"] <= t["load_p95_ms"]
            and load_["server_errors"] == 0 and load_["failures"] == 0,
        )  # fmt: skip
    if record.get("exports"):
        export = record["exports"][-1]
        figures["export"] = (
            f"{export['rows_per_second']:,} rows/s ({export['rows']:,} rows, "
            f"{export['peak_rss_mb']} MB)",
            export["rows_per_second"] >= t["export_rows_per_second"],
        )
    if record.get("middleware"):
        cost = record["middleware"]["cpu_ms_per_request"]
        figures["middleware"] = (f"{cost} ms CPU", cost <= t["middleware_cpu_ms"])
    return figures


def summary(record: dict) -> list[str]:
    """The targets at a glance: this run beside the run this round started from."""
    t = TARGETS
    labels = {
        "import": (f"{record['anchors']['rows']:,}-row first import" if record.get("anchors")
                   else "first import",
                   f"≥ {t['import_rows_per_second']:,} rows/s and ≤ {t['import_copy_ratio']}× "
                   "COPY"),
        "reimport": ("the same file again (all unchanged)", "faster than the first"),
        "import_rss": ("import's peak memory", f"≤ {t['import_rss_mb']} MB"),
        "pages": ("pages at p95", f"all ≤ {t['page_p95_ms']} ms, ≤ {t['page_queries']} queries"),
        "load": ("under load (locust)", f"≥ {t['load_rps']} requests/s, p95 ≤ "
                 f"{t['load_p95_ms']} ms, 0 errors"),
        "export": ("CSV export", f"≥ {t['export_rows_per_second']:,} rows/s, memory flat"),
        "middleware": ("fixed cost per request", f"≤ {t['middleware_cpu_ms']} ms CPU"),
    }  # fmt: skip
    now = headline(record)
    before = headline(json.loads(BEFORE.read_text())) if BEFORE.exists() else {}
    lines = [
        "## Targets",
        "",
        "| what | before (2026-11-22) | now | target | met |",
        "|---|---|---|---|---|",
    ]
    for key, (label, target) in labels.items():
        if key in now:
            text, ok = now[key]
            lines.append(
                f"| {label} | {before.get(key, ('–',))[0]} | {text} | {target} | {mark(ok)} |"
            )
    return lines + [""]


def report(record: dict) -> str:
    t = TARGETS
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (bench/run.py); raw figures in `docs/benchmarks.json`.",
        f"Scale: **{record['scale']}** — {record['programmes']} programmes, "
        f"{record['batches']:,} batches, {record['cadres']:,} cadres and placements, "
        f"{record['host_units']:,} host units (generated with COPY in "
        f"{record['generate_seconds']} s).",
        "",
        f"Machine: {record['machine']}. Date: {record['date']}.",
        "",
        *summary(record),
        "## 1. Roster import from the command line",
        "",
        "`manage.py import_roster FILE --json` in its own process, end to end (start-up, reading,",
        "checks, matching against the archive, writing in one transaction), rows spread over 10",
        f"batches. Target: the first import of the larger file at ≥ "
        f"{t['import_rows_per_second']:,} rows/s and within {t['import_copy_ratio']}× of COPY, "
        f"a re-import faster than a first, peak RSS ≤ {t['import_rss_mb']} MB.",
        "",
        "| rows | import | seconds | rows/s | peak RSS | target |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for run in record["imports"]:
        for kind, figures in (("first (all new)", run["first"]),
                              ("again (all unchanged)", run["again"])):  # fmt: skip
            ok = (figures["rows_per_second"] >= t["import_rows_per_second"]
                  and figures["peak_rss_mb"] <= t["import_rss_mb"])  # fmt: skip
            lines.append(
                f"| {run['rows']:,} | {kind} | {figures['seconds']} | "
                f"{figures['rows_per_second']:,} | {figures['peak_rss_mb']} MB | {mark(ok)} |"
            )
    a = record["anchors"]
    lines += [
        "",
        f"Anchors, the same {a['rows']:,} rows in the same run:",
        "",
        "| path | seconds | ours compared |",
        "|---|---:|---|",
        f"| PostgreSQL `COPY` into a staging table (nothing checked) | {a['copy_seconds']} | "
        f"ours takes {a['ours_to_copy']}× as long "
        f"({mark(a['ours_to_copy'] <= t['import_copy_ratio'])} target ≤ "
        f"{t['import_copy_ratio']}×) |",
        f"| django-import-export `ModelResource`, default options, one table (cadres) | "
        f"{a['model_resource_seconds']} | ours is {a['model_resource_to_ours']}× faster |",
        "",
        "## 2. Pages: server time and queries",
        "",
        "Django's test client in the benchmark's process, the same request repeated; time from",
        "request to response, no network. Target: p95 ≤ "
        f"{t['page_p95_ms']} ms and ≤ {t['page_queries']} queries.",
        "",
        "| page | first view ms | p50 ms | p95 ms | queries | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for page in record["pages"]:
        ok = page["p95_ms"] <= t["page_p95_ms"] and page["queries"] <= t["page_queries"]
        lines.append(
            f"| {page['page']} | {page['first_ms']} | {page['p50_ms']} | {page['p95_ms']} | "
            f"{page['queries']} | "
            f"{mark(ok)} |"
        )
    lines += [
        "",
        "## 3. Export as CSV",
        "",
        f"The roster export (streamed), in its own process. Target: ≥ "
        f"{t['export_rows_per_second']:,} rows/s, memory flat as rows grow.",
        "",
        "| rows | seconds | rows/s | peak RSS |",
        "|---:|---:|---:|---:|",
    ]
    for export in record["exports"]:
        lines.append(
            f"| {export['rows']:,} | {export['seconds']} | {export['rows_per_second']:,} | "
            f"{export['peak_rss_mb']} MB |"
        )
    lines += load_section(record["load"])
    if record.get("middleware"):
        m = record["middleware"]
        lines += [
            "",
            "## 5. Fixed cost of a request",
            "",
            f"A trivial authenticated page (`{m['staff']['page']}` with nothing in it) called",
            "through Django's WSGI handler with a browser's session cookie, so that the whole",
            "middleware stack (sessions, locale, CSRF, authentication, idle timeout,",
            "two-factor with an authenticator app, messages, history, lockout, CSP) and the",
            "context processors are counted (bench/middleware_cost.py). CPU of this process",
            f"per request, median of rounds. Target: ≤ {t['middleware_cpu_ms']} ms.",
            "",
            "| user | CPU ms a request | PostgreSQL CPU ms | queries | target |",
            "|---|---:|---:|---:|---|",
        ]
        for who, label in (("staff", "staff"), ("lead", "team lead")):
            f = m[who]
            lines.append(
                f"| {label} | {f['cpu_ms_per_request']} | "
                f"{f.get('postgres_cpu_ms_per_request') or '–'} | {f['queries']} | "
                f"{mark(f['cpu_ms_per_request'] <= t['middleware_cpu_ms'])} |"
            )
    upload = record.get("upload")
    if upload:
        lines += [
            "",
            "## 6. A large roster upload, with a worker",
            "",
            "bench/background_upload.py: gunicorn (2 workers) and a Celery worker on Redis, a",
            f"fresh database ({upload.get('date', record['date'])}); a CSV of "
            f"{upload['rows']:,} people ({upload['bytes'] / 1e6:.1f} MB, the upload limit)",
            "uploaded in the admin, its progress polled. Target: the upload request answers in",
            "under a second.",
            "",
            "| upload request s | until the preview s | confirm to written s | target |",
            "|---:|---:|---:|---|",
            f"| {upload['upload_request_seconds']} | {upload['until_preview_seconds']} | "
            f"{upload['confirm_to_written_seconds']} | "
            f"{mark(upload['upload_request_seconds'] < 1)} |",
        ]
    notes = ROOT / "docs" / "benchmarks-notes.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    result = run()
    if not all(step in result for step in ("imports", "pages", "exports", "load")):
        raise SystemExit(0)  # a first partial run: printed above, no report to update
    result["date"] = datetime.date.today().isoformat()
    result["machine"] = machine()
    docs = ROOT / "docs"
    (docs / "benchmarks.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    (docs / "benchmarks.md").write_text(report(result))
    print(f"written: docs/benchmarks.md ({SCALE_NAME} scale)")

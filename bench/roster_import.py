"""Benchmark: a roster import from the command line, first import and re-import, per database.

Run by `make bench`. For each database (SQLite in var/bench/, and the PostgreSQL of
BENCH_POSTGRES_URL, default the machine's on 127.0.0.1) it builds a fresh database with 10
batches, writes a roster of BENCH_ROWS rows (default 10,000) with valid ID numbers, and times
`manage.py import_roster FILE --json` end to end in a subprocess: rows per second and the
process's peak memory (RSS). The figures go to docs/benchmarks.json and docs/benchmarks.md.
"""

import csv
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadreprog.settings")
os.environ.setdefault("DEBUG", "1")  # this process only writes files; the imports run apart

import django  # noqa: E402

django.setup()

from cohorts.idnumbers import check_char  # noqa: E402
from placements.roster import COLUMNS  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
BATCHES = 10
POSTGRES = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cadreprog_bench"
)
WORK = ROOT / "var" / "bench"
TARGET_SECONDS = 15  # the roster issue's goal for 10,000 rows

SETUP = """
import datetime
from cohorts.models import Batch, Programme
sz = Programme.objects.create(code="SZ", name="赴深圳体悟实训", city="深圳")
for n in range(1, {batches} + 1):
    Batch.objects.create(programme=sz, number=n, start_date=datetime.date(2019, 1, 1)
                         + datetime.timedelta(days=120 * n))
"""
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌"
UNITS = [
    "市发展和改革委员会", "市商务局", "市财政局", "即墨区委组织部",
    "青岛国信发展（集团）有限责任公司",
    "市住房和城乡建设局", "崂山区人民政府", "青岛西海岸新区管委", "市科学技术局", "市国资委",
]  # fmt: skip
HOSTS = [f"深圳实训单位{n:03d}有限公司" for n in range(200)]
RANKS = ["正处级", "副处", "正科级", "副科", "一级调研员", "科员", "处级"]


def roster(path: Path, rows: int):
    rng = random.Random(20261122)
    headers = [c.header for c in COLUMNS]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        for n in range(rows):
            born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 30))
            first17 = f"370{rng.randrange(200, 290)}{born:%Y%m%d}{n % 1000:03d}"
            male = int(first17[16]) % 2 == 1
            values = {
                "batch": f"SZ-{n % BATCHES + 1}",
                "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                "gender": "男" if male else "女",
                "birth_date": f"{born:%Y.%m}",
                "id_number": first17 + check_char(first17),
                "home_unit": rng.choice(UNITS),
                "position": "副处长",
                "rank": rng.choice(RANKS),
                "category": "党政群机关",
                "district": "市南区",
                "group": f"第{n % 8 + 1}组",
                "host_unit": rng.choice(HOSTS),
                "host_role": "投资经理助理",
                "phone": f"139{n:08d}",
            }
            writer.writerow([values.get(c.key, "") for c in COLUMNS])


def manage(env, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
        capture_output=True, input=stdin,
    )  # fmt: skip


def timed_import(env, path: Path) -> dict:
    """Seconds, peak RSS and counts of one import_roster process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_roster", str(path), "--json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # wait4 gives this child's own peak RSS; its output (a few lines) fits the pipes meanwhile.
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out, err = process.stdout.read(), process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import_roster failed:\n{err}")
    return {
        "seconds": round(seconds, 2),
        "rows_per_second": round(ROWS / seconds),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "counts": json.loads(out.splitlines()[-1]),
    }


def fresh_database(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": "bench",
           "ALLOWED_HOSTS": "localhost", "LOG_LEVEL": "WARNING"}  # fmt: skip
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        import psycopg2

        admin_url, name = url.rsplit("/", 1)
        connection = psycopg2.connect(f"{admin_url}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", stdin=SETUP.format(batches=BATCHES))
    return env


def run() -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"roster-{ROWS}.csv"
    roster(path, ROWS)
    databases = {"SQLite": f"sqlite:///{WORK / 'bench.sqlite3'}", "PostgreSQL": POSTGRES}
    results = {}
    for label, url in databases.items():
        env = fresh_database(url)
        first = timed_import(env, path)
        again = timed_import(env, path)
        assert first["counts"]["new"] == ROWS and again["counts"]["unchanged"] == ROWS
        results[label] = {"first_import": first, "re_import": again}
        print(f"{label}: first {first['seconds']} s, re-import {again['seconds']} s")
    return results


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB, Python {platform.python_version()}"


def write_report(results: dict):
    docs = ROOT / "docs"
    record = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "rows": ROWS,
        "roster_import": results,
    }
    (docs / "benchmarks.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (bench/roster_import.py); the raw figures are in",
        "`docs/benchmarks.json`. Run it again after a change that touches the import.",
        "",
        f"Machine: {record['machine']}. Date: {record['date']}.",
        "",
        f"## Roster import from the command line, {ROWS:,} rows in {BATCHES} batches",
        "",
        "`manage.py import_roster FILE --json` in its own process, end to end (start-up, reading,",
        "checks, matching, writing in one transaction). Target: under "
        f"{TARGET_SECONDS} s for 10,000 rows.",
        "",
        "| database | import | seconds | rows/s | peak RSS |",
        "|---|---|---:|---:|---:|",
    ]
    for label, runs in results.items():
        for kind, figures in (("first (all new)", runs["first_import"]),
                              ("again (all unchanged)", runs["re_import"])):  # fmt: skip
            lines.append(
                f"| {label} | {kind} | {figures['seconds']} | {figures['rows_per_second']:,} "
                f"| {figures['peak_rss_mb']} MB |"
            )
    (docs / "benchmarks.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    write_report(run())

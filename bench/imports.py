"""Roster imports from the command line, and the two anchors to compare them with: PostgreSQL's
COPY into a staging table (the physical limit) and a plain django-import-export ModelResource with
default options (what a Django developer would write first)."""

import csv
import json
import time
from pathlib import Path

import tablib
from django.db import connection, transaction
from import_export import fields, resources
from measure import timed_child

from cohorts.models import Cadre
from rosters.columns import COLUMNS


def import_roster(path: Path, rows: int, env: dict) -> dict:
    """`manage.py import_roster FILE --json` end to end, in its own process."""
    run = timed_child(["manage.py", "import_roster", str(path), "--json"], env)
    counts = json.loads(run["out"].splitlines()[-1])
    if counts["errors"]:
        raise SystemExit(f"the benchmark's roster was refused: {counts['errors'][:3]}")
    return {
        "seconds": run["seconds"],
        "rows_per_second": round(rows / run["seconds"]),
        "peak_rss_mb": run["peak_rss_mb"],
        "new": counts["new"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
    }


def copy_into_staging(path: Path) -> float:
    """COPY the file's rows into a temporary table of text columns; nothing is checked."""
    columns = ", ".join(f"c{i} text" for i in range(len(COLUMNS)))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE roster_staging ({columns}) ON COMMIT DROP")
        started = time.perf_counter()
        with path.open(encoding="utf-8-sig") as data:
            cursor.cursor.copy_expert(
                "COPY roster_staging FROM STDIN WITH (FORMAT csv, HEADER true)", data
            )
        return time.perf_counter() - started


class CadreResource(resources.ModelResource):
    """The roster's people as a first attempt would import them: one table, default options."""

    name = fields.Field(attribute="name", column_name="姓名")
    id_number = fields.Field(attribute="id_number", column_name="身份证号")
    phone = fields.Field(attribute="phone", column_name="手机号码")

    class Meta:
        model = Cadre
        fields = ("name", "id_number", "phone")
        import_id_fields = ("id_number",)


def model_resource(path: Path) -> float:
    """The same rows through CadreResource, for real, then rolled back."""
    with path.open(encoding="utf-8-sig") as data:
        dataset = tablib.Dataset(headers=next(csv.reader(data)))
        for row in csv.reader(data):
            dataset.append(row)
    started = time.perf_counter()
    with transaction.atomic():
        result = CadreResource().import_data(dataset, dry_run=False)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("the ModelResource anchor failed to import the roster")
    return seconds

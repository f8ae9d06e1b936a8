"""The roster import's queries do not grow with the rows (issue 6): set-based matching, bulk
writes. On PostgreSQL 10 rows and 1,000 rows run the same queries; SQLite splits an INSERT at
999 parameters, so there a larger file may add one INSERT per such chunk, and nothing else."""

import datetime
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.models import Cadre
from placements.models import HostUnit, Placement, RosterImportChange
from rosters.importing import import_roster

from ..factories import make_id_number
from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db

SQLITE_PARAMETERS = 999


def roster(rows: int) -> bytes:
    people = []
    for n in range(1, rows + 1):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=11 * n)
        number = make_id_number(born, male=True, serial=n)
        people.append(
            person(n, 出生年月=f"{born:%Y.%m}", 身份证号=number, 实训单位=f"深圳单位{n % 7}")
        )
    return csv_bytes(table(people))


def queries_to_import(rows: int) -> int:
    data = roster(rows)
    with CaptureQueriesContext(connection) as context:
        result = import_roster(data, "roster.csv")
    assert result.ok and result.count("new") == rows, result.problems[:3]
    return len(context)


def sqlite_inserts(rows: int) -> int:
    """The INSERT statements SQLite's parameter limit makes of `rows` new rows of each table."""
    tables = (Cadre, Placement, RosterImportChange)
    return sum(
        math.ceil(rows / (SQLITE_PARAMETERS // len(model._meta.concrete_fields)))
        for model in tables
    )


def test_an_import_runs_the_same_queries_for_10_and_1000_rows(sz3):
    few = queries_to_import(10)
    Placement.objects.all().delete()
    Cadre.objects.all().delete()
    HostUnit.objects.all().delete()
    many = queries_to_import(1000)
    if connection.vendor == "postgresql":
        assert many == few
    else:
        assert few <= many <= few + sqlite_inserts(1000) - sqlite_inserts(10)

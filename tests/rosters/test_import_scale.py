"""The roster import's queries do not grow with the rows (issue 6): set-based matching, bulk
writes; nor those of a re-import or of an update of a few rows (issue 18: nothing unchanged is
locked). On PostgreSQL 10 rows and 1,000 rows run the same queries; SQLite splits an INSERT at
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


def queries_of(data: bytes, **expected) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        result = import_roster(data, "roster.csv")
    assert result.ok, result.problems[:3]
    assert {action: result.count(action) for action in expected} == expected
    return [query["sql"] for query in context.captured_queries]


def start_afresh():
    Placement.objects.all().delete()
    Cadre.objects.all().delete()
    HostUnit.objects.all().delete()


def corrected(rows: int, changed: int) -> bytes:
    """The roster of `rows`, its first `changed` people with a new phone and a new post."""
    data = roster(rows).decode()
    lines = data.split("\r\n")
    for n in range(1, changed + 1):
        lines[n] = lines[n].replace("副处长", "处长").replace(f"1380000{n:04d}", f"1390000{n:04d}")
    return "\r\n".join(lines).encode()


def test_a_re_import_runs_the_same_queries_for_10_and_200_rows(sz3):
    """Nothing changed, so nothing is written but the import's record, and no cadre or
    placement is locked. Each time: the batch names (batches, programmes), the advisory lock
    that serialises imports, the batch row lock, the cadres by ID number, the placements of
    those cadres, the host units by name or alias, the record and its batches (read, insert);
    savepoints aside."""
    queries = {}
    for rows in (10, 200):
        start_afresh()
        import_roster(roster(rows), "roster.csv")
        queries[rows] = queries_of(roster(rows), unchanged=rows)
    assert len(queries[200]) == len(queries[10])
    assert not any("FOR UPDATE" in sql and "cohorts_cadre" in sql for sql in queries[200])


def test_an_update_of_a_few_rows_runs_the_same_queries_for_10_and_200_rows(sz3):
    """The re-import's queries, and for the three updated rows: one lock of their cadres and
    one of their placements (SELECT … FOR UPDATE, at the version read), one UPDATE of each,
    and their change records (COPY on PostgreSQL, which no query list shows; one INSERT on
    SQLite)."""
    queries = {}
    for rows in (10, 200):
        start_afresh()
        import_roster(roster(rows), "roster.csv")
        queries[rows] = queries_of(corrected(rows, 3), updated=3, unchanged=rows - 3)
    assert len(queries[200]) == len(queries[10])
    locks = [sql for sql in queries[200] if "FOR UPDATE" in sql]
    if connection.vendor == "postgresql":  # SQLite has no row locks: Django leaves them out
        assert len(locks) == 2  # the updated cadres, placements (the batch: FOR NO KEY UPDATE)

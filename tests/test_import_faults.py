"""Faults during an import: a database error halfway writes nothing; two imports of the same
roster at the same moment (two connections) create no duplicates."""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.urls import reverse

from cohorts.models import Cadre
from placements import importing
from placements.models import HostUnit, Placement, RosterImport

from .roster_files import csv_bytes, person, table


@pytest.fixture
def fail_placements(monkeypatch):
    """The placements' insert fails, after the host units and cadres went in."""
    insert = importing.bulk_insert

    def insert_or_fail(model, objects):
        if model is Placement:
            raise DatabaseError("injected: the server went away")
        insert(model, objects)

    monkeypatch.setattr(importing, "bulk_insert", insert_or_fail)


def nothing_written():
    return not (Cadre.objects.exists() or Placement.objects.exists() or HostUnit.objects.exists())


@pytest.mark.django_db
def test_a_database_error_halfway_writes_nothing(sz3, fail_placements):
    data = csv_bytes(table([person(1), person(2, 身份证号="")]))
    result = importing.import_roster(data, "r.csv")
    assert not result.ok
    assert "数据库" in str(result.problems[0]) and "injected" in str(result.problems[0])
    assert nothing_written()
    assert RosterImport.objects.get().outcome != "imported"  # the refusal is on record


@pytest.mark.django_db
def test_a_database_error_on_confirm_is_reported_in_the_admin(staff_client, sz3, request):
    data = csv_bytes(table([person(1)]))
    upload = SimpleUploadedFile("r.csv", data)
    token = staff_client.post(reverse("admin:placements_placement_import"), {"file": upload})
    token = token.context["token"]
    request.getfixturevalue("fail_placements")  # from now on
    response = staff_client.post(
        reverse("admin:placements_placement_import_confirm"), {"token": token}, follow=True
    )
    assert response.status_code == 200
    assert "未导入任何数据：数据库拒绝了本次导入" in response.content.decode()
    assert nothing_written()


def import_at_once(data, count=2):
    """`count` imports of `data`, each on its own thread and database connection, started
    together; each holds its transaction a moment after matching, so they overlap."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(importing.import_roster(data, "r.csv"))
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    return results


@pytest.fixture
def slow_matching(monkeypatch):
    """Matching takes a while, as with a big roster: without a lock both would match first."""
    run = importing._Matcher.run

    def slow(self):
        run(self)
        time.sleep(0.4)

    monkeypatch.setattr(importing._Matcher, "run", slow)


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_roster_at_once_make_no_duplicates(sz3, slow_matching):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the race needs PostgreSQL")
    # With and without ID numbers: the latter are matched by name, birth date and home unit.
    rows = [person(1), person(2), person(3, 身份证号=""), person(4, 身份证号="")]
    results = import_at_once(csv_bytes(table(rows)))
    assert all(result.ok for result in results), [r.problems for r in results]
    assert sorted((r.count("new"), r.count("unchanged")) for r in results) == [(0, 4), (4, 0)]
    assert Cadre.objects.count() == 4 and Placement.objects.count() == 4
    assert HostUnit.objects.count() == 1

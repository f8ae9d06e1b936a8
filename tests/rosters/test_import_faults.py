"""Faults during an import: a database error halfway writes nothing; two imports of the same
roster at the same moment (two connections) create no duplicates."""

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection
from django.db.models import F
from django.urls import reverse

from cohorts.models import Cadre
from placements.models import HostUnit, Placement, RosterImport
from rosters import importing
from rosters.importing import matching, writing
from security import backups

from ..roster_files import csv_bytes, person, table


@pytest.fixture
def fail_placements(monkeypatch):
    """The placements' insert fails, after the host units and cadres went in."""
    insert = writing.bulk_insert

    def insert_or_fail(model, objects):
        if model is Placement:
            raise DatabaseError("injected: the server went away")
        insert(model, objects)

    monkeypatch.setattr(writing, "bulk_insert", insert_or_fail)


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


def import_at_once(*files, count=2):
    """An import of each file (of one file, `count` times), each on its own thread and database
    connection, started together; each holds its transaction a moment after matching, so they
    overlap."""
    files = files if len(files) > 1 else files * count
    barrier = threading.Barrier(len(files))
    results, errors = [], []

    def run(data):
        try:
            barrier.wait()
            results.append(importing.import_roster(data, "r.csv"))
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(data,)) for data in files]
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("numbered", [True, False], ids=["id-numbers", "no-id-numbers"])
def test_imports_into_two_batches_at_once_make_each_person_once(sz3, sh5, slow_matching, numbered):
    if connection.vendor != "postgresql":
        pytest.skip("threads cannot share SQLite's in-memory test database: see the next test")
    # No host units: a person made twice is then the only way for the two to clash.
    people = [person(n, 实训单位="", **({} if numbered else {"身份证号": ""})) for n in (1, 2, 3)]
    into = [csv_bytes(table([p | {"批次": code} for p in people])) for code in ("SZ-3", "SH-5")]
    results = import_at_once(*into)
    assert all(result.ok for result in results), [r.problems for r in results]
    assert sorted(r.count("new") for r in results) == [3, 3]  # new placements, one person each
    assert Cadre.objects.count() == 3 and Placement.objects.count() == 6


# One import in its own process, started when both processes are ready, its matching slowed
# as in slow_matching; prints its result.
IMPORT_IN_A_PROCESS = """
import json, pathlib, sys, time, django
django.setup()
from rosters import importing
run = importing._Matcher.run
importing._Matcher.run = lambda self: (run(self), time.sleep(0.5))[0]
data = pathlib.Path(sys.argv[1]).read_bytes()
pathlib.Path(sys.argv[1] + ".ready").touch()
while len(list(pathlib.Path(sys.argv[1]).parent.glob("*.ready"))) < 2:
    time.sleep(0.01)
print(json.dumps(importing.import_roster(data, "r.csv").as_json()))
"""


@pytest.mark.django_db(transaction=True)
def test_imports_in_two_processes_make_each_person_once(sz3, sh5, tmp_path):
    """As two servers or two commands would, over a file database on SQLite (where the
    settings make every transaction take the write lock at BEGIN), on PostgreSQL too."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        url += f"{db['PORT'] or 5432}/{db['NAME']}"
    else:
        url = f"sqlite:///{backups.backup(tmp_path / 'db.sqlite3')}"
    people = [person(1), person(2), person(3, 身份证号=""), person(4, 身份证号="")]
    processes = []
    for code in ("SZ-3", "SH-5"):
        path = tmp_path / f"{code}.csv"
        path.write_bytes(csv_bytes(table([p | {"批次": code} for p in people])))
        env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "DEBUG": "1", "CONN_MAX_AGE": "0"}
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", IMPORT_IN_A_PROCESS, str(path)],
                cwd=Path(__file__).resolve().parents[2],
                env=env | {"DJANGO_SETTINGS_MODULE": "cadreprog.settings"},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    results = [
        json.loads(p.communicate(timeout=120)[0].decode().splitlines()[-1]) for p in processes
    ]
    assert [r["errors"] for r in results] == [[], []]
    assert sorted(r["new"] for r in results) == [4, 4]  # new placements, one person each
    if connection.vendor == "postgresql":
        assert Cadre.objects.count() == 4 and Placement.objects.count() == 8
    else:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as copy:
            count = "SELECT count(*) FROM "
            assert copy.execute(count + Cadre._meta.db_table).fetchone()[0] == 4
            assert copy.execute(count + Placement._meta.db_table).fetchone()[0] == 8


@pytest.mark.django_db(transaction=True)
def test_a_clash_that_still_happens_is_a_message_not_a_traceback(
    sz3, sh5, slow_matching, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("threads cannot share SQLite's in-memory test database")
    # As if something other than an import (an admin's add) had written the person meanwhile.
    monkeypatch.setattr(importing, "_serialise_imports", lambda: None)
    people = [person(1, 实训单位="")]
    into = [csv_bytes(table([p | {"批次": code} for p in people])) for code in ("SZ-3", "SH-5")]
    results = import_at_once(*into)
    refused = [r for r in results if not r.ok]
    assert len(refused) == 1 and "同时" in str(refused[0].problems[0])
    assert Cadre.objects.count() == 1


@pytest.mark.django_db
def test_a_clash_reads_as_a_message_in_the_commands_json(sz3, monkeypatch, tmp_path, capsys):
    def clash(model, objects):
        raise IntegrityError('duplicate key value violates unique constraint "cadre_id_number"')

    monkeypatch.setattr(writing, "bulk_insert", clash)
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(table([person(1)])))
    with pytest.raises(SystemExit):
        call_command("import_roster", str(path), "--json")
    errors = json.loads(capsys.readouterr().out.splitlines()[-1])["errors"]
    assert "同时" in errors[0]["message"] and "duplicate" not in errors[0]["message"]


@pytest.mark.django_db
def test_a_cadre_saved_between_matching_and_locking_refuses_the_import(sz3, monkeypatch):
    """Read without a lock, what an import updates is locked at the version it read: a save
    in between (here: just before the lock) refuses the import instead of being overwritten."""
    importing.import_roster(csv_bytes(table([person(1)])), "first.csv")
    lock = matching._Matcher._lock_updated

    def saved_meanwhile(self):
        Cadre.objects.update(notes="临时党支部委员", version=F("version") + 1)
        lock(self)

    monkeypatch.setattr(matching._Matcher, "_lock_updated", saved_meanwhile)
    result = importing.import_roster(csv_bytes(table([person(1, 手机号码="13900000009")])), "r.csv")
    assert not result.ok and "同时" in str(result.problems[0])
    assert Cadre.objects.get().phone != "13900000009"

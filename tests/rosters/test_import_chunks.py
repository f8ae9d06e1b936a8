"""A large roster is imported a chunk at a time (issue 13, item 9): memory is bounded by the
chunk, not the file, while the import stays all or nothing and reports every problem. The
chunks are made tiny here (ROWS_PER_CHUNK = 4) so that a dozen rows span several."""

import gc
import io
import json

import pytest
from django.core.management import call_command

from cohorts.models import Cadre
from placements.models import Placement, RosterImport, RosterImportChange
from rosters import importing

from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db
CHUNK = 4


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(importing, "ROWS_PER_CHUNK", CHUNK)


def roster(*people) -> io.BytesIO:
    """The file as the command line gives it: a binary file, read as a stream."""
    return io.BytesIO(csv_bytes(table(list(people))))


def rows_alive() -> int:
    gc.collect()  # rows let go in reference cycles count only until the collector runs
    return sum(isinstance(o, importing.Row) for o in gc.get_objects())


def test_no_more_than_two_chunks_of_rows_are_alive_at_once(sz3, monkeypatch):
    alive, run = [], importing._Matcher.run

    def counting(self):
        alive.append(rows_alive())  # the chunk matched, and the next one read ahead
        run(self)

    monkeypatch.setattr(importing._Matcher, "run", counting)
    result = importing.import_roster(roster(*[person(n) for n in range(1, 31)]), "r.csv")
    assert result.ok and result.count("new") == 30 and len(alive) == 8
    assert max(alive) <= 2 * CHUNK


def test_every_chunk_is_written_in_one_import(sz3):
    result = importing.import_roster(roster(*[person(n) for n in range(1, 11)]), "r.csv")
    assert result.ok and Placement.objects.count() == 10
    assert RosterImportChange.objects.filter(roster_import=result.roster_import).count() == 10
    assert RosterImport.objects.get().new_count == 10


def test_a_problem_in_the_last_chunk_rolls_back_the_first(sz3):
    people = [person(n) for n in range(1, 10)] + [person(10, 性别="未知")]
    result = importing.import_roster(roster(*people), "r.csv")
    assert not result.ok and [p.row for p in result.problems] == [11]
    assert not Placement.objects.exists() and not Cadre.objects.exists()
    assert RosterImport.objects.get().outcome == RosterImport.Outcome.REFUSED


def test_a_dry_run_of_several_chunks_writes_nothing(sz3):
    result = importing.import_roster(
        roster(*[person(n) for n in range(1, 11)]), "r.csv", dry_run=True
    )
    assert result.ok and result.count("new") == 10
    assert not Placement.objects.exists() and not RosterImport.objects.exists()


def test_an_id_number_twice_in_a_batch_is_found_across_chunks(sz3):
    people = [person(n) for n in range(1, 10)] + [person(1)]
    result = importing.import_roster(roster(*people), "r.csv")
    assert [(p.row, p.column) for p in result.problems] == [(2, "身份证号"), (11, "身份证号")]
    assert "第11行" in result.problems[0].message
    assert result.count("new") == 8 and not Placement.objects.exists()


def test_a_person_without_id_number_twice_in_a_batch_is_found_across_chunks(sz3):
    people = [person(n, 身份证号="") for n in range(1, 10)] + [person(1, 身份证号="")]
    result = importing.import_roster(roster(*people), "r.csv")
    assert [p.row for p in result.problems] == [2, 11]
    assert "2、11" in result.problems[1].message


def test_problems_kept_are_capped_and_the_rest_counted(sz3, monkeypatch):
    monkeypatch.setattr(importing, "MAX_PROBLEMS", 3)
    people = [person(n, 性别="未知") for n in range(1, 11)]
    result = importing.import_roster(roster(*people), "r.csv")
    assert len(result.problems) == 3 and result.problem_count == 10


def test_the_command_reads_the_file_as_a_stream_and_keeps_its_json(sz3, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(table([person(n) for n in range(1, 11)])))
    call_command("import_roster", str(path), "--json")
    out = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert out == {"new": 10, "updated": 0, "unchanged": 0, "errors": [], "dry_run": False}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_a_streamed_file_is_decoded_in_any_roster_encoding(sz3, encoding):
    data = io.BytesIO(csv_bytes(table([person(n) for n in range(1, 7)]), encoding=encoding))
    result = importing.import_roster(data, "r.csv")
    assert result.ok and result.count("new") == 6
    assert Cadre.objects.filter(name=person(1)["姓名"]).exists()

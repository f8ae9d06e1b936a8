"""Issue 15's spellings through `import_roster --json`: each read into the normal form stored, or
refused with its own message in the JSON's errors. One parametrised test per section."""

import json
from contextlib import suppress

import pytest
from django.core.management import call_command

from placements.models import Placement
from placements.ranks import Rank

from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db


def import_json(tmp_path, capsys, rows) -> dict:
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(table(rows)))
    with suppress(SystemExit):  # exit 1 when the file has errors; the JSON is printed all the same
        call_command("import_roster", str(path), "--json")
    return json.loads(capsys.readouterr().out.splitlines()[-1])


def assert_imported(out: dict):
    assert out["errors"] == [] and out["new"] == 1, out


@pytest.mark.parametrize(
    "written, rank",
    [
        ("巡视员", Rank.BUREAU_CHIEF),
        ("副巡视员", Rank.BUREAU_DEPUTY),
        ("调研员", Rank.DIVISION_CHIEF),
        ("副调研员", Rank.DIVISION_DEPUTY),
        ("主任科员", Rank.SECTION_CHIEF),
        ("副主任科员", Rank.SECTION_DEPUTY),
        ("处级正职", Rank.DIVISION_CHIEF),
        ("科级副职", Rank.SECTION_DEPUTY),
        ("正县处级", Rank.DIVISION_CHIEF),
        ("正厅局级", Rank.BUREAU_CHIEF),
        ("正处级（一级调研员）", Rank.DIVISION_CHIEF),
        ("副处级/三级调研员", Rank.DIVISION_DEPUTY),
        ("正处级干部", Rank.DIVISION_CHIEF),
        ("正处级。", Rank.DIVISION_CHIEF),
        ("-", Rank.OTHER),
        ("/", Rank.OTHER),
    ],
)
def test_rank_spelling_imports_as_its_rank(sz3, tmp_path, capsys, written, rank):
    assert_imported(import_json(tmp_path, capsys, [person(1, 职级=written)]))
    assert Placement.objects.get().rank == rank

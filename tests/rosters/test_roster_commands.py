"""import_roster and export_roster on the command line, and the real-shaped sample rosters."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from demo.roster import seed
from placements.models import Placement

from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent.parent / "samples"


def import_file(path, *args) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of import_roster."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_roster", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def roster_file(tmp_path):
    def make(rows, name="roster.csv"):
        path = tmp_path / name
        path.write_bytes(csv_bytes(table(rows)))
        return path

    return make


def test_clean_file_exits_0_and_prints_the_counts(sz3, roster_file):
    status, out, _err = import_file(roster_file([person(1), person(2)]))
    assert status == 0
    assert "新增2行" in out
    assert Placement.objects.count() == 2


def test_json_is_the_last_line(sz3, roster_file):
    _status, out, _err = import_file(roster_file([person(1)]), "--json")
    assert json.loads(out.splitlines()[-1]) == {
        "new": 1, "updated": 0, "unchanged": 0, "errors": [], "dry_run": False
    }  # fmt: skip


def test_errors_exit_1_each_on_its_own_line_and_write_nothing(sz3, roster_file):
    path = roster_file([person(1, 性别="?"), person(2, 职级="大官")])
    status, out, err = import_file(path, "--json")
    assert status == 1
    assert err.splitlines() == [
        "第2行，“性别”列：性别应填“男”或“女”，而不是“?”。",
        "第3行，“职级”列：“大官”不是职级，请按正处级、副处、一级调研员、科员或处级等写法填写。",
    ]
    assert [e["row"] for e in json.loads(out.splitlines()[-1])["errors"]] == [2, 3]
    assert not Placement.objects.exists()


def test_dry_run_exits_0_and_writes_nothing(sz3, roster_file):
    status, out, _err = import_file(roster_file([person(1)]), "--dry-run", "--json")
    assert status == 0
    assert json.loads(out.splitlines()[-1])["dry_run"] is True
    assert not Placement.objects.exists()


def test_batch_option_names_the_batch(sz3, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([r[1:] for r in table([person(1)])]))
    assert import_file(path, "--batch", "SZ-3")[0] == 0
    assert Placement.objects.get().batch == sz3


@pytest.mark.parametrize(
    "args",
    [["/no/such/file.csv"], ["README.md"], ["pyproject.toml"]],
    ids=["missing", "md", "toml"],
)
def test_usage_errors_exit_2(sz3, args):
    with pytest.raises(CommandError) as info:
        call_command("import_roster", *args)
    assert info.value.returncode == 2


def test_unknown_batch_option_exits_2(sz3, roster_file):
    with pytest.raises(CommandError) as info:
        call_command("import_roster", str(roster_file([person(1)])), "--batch", "SZ-99")
    assert info.value.returncode == 2


def test_export_writes_a_file_that_imports_unchanged(sz3, roster_file, tmp_path):
    import_file(roster_file([person(1), person(2)]))
    target = tmp_path / "out.xlsx"
    call_command("export_roster", "--batch", "SZ-3", "-o", str(target), stderr=io.StringIO())
    status, out, _err = import_file(target, "--json")
    assert (status, json.loads(out.splitlines()[-1])["unchanged"]) == (0, 2)


def test_export_to_a_stream_is_csv_with_full_id_numbers(sz3, roster_file, capfdbinary):
    import_file(roster_file([person(1)]))
    call_command("export_roster", "--batch", "SZ-3", "--format", "csv", "-o", "/dev/stdout")
    assert person(1)["身份证号"].encode() in capfdbinary.readouterr().out


@pytest.fixture
def demo():
    seed()


@pytest.mark.parametrize(
    ("name", "rows"), [("sz4_sample_gbk.csv", 30), ("sh2_sample.xlsx", 20), ("sz4_sample.xls", 30)]
)
def test_sample_rosters_import_and_import_again_unchanged(demo, name, rows):
    status, out, err = import_file(SAMPLES / name, "--json")
    assert status == 0, err
    assert json.loads(out.splitlines()[-1])["new"] == rows
    again = json.loads(import_file(SAMPLES / name, "--json")[1].splitlines()[-1])
    assert again["unchanged"] == rows


def test_sample_of_the_same_people_in_two_formats_agree(demo):
    import_file(SAMPLES / "sz4_sample_gbk.csv")
    result = json.loads(import_file(SAMPLES / "sz4_sample.xls", "--json")[1].splitlines()[-1])
    assert (result["new"], result["updated"], result["unchanged"]) == (0, 0, 30)

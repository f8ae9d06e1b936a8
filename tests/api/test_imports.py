"""POST /api/v1/roster-imports/: the same import and the same JSON as `import_roster --json`,
all rows or none; those who may import on the pages; a large file in the background (inline
here: no REDIS_URL), its status at the URL the 202 gives."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from demo.roster import seed
from placements.models import Placement, RosterImport

from ..factories import StaffFactory, UserFactory
from ..roster_files import csv_bytes, person, table
from .conftest import bearer

pytestmark = pytest.mark.django_db
URL = "/api/v1/roster-imports/"
SAMPLE = Path(__file__).parent.parent / "samples" / "sh2_sample.xlsx"


def post(api, data: bytes | None = None, name="花名册.csv", **fields):
    if data is not None:
        fields["file"] = SimpleUploadedFile(name, data)
    return api.post(URL, fields, format="multipart")


def roster(*rows) -> bytes:
    return csv_bytes(table(list(rows) or [person(1), person(2), person(3)]))


def written() -> list[tuple]:
    """What the imports wrote, without ids: each placement's cadre, batch and host unit."""
    return sorted(
        Placement.objects.values_list(
            "cadre__name", "cadre__id_number", "cadre__birth_date", "cadre__phone", "batch__number",
            "home_unit", "position", "rank", "category", "district", "host_unit__name", "role",
        )
    )  # fmt: skip


class Undone(Exception):
    pass


def by_command(path: Path) -> tuple[int, dict, list]:
    """(exit status, JSON, rows written) of import_roster --json, undone afterwards."""
    out = io.StringIO()
    try:
        with transaction.atomic():
            try:
                call_command("import_roster", str(path), "--json", stdout=out, stderr=io.StringIO())
                code = 0
            except SystemExit as exit_:
                code = exit_.code
            found = (code, json.loads(out.getvalue().splitlines()[-1]), written())
            raise Undone
    except Undone:
        return found


def test_an_import_equals_the_commands(as_staff):
    seed()
    before = written()
    code, expected, rows = by_command(SAMPLE)
    assert (code, expected["new"], written()) == (0, 20, before)
    response = post(as_staff, SAMPLE.read_bytes(), name=SAMPLE.name)
    assert response.status_code == 200
    assert response.json() == expected
    assert written() == rows


def test_a_dry_run_writes_nothing(as_staff, sz3):
    response = post(as_staff, roster(), dry_run="true")
    assert response.status_code == 200
    assert response.json() == {"new": 3, "updated": 0, "unchanged": 0, "errors": [],
                               "dry_run": True}  # fmt: skip
    assert not Placement.objects.exists()


def test_the_import_history_says_it_came_through_the_api(as_staff, sz3):
    assert post(as_staff, roster()).status_code == 200
    assert list(RosterImport.objects.values_list("source", flat=True)) == ["api"]


def test_a_file_with_problems_is_400_with_them_and_writes_nothing(as_staff, sz3):
    response = post(as_staff, roster(person(1), person(2, 职级="大官")))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 3, "column": "职级", "message": "“大官”不是职级，请按正处级、副处、一级调研员、"
         "科员或处级等写法填写。"}
    ]  # fmt: skip
    assert not Placement.objects.exists()
    assert RosterImport.objects.get().outcome == "refused"


def test_the_batch_option_fills_a_file_without_a_batch_column(as_staff, sz3):
    rows = [{k: v for k, v in person(1).items() if k != "批次"}]
    response = post(as_staff, csv_bytes(table(rows)), batch="SZ-3")
    assert response.status_code == 200 and response.json()["new"] == 1
    assert Placement.objects.get().batch == sz3


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"batch": "SZ-99"}, "batch"), ({"dry_run": "maybe"}, "dry_run")],
)
def test_a_wrong_option_is_400_naming_it(as_staff, sz3, fields, field):
    response = post(as_staff, roster(), **fields)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert not Placement.objects.exists()


def test_no_file_is_400_naming_file(as_staff):
    response = as_staff.post(URL, {"dry_run": "true"}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"]


def test_a_file_that_is_no_spreadsheet_is_400_naming_file(as_staff):
    response = post(as_staff, b"%PDF-1.4", name="roster.pdf")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["file"]


def test_staff_without_full_id_numbers_may_not_import(api, sz3):
    # An import matches people by ID number: a few hundred dry runs with guessed numbers would
    # otherwise narrow a cadre's to a handful (new, unchanged, which row conflicts).
    clerk = UserFactory(username="clerk", is_staff=True)
    for codename in ("view_all_batches", "add_placement", "change_placement", "view_placement"):
        clerk.user_permissions.add(Permission.objects.get(codename=codename))
    api.credentials(**bearer(clerk))
    response = post(api, roster(), dry_run="true")
    assert response.status_code == 403
    assert "可查看完整身份证号" in response.json()["detail"]


def test_a_lead_may_not_import(as_lead):
    response = post(as_lead, roster())
    assert response.status_code == 403
    assert not Placement.objects.exists()


@pytest.fixture
def background(settings):
    """Files of more than one data row go to the background queue."""
    settings.ROSTER_BACKGROUND_ROWS = 1


def test_a_large_file_is_202_then_its_status_gives_the_json(as_staff, sz3, background):
    response = post(as_staff, roster())
    assert response.status_code == 202
    url = response.json()["url"]
    assert response["Location"] == url and url.startswith(URL)
    status = as_staff.get(url).json()
    assert (status["state"], status["finished"], status["dry_run"]) == ("imported", True, False)
    assert status["result"] == {"new": 3, "updated": 0, "unchanged": 0, "errors": [],
                                "dry_run": False}  # fmt: skip
    assert Placement.objects.count() == 3


def test_a_large_dry_run_checks_in_the_background_and_writes_nothing(as_staff, sz3, background):
    url = post(as_staff, roster(), dry_run="true").json()["url"]
    status = as_staff.get(url).json()
    assert (status["state"], status["dry_run"]) == ("checked", True)
    assert status["result"]["dry_run"] is True and status["result"]["new"] == 3
    assert not Placement.objects.exists()


def test_a_large_file_with_problems_writes_nothing_and_says_them(as_staff, sz3, background):
    url = post(as_staff, roster(person(1), person(2, 性别="?"))).json()["url"]
    status = as_staff.get(url).json()
    assert status["state"] == "failed"
    assert [(e["row"], e["column"]) for e in status["result"]["errors"]] == [(3, "性别")]
    assert not Placement.objects.exists()


def test_an_import_is_its_starters_only(api, as_staff, sz3, background):
    url = post(as_staff, roster()).json()["url"]
    api.credentials(**bearer(StaffFactory(username="other")))
    assert api.get(url).status_code == 404

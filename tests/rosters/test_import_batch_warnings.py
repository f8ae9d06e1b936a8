"""The preview warns, without refusing, of people added to an ended batch or beyond 150."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts.terms import today
from rosters import importing
from rosters.importing import import_roster

from ..factories import BatchFactory, PlacementFactory
from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:placements_placement_import")


@pytest.fixture
def sz6(shenzhen):
    return BatchFactory(programme=shenzhen, number=6, start_date=today() - datetime.timedelta(40))


def roster(*numbers, batch="SZ-6"):
    return csv_bytes(table([person(n, 批次=batch) for n in numbers]))


def test_preview_warns_of_people_added_to_an_ended_batch_and_still_offers_confirm(
    staff_client, sz3
):
    data = roster(1, 2, batch="SZ-3")
    response = staff_client.post(IMPORT, {"file": SimpleUploadedFile("r.csv", data)})
    page = response.content.decode()
    assert "roster-batch-warnings" in page
    assert "深圳第3批已于" in page
    assert "确认导入" in page


def test_no_warning_when_a_roster_only_updates_an_ended_batch(sz3):
    import_roster(roster(1, batch="SZ-3"), "r.csv")
    assert import_roster(roster(1, batch="SZ-3"), "r.csv", dry_run=True).batch_warnings == []


def test_no_warning_for_a_batch_in_progress_within_its_size(sz6):
    assert import_roster(roster(1, 2), "r.csv", dry_run=True).batch_warnings == []


def test_warns_when_the_batch_would_exceed_its_size(sz6, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BATCH_SIZE", 2)
    PlacementFactory(batch=sz6)
    result = import_roster(roster(1, 2), "r.csv", dry_run=True)
    assert result.ok  # a warning, not a refusal
    assert [str(w) for w in result.batch_warnings] == [
        "导入后深圳第6批将有 3 人，超过每批 2 人的上限。"
    ]


@pytest.mark.parametrize(("limit", "warned"), [(2, True), (3, False)])
def test_a_file_of_several_chunks_counts_its_people_once(sz6, monkeypatch, limit, warned):
    monkeypatch.setattr(importing, "MAX_BATCH_SIZE", limit)
    monkeypatch.setattr(importing, "ROWS_PER_CHUNK", 2)
    result = import_roster(roster(1, 2, 3), "r.csv", dry_run=True)
    assert bool(result.batch_warnings) is warned

"""import_roster tells how far it has got (progress callback), and a file's rows are counted
cheaply before it is read (spreadsheets.reading.count_rows), to send a large upload to the
background."""

import pytest

from placements.models import Placement
from rosters import importing
from spreadsheets.reading import count_rows

from ..roster_files import csv_bytes, person, table, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_progress_is_told_of_rows_read_checked_and_written_chunk_by_chunk(sz3, monkeypatch):
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    told = []
    data = csv_bytes(table([person(n) for n in range(1, 6)]))
    importing.import_roster(
        data, "a.csv", chunk_rows=2, progress=lambda phase, rows: told.append((phase, rows))
    )
    assert [rows for phase, rows in told if phase == "written"] == [2, 4, 5]
    assert ("read", 6) in told  # the header row too
    assert max(rows for phase, rows in told if phase == "checked") == 5


def test_an_error_raised_by_progress_stops_the_import_with_nothing_written(sz3):
    def crash(phase, rows):
        if phase == "written" and rows > 2:
            raise RuntimeError("killed")

    data = csv_bytes(table([person(n) for n in range(1, 6)]))
    with pytest.raises(RuntimeError):
        importing.import_roster(data, "a.csv", chunk_rows=2, progress=crash)
    assert not Placement.objects.exists()


def test_rows_are_counted_in_csv_and_xlsx_and_counting_stops_past_the_bound():
    rows = table([person(n) for n in range(1, 31)])
    assert count_rows(csv_bytes(rows), beyond=100) == 31
    assert count_rows(xlsx_bytes(rows), beyond=100) == 31
    assert count_rows(xlsx_bytes(rows), beyond=10) > 10


def test_a_file_that_cannot_be_counted_counts_none():
    assert count_rows(b"PK\x03\x04 not a zip", beyond=10) == 0

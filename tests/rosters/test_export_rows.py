"""The roster export's rows (issue 18: read as values, not model instances) are what the
placements' own fields give, cell for cell and byte for byte: checked against a reference written
from model instances, as the export was before, on awkward rows (formula-like texts, no host
unit, no ID number, an unscheduled batch, a second programme in one city), for CSV, XLSX and the
background export's path. And the queries do not grow with the rows."""

import csv
import datetime
import io
import random

import pytest
from openpyxl import load_workbook

from cohorts import privacy
from cohorts.batchnames import BatchNames
from cohorts.models import Cadre
from placements.models import Placement
from rosters import columns as roster
from rosters import exporting
from spreadsheets.formulas import escape_formula

from ..factories import (
    BatchFactory,
    CadreFactory,
    HostUnitFactory,
    PlacementFactory,
    ProgrammeFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


def reference_rows(placements, full_ids: bool) -> list[list]:
    """The export's rows as the model-based code wrote them (before issue 18)."""
    names = BatchNames()
    rows = []
    placements = placements.select_related("cadre", "batch__programme", "host_unit")
    for serial, placement in enumerate(placements, start=1):
        cadre, term = placement.cadre, placement.term
        values = {
            "batch": names.written(placement.batch) or placement.batch.code,
            "name": cadre.name,
            "gender": roster.gender_label(cadre.gender),
            "birth_date": cadre.birth_date if full_ids else privacy.birth_month(cadre.birth_date),
            "id_number": (cadre.id_number if full_ids else cadre.masked_id_number) or "",
            "home_unit": placement.home_unit,
            "position": placement.position,
            "rank": roster.rank_label(placement.rank, placement.rank_tier),
            "category": roster.category_label(placement.category),
            "district": placement.district,
            "group": placement.group,
            "ethnicity": cadre.ethnicity,
            "political_status": cadre.political_status,
            "education": cadre.education,
            "host_unit": placement.host_unit.name if placement.host_unit else "",
            "host_role": placement.role,
            "start_date": term.start,
            "end_date": term.end,
            "phone": cadre.phone,
            "notes": placement.notes,
        }
        cells = [values[column.key] for column in roster.COLUMNS]
        cells.insert(-1, roster.status_label(placement.status))
        rows.append([serial, *(escape_formula(_text(v)) for v in cells)])
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def reference_csv(rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(roster.export_headers())
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


@pytest.fixture
def awkward(sz3, shenzhen):
    """Rows that take every path of a cell."""
    unscheduled = BatchFactory(programme=shenzhen, number=4, start_date=None)
    other_sz = BatchFactory(programme=ProgrammeFactory(code="SZX", city="深圳市"), number=1)
    texts = ["=1+1", "'=1+1", "'plain", "+86", "-2", "@SUM(A1)", "\tx", "\rx", '"q",\nx', "普通"]
    for n, text in enumerate(texts):
        PlacementFactory(
            batch=(sz3, unscheduled, other_sz)[n % 3],
            notes=text,
            home_unit=texts[-1 - n],
            group=text if n % 2 else "第1组",
            rank=("", "other", "staff", "section_chief")[n % 4],
            rank_tier=("division", "none", "staff", "section")[n % 4],
            category=("", "district", "state_enterprise")[n % 3],
            status=("pending", "on_site", "completed")[n % 3],
            start_date=datetime.date(2020, 5, 1) if n == 4 else None,
            end_date=datetime.date(2020, 6, 30) if n == 5 else None,
            host_unit=None if n % 4 == 1 else HostUnitFactory(),
            cadre=CadreFactory(
                id_number=None if n == 2 else make_id_number(serial=n, male=n % 2 == 0),
                ethnicity="汉族", phone="13800000000" if n % 2 else "",
            ),
        )  # fmt: skip
    Cadre.objects.filter(id_number=None).update(birth_date=None)
    return Placement.objects.all()


def export(placements, fmt: str, full_ids: bool) -> bytes:
    out = io.BytesIO()
    exporting.write(placements, out, fmt, full_ids)
    return out.getvalue()


@pytest.mark.parametrize("full_ids", [True, False])
def test_csv_is_what_the_placements_give_byte_for_byte(awkward, full_ids):
    expected = reference_csv(reference_rows(awkward, full_ids))
    assert export(awkward, "csv", full_ids) == expected


@pytest.mark.parametrize("full_ids", [True, False])
def test_background_csv_is_the_rows_asked_in_their_order(awkward, full_ids):
    ids = list(awkward.values_list("pk", flat=True))
    random.Random(1).shuffle(ids)
    pks = awkward.values_list("pk", flat=True)
    by_pk = dict(zip(pks, reference_rows(awkward, full_ids), strict=True))
    rows = [[n, *by_pk[pk][1:]] for n, pk in enumerate(ids, start=1)]
    placements = exporting.placements_in_order([*ids, 10**9], chunk_size=4)  # one id is gone
    assert export(placements, "csv", full_ids) == reference_csv(rows)


@pytest.mark.parametrize("full_ids", [True, False])
def test_xlsx_cells_are_what_the_placements_give(awkward, full_ids):
    sheet = load_workbook(io.BytesIO(export(awkward, "xlsx", full_ids))).active
    header, *rows = ([cell.value for cell in row] for row in sheet.iter_rows())
    assert header == roster.export_headers()
    # XML reads a CR back as LF, in a file written either way
    expected = [[v if isinstance(v, int) else v.replace("\r", "\n") for v in row]
                for row in reference_rows(awkward, full_ids)]  # fmt: skip
    assert [[v if v is not None else "" for v in row] for row in rows] == expected


def many_placements(batch, count: int):
    """`count` placements of `batch`, written in bulk (no factory per row)."""
    cadres = Cadre.objects.bulk_create(Cadre(name=f"张{n}") for n in range(count))
    Placement.objects.bulk_create(
        Placement(cadre=cadre, batch=batch, home_unit="市委办公厅") for cadre in cadres
    )


@pytest.mark.parametrize("rows", [5, 2100])
def test_an_export_runs_the_same_queries_for_5_and_2100_rows(sz3, rows, django_assert_num_queries):
    many_placements(sz3, rows)
    # 1 the placements' ROW_FIELDS (joined with cadre and host unit; one server-side cursor on
    # PostgreSQL, read 2,000 rows at a time), 2 the batches, 3 the programmes (BatchNames, for
    # writing 批次 as 深圳第3批)
    with django_assert_num_queries(3):
        assert exporting.write(Placement.objects.all(), io.BytesIO(), "csv", True) == rows


@pytest.mark.parametrize("rows", [5, 2100])
def test_a_background_export_reads_the_placements_900_at_a_time(
    sz3, rows, django_assert_num_queries
):
    many_placements(sz3, rows)
    ids = list(Placement.objects.values_list("pk", flat=True))
    # one query per 900 ids (3 for 2,100), then the batches and the programmes (BatchNames)
    with django_assert_num_queries(-(-rows // 900) + 2):
        placements = exporting.placements_in_order(ids)
        assert exporting.write(placements, io.BytesIO(), "csv", True) == rows

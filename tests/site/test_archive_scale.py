"""What keeps pages fast at archive scale (issue 6), beyond query counts: estimated counts of
whole tables, searches that PostgreSQL's trigram indexes answer, inserts by COPY, streamed
exports."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadreprog import pagination
from cadreprog.bulk import bulk_insert
from cohorts.models import Cadre
from placements.models import Placement, RosterImport, RosterImportChange
from placements.search import search_placements

from ..factories import BatchFactory, CadreFactory, PlacementFactory
from ..helpers import body

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner and statistics"
)


@postgresql_only
def test_an_unfiltered_admin_list_shows_the_planners_estimate(staff_client, sz3, monkeypatch):
    PlacementFactory.create_batch(3, batch=sz3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE placements_placement")
    PlacementFactory(batch=sz3)  # not yet in the statistics: an exact count would say 4
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 0)
    response = staff_client.get(reverse("admin:placements_placement_changelist"))
    assert response.context["cl"].result_count == 3


@postgresql_only
def test_a_filtered_admin_list_is_counted_exactly(staff_client, sz3, sh5, monkeypatch):
    PlacementFactory(batch=sh5)  # two batches: the admin drops a filter with one choice
    PlacementFactory.create_batch(3, batch=sz3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE placements_placement")
    PlacementFactory(batch=sz3)
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 0)
    url = reverse("admin:placements_placement_changelist") + f"?batch__id__exact={sz3.pk}"
    assert staff_client.get(url).context["cl"].result_count == 4


def test_small_tables_are_counted_exactly(staff_client, sz3):
    PlacementFactory.create_batch(4, batch=sz3)
    response = staff_client.get(reverse("admin:placements_placement_changelist"))
    assert response.context["cl"].result_count == 4


def plan(queryset) -> str:
    """The plan PostgreSQL would pick if it could not read whole tables or whole indexes (tiny
    test tables are cheaper read whole, or walked along their primary key with a filter, as
    the statistics earlier tests left may suggest): an index appears only if it matches the
    query's expression."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_the_name_search_uses_the_trigram_index(sz3):
    PlacementFactory.create_batch(3, batch=sz3)
    matches = search_placements(Placement.objects.all(), "王建国")
    found = plan(matches)
    assert "cohorts_cadre_name_trgm" in found
    assert "placements_hostunit_name_trgm" in found
    assert "placements_placement_home_unit_trgm" in found


# A word too short for a trigram (王浩: half of Chinese names) by the index of each column's
# characters (cadreprog/textsearch.py), not by reading the whole tables.
CHARS_INDEXES = [
    "cohorts_cadre_name_chars",
    "placements_placement_home_unit_chars",
    "placements_hostunit_name_chars",
]


@postgresql_only
@pytest.mark.parametrize("word", ["王浩", "王"])
def test_a_short_word_uses_the_indexes_of_characters(sz3, word):
    PlacementFactory.create_batch(3, batch=sz3)
    found = plan(search_placements(Placement.objects.all(), word, id_numbers=True))
    assert [index for index in CHARS_INDEXES if index not in found] == []


# A word of ASCII letters is looked up in the pinyin columns too, each by its own index.
PINYIN_INDEXES = {
    "wh": ["cohorts_cadre_name_initials_trgm", "cohorts_cadre_name_pinyin_trgm",
           "placements_hostunit_name_initials_trgm", "placements_hostunit_name_pinyin_trgm"],
    "wanghao": ["cohorts_cadre_name_initials_trgm", "cohorts_cadre_name_pinyin_trgm"],
    "tengxun": ["placements_hostunit_name_initials_trgm", "placements_hostunit_name_pinyin_trgm"],
}  # fmt: skip


@postgresql_only
@pytest.mark.parametrize("word", PINYIN_INDEXES)
def test_the_pinyin_search_uses_the_trigram_indexes(sz3, word):
    PlacementFactory.create_batch(3, batch=sz3)
    found = plan(search_placements(Placement.objects.all(), word))
    assert [index for index in PINYIN_INDEXES[word] if index not in found] == []
    # The name as written, as before: by its trigrams, or by its characters below three letters.
    assert ("cohorts_cadre_name_trgm" if len(word) >= 3 else "cohorts_cadre_name_chars") in found


def test_a_word_that_is_no_part_of_an_id_number_does_not_read_the_id_numbers(sz3):
    PlacementFactory.create_batch(3, batch=sz3)
    assert "id_number" not in str(
        search_placements(Placement.objects.all(), "王浩", id_numbers=True).query
    )
    assert "id_number" in str(
        search_placements(Placement.objects.all(), "0312", id_numbers=True).query
    )
    assert "id_number" in str(
        search_placements(Placement.objects.all(), "12x", id_numbers=True).query
    )


def test_the_search_still_finds_each_kind_of_match(sz3):
    by_name = PlacementFactory(batch=sz3, cadre=CadreFactory(name="欧阳建国"))
    by_home = PlacementFactory(batch=sz3, home_unit="即墨区建国街道")
    PlacementFactory(batch=sz3, home_unit="市商务局")
    found = set(search_placements(Placement.objects.all(), "建国"))
    assert found == {by_name, by_home}


def test_bulk_insert_gives_keys_and_keeps_awkward_text(sz3):
    names = ["王\t伟", "李\n娜", "张\\N", "赵\r敏"]
    cadres = [Cadre(name=name, name_sort=name) for name in names]
    bulk_insert(Cadre, cadres)
    assert all(c.pk for c in cadres)
    assert [Cadre.objects.get(pk=c.pk).name for c in cadres] == names


def test_bulk_insert_links_to_objects_inserted_before(sz3, admin_user):
    cadre = Cadre(name="王伟", name_sort="wang2 wei3 王伟", birth_date=datetime.date(1980, 1, 2))
    bulk_insert(Cadre, [cadre])
    placement = Placement(cadre=cadre, batch=sz3, home_unit="市商务局")
    bulk_insert(Placement, [placement])
    record = RosterImport.objects.create(user=admin_user, file_name="x.csv")
    change = RosterImportChange(
        roster_import=record, placement=placement, row=2, action="new",
        fields={"name": [None, "王伟"], "birth_date": [None, "1980-01-02"]},
    )  # fmt: skip
    bulk_insert(RosterImportChange, [change])
    stored = RosterImportChange.objects.get(pk=change.pk)
    assert stored.placement.cadre.birth_date == datetime.date(1980, 1, 2)
    assert stored.fields["name"] == [None, "王伟"]
    assert Placement.objects.get(pk=placement.pk).created_at is not None


def test_the_csv_export_streams(staff_client, sz3):
    PlacementFactory.create_batch(3, batch=sz3)
    response = staff_client.get(reverse("placement-export"), {"batch": "SZ-3", "format": "csv"})
    assert response.streaming
    assert len(body(response).decode("utf-8-sig").strip().splitlines()) == 4


def test_batches_are_counted_per_row_shown(sz3, shanghai):
    other = BatchFactory(programme=shanghai, number=7)
    PlacementFactory.create_batch(3, batch=sz3)
    PlacementFactory(batch=other)
    counted = {b.code: b.headcount for b in type(sz3).objects.with_counts()}
    assert counted == {"SZ-3": 3, "SH-7": 1}


def test_staff_dashboard_figures_are_counted_once_then_kept(staff_client, sz3):
    PlacementFactory.create_batch(2, batch=sz3)
    with CaptureQueriesContext(connection) as first:
        staff_client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as again:
        staff_client.get(reverse("dashboard"))
    assert len(again) < len(first)


def test_a_change_is_counted_on_the_next_view(staff_client, sz3):
    PlacementFactory.create_batch(2, batch=sz3)
    staff_client.get(reverse("dashboard"))
    PlacementFactory(batch=sz3)
    figures = staff_client.get(reverse("dashboard")).context["dashboard"]
    assert [p.cadres for p in figures.programmes] == [3]

"""The list filters (dashboard/filters.py): each filter, combinations, sorting, scope."""

import datetime

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from dashboard.filters import CadreFilter, PlacementFilter
from placements.models import HostUnit

from ..factories import (
    BatchFactory,
    CadreFactory,
    HostUnitFactory,
    PlacementFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def matching(user, filterset_class=PlacementFilter, **params):
    data = QueryDict(mutable=True)
    data.update(params)
    return list(filterset_class(data, request=request_of(user)).qs)


@pytest.fixture
def sh5(shanghai):
    return BatchFactory(programme=shanghai, number=5, start_date=datetime.date(2021, 10, 17))


@pytest.fixture
def lead(django_user_model, sz3):
    user = django_user_model.objects.create_user("lead-sz3", password="x")
    sz3.leads.add(user)
    return user


def born(year, male=True, serial=1):
    return CadreFactory(id_number=make_id_number(datetime.date(year, 6, 1), male, serial=serial))


# --- Each filter ---------------------------------------------------------------------------


def test_no_filter_matches_every_placement_by_programme_and_batch(admin_user, sz3, sh5):
    in_sz3, in_sh5 = PlacementFactory(batch=sz3), PlacementFactory(batch=sh5)
    assert matching(admin_user) == [in_sh5, in_sz3]


def test_programme(admin_user, sz3, sh5):
    mine = PlacementFactory(batch=sh5)
    PlacementFactory(batch=sz3)
    assert matching(admin_user, programme="SH") == [mine]


def test_batch_by_code(admin_user, sz3, sh5):
    mine = PlacementFactory(batch=sz3)
    PlacementFactory(batch=sh5)
    assert matching(admin_user, batch="SZ-3") == [mine]


def test_group(admin_user, sz3):
    mine = PlacementFactory(batch=sz3, group="即墨区小组")
    PlacementFactory(batch=sz3, group="第一组")
    assert matching(admin_user, group="即墨区小组") == [mine]


@pytest.mark.parametrize(
    "start, status",
    [
        (datetime.date(2020, 4, 15), "completed"),
        (datetime.date.today() - datetime.timedelta(days=10), "in_progress"),
        (datetime.date.today() + datetime.timedelta(days=10), "planned"),
        (None, "unscheduled"),
    ],
)
def test_term_status(admin_user, start, status):
    mine = PlacementFactory(batch=BatchFactory(start_date=start))
    assert matching(admin_user, term=status) == [mine]
    other = "planned" if status != "planned" else "completed"
    assert matching(admin_user, term=other) == []


def test_term_status_follows_a_placements_own_dates(admin_user):
    batch = BatchFactory(start_date=datetime.date.today() - datetime.timedelta(days=50))
    left_early = PlacementFactory(batch=batch, end_date=batch.start_date + datetime.timedelta(9))
    staying = PlacementFactory(batch=batch)
    assert matching(admin_user, term="completed") == [left_early]
    assert matching(admin_user, term="in_progress") == [staying]


def test_host_unit(admin_user, sz3):
    mine = PlacementFactory(batch=sz3)
    PlacementFactory(batch=sz3)
    assert matching(admin_user, host_unit=str(mine.host_unit_id)) == [mine]


def test_host_unit_kind(admin_user, sz3):
    mine = PlacementFactory(batch=sz3, host_unit=HostUnitFactory(kind=HostUnit.Kind.INVESTMENT))
    PlacementFactory(batch=sz3, host_unit=HostUnitFactory(kind=HostUnit.Kind.PRIVATE))
    assert matching(admin_user, host_unit_kind="investment") == [mine]


def test_rank_tier_includes_every_rank_of_the_tier(admin_user, sz3):
    chief = PlacementFactory(batch=sz3, rank="division_chief")
    deputy = PlacementFactory(batch=sz3, rank="division_deputy")
    PlacementFactory(batch=sz3, rank="section_chief")
    assert set(matching(admin_user, rank_tier="division")) == {chief, deputy}


def test_rank(admin_user, sz3):
    chief = PlacementFactory(batch=sz3, rank="division_chief")
    PlacementFactory(batch=sz3, rank="division_deputy")
    assert matching(admin_user, rank="division_chief") == [chief]


def test_category(admin_user, sz3):
    mine = PlacementFactory(batch=sz3, category="town")
    PlacementFactory(batch=sz3, category="district")
    assert matching(admin_user, category="town") == [mine]


def test_district(admin_user, sz3):
    mine = PlacementFactory(batch=sz3, district="即墨区")
    PlacementFactory(batch=sz3, district="胶州市")
    assert matching(admin_user, district="即墨区") == [mine]


def test_generation(admin_user, sz3):
    eighties = PlacementFactory(batch=sz3, cadre=born(1989))
    PlacementFactory(batch=sz3, cadre=born(1990, serial=2))
    assert matching(admin_user, generation="80后") == [eighties]


def test_gender(admin_user, sz3):
    woman = PlacementFactory(batch=sz3, cadre=born(1985, male=False))
    PlacementFactory(batch=sz3, cadre=born(1985, serial=2))
    assert matching(admin_user, gender="F") == [woman]


def test_political_status(admin_user, sz3):
    member = PlacementFactory(batch=sz3, cadre=CadreFactory(political_status="中共党员"))
    PlacementFactory(batch=sz3, cadre=CadreFactory(political_status="群众"))
    assert matching(admin_user, political_status="中共党员") == [member]


def test_placement_status(admin_user, sz3):
    on_site = PlacementFactory(batch=sz3, status="on_site")
    PlacementFactory(batch=sz3, status="pending")
    assert matching(admin_user, status="on_site") == [on_site]


# --- Search --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["姜睿", "办公厅", "诚唐"])
def test_search_finds_name_home_unit_and_host_unit(admin_user, sz3, text):
    unit = HostUnitFactory(name="诚唐文化集团")
    mine = PlacementFactory(batch=sz3, cadre=CadreFactory(name="姜睿"), host_unit=unit)
    PlacementFactory(batch=sz3, home_unit="市财政局")
    assert matching(admin_user, q=text) == [mine]


def test_search_needs_every_word(admin_user, sz3):
    mine = PlacementFactory(batch=sz3, cadre=CadreFactory(name="姜睿"), home_unit="市委办公厅")
    PlacementFactory(batch=sz3, cadre=CadreFactory(name="姜涛"), home_unit="市财政局")
    assert matching(admin_user, q="姜 办公厅") == [mine]


# --- Combinations --------------------------------------------------------------------------


def test_filters_combine(admin_user, sz3, sh5):
    """ "处级 cadres from 即墨区 at investment firms in batch 3"."""
    investment = HostUnitFactory(kind=HostUnit.Kind.INVESTMENT)
    mine = PlacementFactory(batch=sz3, district="即墨区", host_unit=investment)
    PlacementFactory(batch=sz3, district="即墨区", host_unit=investment, rank="section_chief")
    PlacementFactory(batch=sz3, district="胶州市", host_unit=investment)
    PlacementFactory(batch=sz3, district="即墨区")
    PlacementFactory(batch=sh5, district="即墨区", host_unit=investment)
    found = matching(
        admin_user,
        batch="SZ-3",
        rank_tier="division",
        district="即墨区",
        host_unit_kind="investment",
    )
    assert found == [mine]


def test_generation_and_programme_combine(admin_user, sz3, sh5):
    mine = PlacementFactory(batch=sh5, cadre=born(1985))
    PlacementFactory(batch=sz3, cadre=born(1986, serial=2))
    PlacementFactory(batch=sh5, cadre=born(1975, serial=3))
    assert matching(admin_user, generation="80后", programme="SH") == [mine]


def test_a_value_that_is_not_a_choice_is_reported_and_matches_nothing(admin_user, sz3):
    PlacementFactory(batch=sz3)
    filterset = PlacementFilter(QueryDict("batch=XX-9"), request=request_of(admin_user))
    assert "batch" in filterset.errors
    assert len(filterset.qs) == 0  # never the whole programme under a filter that was dropped


def test_an_unknown_sort_falls_back_to_the_default(admin_user, sz3):
    PlacementFactory(batch=sz3)
    filterset = PlacementFilter(QueryDict("o=nonsense"), request=request_of(admin_user))
    assert len(filterset.qs) == 1


def test_a_long_search_uses_its_first_words(admin_user, sz3):
    placement = PlacementFactory(batch=sz3)
    words = " ".join([placement.cadre.name] + ["x"] * 2000)
    filterset = PlacementFilter(QueryDict(f"q={words}"), request=request_of(admin_user))
    assert len(filterset.qs) == 0  # the first ten words: the name and nine x's, no match, no 500


def test_rank_sort_keeps_a_tier_only_rank_with_its_tier(admin_user, sz3):
    PlacementFactory(batch=sz3, rank="", rank_tier="division")
    PlacementFactory(batch=sz3, rank="other")
    PlacementFactory(batch=sz3, rank="bureau_chief")
    filterset = PlacementFilter(QueryDict("o=rank"), request=request_of(admin_user))
    assert [p.rank_tier for p in filterset.qs] == ["bureau", "division", "none"]


def test_status_sorts_in_the_order_of_a_term(admin_user, sz3):
    for status in ("completed", "pending", "on_site"):
        PlacementFactory(batch=sz3, status=status)
    filterset = PlacementFilter(QueryDict("o=status"), request=request_of(admin_user))
    assert [p.status for p in filterset.qs] == ["pending", "on_site", "completed"]


def test_group_choices_by_number_then_pinyin(admin_user, sz3):
    for group in ("第二组", "即墨区小组", "城阳区小组"):
        PlacementFactory(batch=sz3, group=group)
    filterset = PlacementFilter(QueryDict(""), request=request_of(admin_user))
    assert [g for g, _label in filterset.filters["group"].extra["choices"]] == [
        "第二组", "城阳区小组", "即墨区小组"
    ]  # fmt: skip


# --- Sorting -------------------------------------------------------------------------------


def test_names_sort_by_pinyin(admin_user, sz3):
    for name in ["周杰", "安宁", "王伟"]:
        PlacementFactory(batch=sz3, cadre=CadreFactory(name=name))
    assert [p.cadre.name for p in matching(admin_user, o="name")] == ["安宁", "王伟", "周杰"]
    assert [p.cadre.name for p in matching(admin_user, o="-name")] == ["周杰", "王伟", "安宁"]


def test_rank_sorts_senior_first(admin_user, sz3):
    for rank in ["staff", "bureau_deputy", "division_chief"]:
        PlacementFactory(batch=sz3, rank=rank)
    ranks = [p.rank for p in matching(admin_user, o="rank")]
    assert ranks == ["bureau_deputy", "division_chief", "staff"]


def test_an_unknown_sort_is_left_out(admin_user, sz3):
    PlacementFactory(batch=sz3)
    assert len(matching(admin_user, o="id_number")) == 1


# --- Scope ---------------------------------------------------------------------------------


def test_a_lead_matches_only_their_batches(lead, sz3, sh5):
    mine = PlacementFactory(batch=sz3)
    PlacementFactory(batch=sh5)
    assert matching(lead) == [mine]


def test_a_lead_is_offered_only_their_batches_and_host_units(lead, sz3, sh5):
    mine = PlacementFactory(batch=sz3, district="即墨区")
    PlacementFactory(batch=sh5, district="胶州市")
    form = PlacementFilter(QueryDict(), request=request_of(lead)).form
    assert [code for code, _ in form.fields["batch"].choices if code] == ["SZ-3"]
    assert [pk for pk, _ in form.fields["host_unit"].choices if pk] == [str(mine.host_unit_id)]
    assert [d for d, _ in form.fields["district"].choices if d] == ["即墨区"]


def test_a_lead_cannot_filter_to_another_batch(lead, sz3, sh5):
    PlacementFactory(batch=sh5)
    assert matching(lead, batch="SH-5") == []


# --- /cadres/: one and the same placement -------------------------------------------------


def test_cadre_filters_match_within_one_placement(admin_user, sz3, sh5):
    cadre = CadreFactory()
    PlacementFactory(cadre=cadre, batch=sz3, rank="section_chief", district="即墨区")
    PlacementFactory(cadre=cadre, batch=sh5, rank="division_chief", district="胶州市")
    assert matching(admin_user, CadreFilter, batch="SZ-3", rank_tier="division") == []
    assert matching(admin_user, CadreFilter, district="即墨区", rank_tier="division") == []
    assert matching(admin_user, CadreFilter, batch="SH-5", rank_tier="division") == [cadre]


def test_cadre_with_two_matching_placements_is_listed_once(admin_user, sz3, sh5):
    cadre = CadreFactory()
    PlacementFactory(cadre=cadre, batch=sz3)
    PlacementFactory(cadre=cadre, batch=sh5)
    assert matching(admin_user, CadreFilter, rank_tier="division") == [cadre]


def test_cadre_search_and_person_filters(admin_user, sz3):
    woman = born(1985, male=False)
    PlacementFactory(cadre=woman, batch=sz3)
    PlacementFactory(cadre=born(1985, serial=2), batch=sz3)
    assert matching(admin_user, CadreFilter, gender="F") == [woman]
    assert matching(admin_user, CadreFilter, q=woman.name) == [woman]


def test_a_person_filter_lists_only_cadres_with_a_placement_in_view(lead, sz3, sh5):
    mine, other = born(1985, male=False), born(1985, male=False, serial=2)
    PlacementFactory(cadre=mine, batch=sz3)
    PlacementFactory(cadre=other, batch=sh5)
    born(1985, male=False, serial=3)  # no placement at all
    assert matching(lead, CadreFilter, gender="F", generation="80后") == [mine]


def test_person_and_placement_filters_combine_on_cadres(admin_user, sz3, sh5):
    woman, man = born(1985, male=False), born(1985, serial=2)
    PlacementFactory(cadre=woman, batch=sz3)
    PlacementFactory(cadre=man, batch=sz3)
    PlacementFactory(cadre=born(1975, male=False, serial=3), batch=sz3)
    PlacementFactory(cadre=born(1985, male=False, serial=4), batch=sh5)
    assert matching(admin_user, CadreFilter, batch="SZ-3", gender="F", generation="80后") == [woman]


def test_cadres_sort_by_pinyin(admin_user, sz3):
    for name in ["周杰", "安宁", "王伟"]:
        PlacementFactory(batch=sz3, cadre=CadreFactory(name=name))
    assert [c.name for c in matching(admin_user, CadreFilter)] == ["安宁", "王伟", "周杰"]


def test_a_lead_sees_only_cadres_of_their_batches(lead, sz3, sh5):
    mine = PlacementFactory(batch=sz3).cadre
    PlacementFactory(batch=sh5)
    assert matching(lead, CadreFilter) == [mine]


# Choices at archive scale (issue 6): never every host unit of the archive in one list


def choices(user, name, **params):
    data = QueryDict(mutable=True)
    data.update(params)
    form = PlacementFilter(data, request=request_of(user)).form
    return [value for value, _label in form.fields[name].choices if value]


def test_staff_are_offered_host_units_once_a_batch_is_chosen(admin_user, sz3, sh5):
    here, there = PlacementFactory(batch=sz3), PlacementFactory(batch=sh5)
    assert choices(admin_user, "host_unit") == []
    assert choices(admin_user, "host_unit", batch="SZ-3") == [str(here.host_unit_id)]
    assert choices(admin_user, "host_unit", programme="SH") == [str(there.host_unit_id)]


def test_the_host_unit_a_link_asks_for_is_offered_without_a_batch(admin_user, sz3):
    mine = PlacementFactory(batch=sz3)
    PlacementFactory(batch=sz3)
    wanted = str(mine.host_unit_id)
    assert choices(admin_user, "host_unit", host_unit=wanted) == [wanted]
    assert matching(admin_user, host_unit=wanted) == [mine]


def test_a_lead_is_offered_the_host_units_of_their_batch(lead, sz3, sh5):
    mine = PlacementFactory(batch=sz3)
    PlacementFactory(batch=sh5)
    assert choices(lead, "host_unit") == [str(mine.host_unit_id)]


def test_staff_facets_cover_the_whole_archive(admin_user, sz3, sh5):
    PlacementFactory(batch=sz3, district="即墨区", group="第一组")
    PlacementFactory(batch=sh5, district="市南区", group="")
    assert choices(admin_user, "district") == ["市南区", "即墨区"]  # the city's order
    assert choices(admin_user, "group") == ["第一组"]


def test_batches_offered_are_the_programmes_or_the_latest(
    admin_user, shenzhen, sz3, sh5, monkeypatch
):
    import dashboard.filters

    monkeypatch.setattr(dashboard.filters, "OFFERED_BATCHES", 1)
    old = BatchFactory(programme=shenzhen, number=1, start_date=datetime.date(2019, 4, 1))
    assert choices(admin_user, "batch") == [sh5.code]  # the latest start
    assert choices(admin_user, "batch", programme="SZ") == [old.code, sz3.code]
    assert choices(admin_user, "batch", batch=old.code) == [sh5.code, old.code]
    placed = PlacementFactory(batch=old)
    assert matching(admin_user, batch=old.code) == [placed]  # asked for: still a valid choice


def test_choices_are_escaped_and_the_chosen_one_selected(admin_user, sz3):
    unit = HostUnitFactory(name='A&B <"实训">')
    PlacementFactory(batch=sz3, host_unit=unit)
    data = QueryDict(mutable=True)
    data.update({"batch": "SZ-3", "host_unit": str(unit.pk)})
    html = str(PlacementFilter(data, request=request_of(admin_user)).form["host_unit"])
    assert f'<option value="{unit.pk}" selected>A&amp;B &lt;&quot;实训&quot;&gt;</option>' in html

"""Search by pinyin (issue 15) in every search box: tengxun or tx finds 腾讯, wh finds 王浩, in the
lists, the admin's searches (and its autocomplete) and the lead's host-unit search; Chinese
still finds them as before. The pinyin itself is tested in tests/cohorts/test_pinyin.py."""

import pytest
from django.urls import reverse

from placements.models import Placement
from placements.search import search_placements

from ..factories import CadreFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placements(sz3):
    """王浩 at 腾讯 and, as the ones not to find, 王伟 (ww) at 平安证券 (pazq)."""
    return {
        "王浩": PlacementFactory(batch=sz3, cadre=CadreFactory(name="王浩"),
                               host_unit=HostUnitFactory(name="深圳市腾讯计算机系统有限公司")),
        "王伟": PlacementFactory(batch=sz3, cadre=CadreFactory(name="王伟"),
                               host_unit=HostUnitFactory(name="平安证券")),
    }  # fmt: skip


# (typed, the cadre whose placement it finds): by the cadre's name or by the host unit's.
FOUND = [
    ("wh", "王浩"),  # initials of the name
    ("wanghao", "王浩"),  # full pinyin
    ("wangh", "王浩"),  # a prefix of it
    ("WangHao", "王浩"),  # in capitals
    ("hao", "王浩"),  # the given name
    ("tengxun", "王浩"),  # 腾讯, inside the host unit's name
    ("tx", "王浩"),  # its initials
    ("王浩", "王浩"),  # Chinese, as before
    ("腾讯", "王浩"),
    ("ww", "王伟"),
    ("pingan", "王伟"),
]


def names(placements) -> set[str]:
    return {p.cadre.name for p in placements}


@pytest.mark.parametrize(("typed", "cadre"), FOUND)
def test_the_placement_list_finds_by_pinyin(staff_client, placements, typed, cadre):
    response = staff_client.get("/placements/", {"q": typed})
    assert names(response.context["page_obj"]) == {cadre}


@pytest.mark.parametrize(("typed", "cadre"), FOUND)
def test_the_cadre_list_finds_by_pinyin(staff_client, placements, typed, cadre):
    response = staff_client.get("/cadres/", {"q": typed})
    assert {c.name for c in response.context["page_obj"]} == {cadre}


@pytest.mark.parametrize(("typed", "cadre"), FOUND)
def test_the_admin_placement_search_finds_by_pinyin(staff_client, placements, typed, cadre):
    url = reverse("admin:placements_placement_changelist")
    response = staff_client.get(url, {"q": typed})
    assert names(response.context["cl"].result_list) == {cadre}


@pytest.mark.parametrize("typed", ["wh", "wanghao", "王浩"])
def test_the_admin_cadre_search_finds_by_pinyin(staff_client, placements, typed):
    response = staff_client.get(reverse("admin:cohorts_cadre_changelist"), {"q": typed})
    assert [c.name for c in response.context["cl"].result_list] == ["王浩"]


HOST_UNIT_FOUND = ["tengxun", "tx", "TX", "腾讯"]


@pytest.mark.parametrize("typed", HOST_UNIT_FOUND)
def test_the_host_unit_list_finds_by_pinyin(staff_client, placements, typed):
    response = staff_client.get("/host-units/", {"q": typed})
    assert [u.name for u in response.context["page_obj"]] == ["深圳市腾讯计算机系统有限公司"]


@pytest.mark.parametrize("typed", HOST_UNIT_FOUND)
def test_the_admin_host_unit_search_finds_by_pinyin(staff_client, placements, typed):
    response = staff_client.get(reverse("admin:placements_hostunit_changelist"), {"q": typed})
    assert [u.name for u in response.context["cl"].result_list] == ["深圳市腾讯计算机系统有限公司"]


def test_the_admin_host_unit_search_still_finds_by_industry(staff_client):
    HostUnitFactory(name="平安证券", industry="金融")
    response = staff_client.get(reverse("admin:placements_hostunit_changelist"), {"q": "金融"})
    assert [u.name for u in response.context["cl"].result_list] == ["平安证券"]


@pytest.mark.parametrize("typed", HOST_UNIT_FOUND)
def test_the_admin_host_unit_autocomplete_finds_by_pinyin(staff_client, placements, typed):
    query = {"app_label": "placements", "model_name": "placement", "field_name": "host_unit"}
    response = staff_client.get(reverse("admin:autocomplete"), {**query, "term": typed})
    assert [u["text"] for u in response.json()["results"]] == ["深圳市腾讯计算机系统有限公司"]


@pytest.mark.parametrize("typed", [*HOST_UNIT_FOUND, "teng xun"])
def test_the_leads_host_unit_search_finds_by_pinyin(staff_client, placements, typed):
    data = staff_client.get(reverse("lead-host-units"), {"q": typed}).json()
    assert [u["name"] for u in data["results"]] == ["深圳市腾讯计算机系统有限公司"]


def test_two_letters_inside_a_cadres_pinyin_are_no_match(placements):
    # ha is inside wanghao, but a contained word of two letters would read every name.
    assert names(search_placements(Placement.objects.all(), "ha")) == set()


def test_a_word_with_digits_is_not_pinyin(sz3):
    PlacementFactory(batch=sz3, cadre=CadreFactory(name="王浩"), host_unit=None, home_unit="")
    assert names(search_placements(Placement.objects.all(), "wh1")) == set()


def test_each_word_must_match(placements):
    assert names(search_placements(Placement.objects.all(), "wang tx")) == {"王浩"}


def test_one_letter_finds_a_host_unit_only_by_its_first(placements):
    # x is inside 深圳市腾讯… (shenzhenshi…, szstx…); p starts 平安证券.
    found = (names(search_placements(Placement.objects.all(), w)) for w in ("x", "p"))
    assert list(found) == [set(), {"王伟"}]

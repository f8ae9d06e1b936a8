"""placements/search.py's search_placements_by_keys: the same placements as search_placements,
each word's keys read first, all words in one query."""

import pytest

import placements.search
from placements.models import Placement
from placements.search import search_placements, search_placements_by_keys

from ..factories import CadreFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(sz3):
    PlacementFactory(
        batch=sz3,
        cadre=CadreFactory(name="王浩"),
        home_unit="即墨区建国街道",
        host_unit=HostUnitFactory(name="深圳市腾讯计算机系统有限公司"),
    )
    PlacementFactory(
        batch=sz3,
        cadre=CadreFactory(name="王伟"),
        home_unit="市商务局",
        host_unit=HostUnitFactory(name="平安证券"),
    )
    PlacementFactory(batch=sz3, cadre=CadreFactory(name="欧阳建国"), home_unit="市南区",
                     host_unit=HostUnitFactory(name="平安银行"))  # fmt: skip

    def found(text):
        return set(search_placements_by_keys(Placement.objects.all(), text))

    return found


@pytest.mark.parametrize(
    "text",
    ["王", "建国", "腾讯", "tx", "wh", "wang", "pingan", "wang pingan", "商务 王伟", "无此人", ""],
)
def test_it_finds_what_search_placements_finds(found, text):
    assert found(text) == set(search_placements(Placement.objects.all(), text))


def test_a_word_with_more_keys_than_listed_keeps_its_subquery(found, monkeypatch):
    monkeypatch.setattr(placements.search, "MAX_KEYS", 1)
    assert {p.cadre.name for p in found("wang")} == {"王浩", "王伟"}  # two cadres
    assert {p.cadre.name for p in found("pingan")} == {"王伟", "欧阳建国"}  # two units
    assert {p.cadre.name for p in found("市")} == {"王浩", "王伟", "欧阳建国"}  # homes and units


def test_the_keys_of_every_word_are_one_query(found, django_assert_num_queries):
    # 1 the cadres, home units and host units each word matches
    with django_assert_num_queries(1):
        search_placements_by_keys(Placement.objects.all(), "王 建国 tx")
    with django_assert_num_queries(0):
        search_placements_by_keys(Placement.objects.all(), "  ")

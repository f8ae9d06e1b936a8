"""Ranks (职级) as rosters spell them, and the tiers reports group them by."""

import pytest
from django.db import IntegrityError

from placements import ranks
from placements.models import Placement
from placements.ranks import Rank, Tier

from ..factories import PlacementFactory
from ..helpers import validation_errors

# DOMAIN.md's rank table, row by row.
SPELLINGS = [
    ("正局级", Rank.BUREAU_CHIEF, Tier.BUREAU),
    ("正局", Rank.BUREAU_CHIEF, Tier.BUREAU),
    ("正厅", Rank.BUREAU_CHIEF, Tier.BUREAU),
    ("厅局级正职", Rank.BUREAU_CHIEF, Tier.BUREAU),
    ("一级巡视员", Rank.BUREAU_CHIEF, Tier.BUREAU),
    ("副局级", Rank.BUREAU_DEPUTY, Tier.BUREAU),
    ("副局", Rank.BUREAU_DEPUTY, Tier.BUREAU),
    ("副厅", Rank.BUREAU_DEPUTY, Tier.BUREAU),
    ("厅局级副职", Rank.BUREAU_DEPUTY, Tier.BUREAU),
    ("二级巡视员", Rank.BUREAU_DEPUTY, Tier.BUREAU),
    ("正处级", Rank.DIVISION_CHIEF, Tier.DIVISION),
    ("正处", Rank.DIVISION_CHIEF, Tier.DIVISION),
    ("正县", Rank.DIVISION_CHIEF, Tier.DIVISION),
    ("县处级正职", Rank.DIVISION_CHIEF, Tier.DIVISION),
    ("一级调研员", Rank.DIVISION_CHIEF, Tier.DIVISION),
    ("二级调研员", Rank.DIVISION_CHIEF, Tier.DIVISION),
    ("副处级", Rank.DIVISION_DEPUTY, Tier.DIVISION),
    ("副处", Rank.DIVISION_DEPUTY, Tier.DIVISION),
    ("副县", Rank.DIVISION_DEPUTY, Tier.DIVISION),
    ("县处级副职", Rank.DIVISION_DEPUTY, Tier.DIVISION),
    ("三级调研员", Rank.DIVISION_DEPUTY, Tier.DIVISION),
    ("四级调研员", Rank.DIVISION_DEPUTY, Tier.DIVISION),
    ("正科级", Rank.SECTION_CHIEF, Tier.SECTION),
    ("正科", Rank.SECTION_CHIEF, Tier.SECTION),
    ("乡科级正职", Rank.SECTION_CHIEF, Tier.SECTION),
    ("一级主任科员", Rank.SECTION_CHIEF, Tier.SECTION),
    ("二级主任科员", Rank.SECTION_CHIEF, Tier.SECTION),
    ("副科级", Rank.SECTION_DEPUTY, Tier.SECTION),
    ("副科", Rank.SECTION_DEPUTY, Tier.SECTION),
    ("乡科级副职", Rank.SECTION_DEPUTY, Tier.SECTION),
    ("三级主任科员", Rank.SECTION_DEPUTY, Tier.SECTION),
    ("四级主任科员", Rank.SECTION_DEPUTY, Tier.SECTION),
    ("科员", Rank.STAFF, Tier.STAFF),
    ("一级科员", Rank.STAFF, Tier.STAFF),
    ("二级科员", Rank.STAFF, Tier.STAFF),
    ("办事员", Rank.STAFF, Tier.STAFF),
    ("其他", Rank.OTHER, Tier.NONE),
    ("企业人员", Rank.OTHER, Tier.NONE),
    ("无", Rank.OTHER, Tier.NONE),
    ("", Rank.OTHER, Tier.NONE),
]


@pytest.mark.parametrize("text, rank, tier", SPELLINGS)
def test_parse_every_spelling(text, rank, tier):
    assert ranks.parse(text) == (rank, tier)


# Issue 15: the titles before June 2019, levels in other orders, two in a cell, trailing marks.
MORE_SPELLINGS = [
    ("巡视员", Rank.BUREAU_CHIEF),
    ("副巡视员", Rank.BUREAU_DEPUTY),
    ("调研员", Rank.DIVISION_CHIEF),
    ("副调研员", Rank.DIVISION_DEPUTY),
    ("主任科员", Rank.SECTION_CHIEF),
    ("副主任科员", Rank.SECTION_DEPUTY),
    ("处级正职", Rank.DIVISION_CHIEF),
    ("处级副职", Rank.DIVISION_DEPUTY),
    ("科级正职", Rank.SECTION_CHIEF),
    ("科级副职", Rank.SECTION_DEPUTY),
    ("正县处级", Rank.DIVISION_CHIEF),
    ("正厅局级", Rank.BUREAU_CHIEF),
    ("正处级（一级调研员）", Rank.DIVISION_CHIEF),
    ("副处级/三级调研员", Rank.DIVISION_DEPUTY),
    ("副处级（一级调研员）", Rank.DIVISION_DEPUTY),
    ("三级调研员(副处级)", Rank.DIVISION_DEPUTY),
    ("正处级干部", Rank.DIVISION_CHIEF),
    ("正处级。", Rank.DIVISION_CHIEF),
    ("-", Rank.OTHER),
    ("/", Rank.OTHER),
    ("—", Rank.OTHER),
]


@pytest.mark.parametrize("text, rank", MORE_SPELLINGS)
def test_parse_old_titles_other_orders_and_pairs(text, rank):
    assert ranks.parse(text) == (rank, ranks.tier_of(rank))


@pytest.mark.parametrize("text", ["正处级/大官", "调研员调研员", "处级（科员）干部x"])
def test_a_pair_with_an_unknown_part_is_refused(text):
    with pytest.raises(ValueError):
        ranks.parse(text)


def test_parse_none_is_other():
    assert ranks.parse(None) == (Rank.OTHER, Tier.NONE)


@pytest.mark.parametrize(
    "text, tier",
    [
        ("局级", Tier.BUREAU),
        ("厅局级", Tier.BUREAU),
        ("处级", Tier.DIVISION),
        ("县处级", Tier.DIVISION),
        ("科级", Tier.SECTION),
        ("乡科级", Tier.SECTION),
    ],
)
def test_parse_tier_only(text, tier):
    assert ranks.parse(text) == ("", tier)


@pytest.mark.parametrize(
    "text, rank",
    [
        (" 正处 ", Rank.DIVISION_CHIEF),
        ("　副处级　", Rank.DIVISION_DEPUTY),  # full-width spaces
        ("正 科", Rank.SECTION_CHIEF),
        ("一级 调研员", Rank.DIVISION_CHIEF),
        ("　", Rank.OTHER),
    ],
)
def test_parse_ignores_spaces(text, rank):
    assert ranks.parse(text)[0] == rank


def test_parse_tier_only_with_spaces():
    assert ranks.parse(" 县处级 ") == ("", Tier.DIVISION)


@pytest.mark.parametrize("text", ["处长", "正处长", "高级工程师", "副部级", "五级调研员"])
def test_unknown_value_raises(text):
    with pytest.raises(ValueError):
        ranks.parse(text)


@pytest.mark.parametrize("rank, tier", ranks.TIER_OF_RANK.items())
def test_tier_of(rank, tier):
    assert ranks.tier_of(rank.value) == tier


# --- On Placement ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_rank_sets_its_tier():
    placement = PlacementFactory(rank=Rank.SECTION_CHIEF, rank_tier=Tier.NONE)
    placement.refresh_from_db()
    assert placement.rank_tier == Tier.SECTION


@pytest.mark.django_db
def test_changing_the_rank_moves_the_tier():
    placement = PlacementFactory(rank=Rank.SECTION_CHIEF)
    placement.rank = Rank.BUREAU_DEPUTY
    placement.save()
    placement.refresh_from_db()
    assert placement.rank_tier == Tier.BUREAU


@pytest.mark.django_db
def test_tier_only_placement_keeps_its_tier():
    rank, tier = ranks.parse("县处级")
    placement = PlacementFactory(rank=rank, rank_tier=tier)
    placement.refresh_from_db()
    assert (placement.rank, placement.rank_tier) == ("", Tier.DIVISION)


@pytest.mark.django_db
def test_tier_only_placement_passes_full_clean():
    placement = PlacementFactory(rank="", rank_tier=Tier.SECTION)
    placement.full_clean()


@pytest.mark.django_db
def test_empty_rank_and_no_tier_is_other():
    placement = PlacementFactory(rank="", rank_tier=Tier.NONE)
    assert (placement.rank, placement.rank_tier) == (Rank.OTHER, Tier.NONE)


@pytest.mark.django_db
def test_empty_rank_with_staff_tier_is_staff():
    placement = PlacementFactory(rank="", rank_tier=Tier.STAFF)
    assert (placement.rank, placement.rank_tier) == (Rank.STAFF, Tier.STAFF)


@pytest.mark.django_db
def test_database_refuses_rank_with_another_tier():
    placement = PlacementFactory(rank=Rank.DIVISION_CHIEF)
    with pytest.raises(IntegrityError):
        Placement.objects.filter(pk=placement.pk).update(rank_tier=Tier.SECTION)


@pytest.mark.django_db
def test_database_refuses_empty_rank_without_a_tier():
    placement = PlacementFactory(rank=Rank.DIVISION_CHIEF)
    with pytest.raises(IntegrityError):
        Placement.objects.filter(pk=placement.pk).update(rank="", rank_tier=Tier.NONE)


@pytest.mark.django_db
def test_full_clean_refuses_an_unknown_rank():
    placement = PlacementFactory()
    placement.rank = "正处"
    errors = validation_errors(placement)
    assert "rank" in errors

"""Ranks (职级) and the tiers reports group them by: DOMAIN.md's rank table, in one place.

Rosters write a rank many ways (正处, 正县, 县处级正职, 一级调研员 …); `parse` reads them all.
A value that names only a tier (处级, 县处级) gives the tier and leaves the rank open.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.text import halfwidth


class Tier(models.TextChoices):
    BUREAU = "bureau", _("Bureau level")
    DIVISION = "division", _("Division level")
    SECTION = "section", _("Section level")
    STAFF = "staff", _("Staff member")
    NONE = "none", _("No rank")


class Rank(models.TextChoices):
    BUREAU_CHIEF = "bureau_chief", _("Bureau chief")
    BUREAU_DEPUTY = "bureau_deputy", _("Deputy bureau chief")
    DIVISION_CHIEF = "division_chief", _("Division chief")
    DIVISION_DEPUTY = "division_deputy", _("Deputy division chief")
    SECTION_CHIEF = "section_chief", _("Section chief")
    SECTION_DEPUTY = "section_deputy", _("Deputy section chief")
    STAFF = "staff", _("Staff member")
    OTHER = "other", _("Other")


# Rank.values builds a new list on every call; imports test each row against this set.
RANKS = frozenset(Rank.values)

TIER_OF_RANK = {
    Rank.BUREAU_CHIEF: Tier.BUREAU,
    Rank.BUREAU_DEPUTY: Tier.BUREAU,
    Rank.DIVISION_CHIEF: Tier.DIVISION,
    Rank.DIVISION_DEPUTY: Tier.DIVISION,
    Rank.SECTION_CHIEF: Tier.SECTION,
    Rank.SECTION_DEPUTY: Tier.SECTION,
    Rank.STAFF: Tier.STAFF,
    Rank.OTHER: Tier.NONE,
}

# Every spelling seen in rosters, including the 2019 职级 titles of the same level.
_RANK_SPELLINGS = {
    Rank.BUREAU_CHIEF: ["正局级", "正局", "正厅", "正厅级", "厅局级正职", "一级巡视员"],
    Rank.BUREAU_DEPUTY: ["副局级", "副局", "副厅", "副厅级", "厅局级副职", "二级巡视员"],
    Rank.DIVISION_CHIEF: [
        "正处级",
        "正处",
        "正县",
        "正县级",
        "县处级正职",
        "一级调研员",
        "二级调研员",
    ],
    Rank.DIVISION_DEPUTY: [
        "副处级",
        "副处",
        "副县",
        "副县级",
        "县处级副职",
        "三级调研员",
        "四级调研员",
    ],
    Rank.SECTION_CHIEF: ["正科级", "正科", "乡科级正职", "一级主任科员", "二级主任科员"],
    Rank.SECTION_DEPUTY: ["副科级", "副科", "乡科级副职", "三级主任科员", "四级主任科员"],
    Rank.STAFF: ["科员", "一级科员", "二级科员", "办事员"],
    Rank.OTHER: ["其他", "企业人员", "无", ""],
}
_TIER_SPELLINGS = {
    Tier.BUREAU: ["局级", "厅局级", "厅级"],
    Tier.DIVISION: ["处级", "县处级", "县级"],
    Tier.SECTION: ["科级", "乡科级"],
}

_RANKS = {spelling: rank for rank, spellings in _RANK_SPELLINGS.items() for spelling in spellings}
_TIERS = {spelling: tier for tier, spellings in _TIER_SPELLINGS.items() for spelling in spellings}


def parse(text: str) -> tuple[str, str]:
    """(rank, tier) for a roster's 职级 cell; rank is "" when the cell names only a tier.

    Raises ValueError for a value that is neither a rank nor a tier.
    """
    key = "".join(halfwidth(text or "").split())
    if key in _RANKS:
        rank = _RANKS[key]
        return rank, TIER_OF_RANK[rank]
    if key in _TIERS:
        return "", _TIERS[key]
    raise ValueError(text)


def tier_of(rank: str) -> str:
    return TIER_OF_RANK[Rank(rank)]


def consistency_q(rank_field: str = "rank", tier_field: str = "rank_tier") -> Q:
    """A check-constraint condition: a stated rank carries its own tier; an open rank any tier."""
    condition = Q(**{rank_field: "", f"{tier_field}__in": list(_TIER_SPELLINGS)})
    for rank, tier in TIER_OF_RANK.items():
        condition |= Q(**{rank_field: rank, tier_field: tier})
    return condition

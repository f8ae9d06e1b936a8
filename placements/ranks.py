"""Ranks (职级) and the tiers reports group them by: DOMAIN.md's rank table, in one place.

Rosters write a rank many ways (正处, 正县, 县处级正职, 一级调研员, and 调研员 before
June 2019 …); `parse` reads them all. A value that names only a tier (处级, 县处级) gives
the tier and leaves the rank open. A cell naming a position and a title (正处级（一级调研员）,
副处级/三级调研员) has the position's rank; a trailing 干部 or full stop changes nothing; `-`
and `/` mean no rank, as 无 does.
"""

import re

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
    Rank.BUREAU_CHIEF: ["一级巡视员", "巡视员"],
    Rank.BUREAU_DEPUTY: ["二级巡视员", "副巡视员"],
    Rank.DIVISION_CHIEF: ["一级调研员", "二级调研员", "调研员"],
    Rank.DIVISION_DEPUTY: ["三级调研员", "四级调研员", "副调研员"],
    Rank.SECTION_CHIEF: ["一级主任科员", "二级主任科员", "主任科员"],
    Rank.SECTION_DEPUTY: ["三级主任科员", "四级主任科员", "副主任科员"],
    Rank.STAFF: ["科员", "一级科员", "二级科员", "办事员"],
    Rank.OTHER: ["其他", "企业人员", "无", "", "-", "/"],
}
# Titles (the 2019 职级 and the non-leadership titles before it) rank below a position they share a
# cell with: 副处级（一级调研员） is 副处级.
_TITLES = {spelling for spellings in _RANK_SPELLINGS.values() for spelling in spellings}
# Positions: 正/副 and a level word, with or without 级; or the level word and
# 级正职, 级副职, 正职 or 副职.
_LEVEL_WORDS = {
    (Rank.BUREAU_CHIEF, Rank.BUREAU_DEPUTY): ["局", "厅", "厅局"],
    (Rank.DIVISION_CHIEF, Rank.DIVISION_DEPUTY): ["处", "县", "县处"],
    (Rank.SECTION_CHIEF, Rank.SECTION_DEPUTY): ["科", "乡科"],
}
for (_chief, _deputy), _words in _LEVEL_WORDS.items():
    for _word in _words:
        _RANK_SPELLINGS[_chief] += [f"正{_word}", f"正{_word}级", f"{_word}级正职", f"{_word}正职"]
        _RANK_SPELLINGS[_deputy] += [f"副{_word}", f"副{_word}级", f"{_word}级副职", f"{_word}副职"]
_TIER_SPELLINGS = {
    Tier.BUREAU: ["局级", "厅局级", "厅级"],
    Tier.DIVISION: ["处级", "县处级", "县级"],
    Tier.SECTION: ["科级", "乡科级"],
}

_RANKS = {spelling: rank for rank, spellings in _RANK_SPELLINGS.items() for spelling in spellings}
_TIERS = {spelling: tier for tier, spellings in _TIER_SPELLINGS.items() for spelling in spellings}


# Dashes typed for "none": -, en and em dashes, a horizontal bar, the minus sign.
_DASHES = re.compile(r"^[\-\u2010-\u2015\u2212]+$")
_TRAILING = re.compile(r"(干部|[。.,，;；!！])+$")
# What joins a position and a title in one cell: brackets, a slash, a comma, a 、.
_JOINERS = re.compile(r"[()\[\]【】/\\、,，;；]")


def parse(text: str) -> tuple[str, str]:
    """(rank, tier) for a roster's 职级 cell; rank is "" when the cell names only a tier.

    Raises ValueError for a value that is neither a rank nor a tier.
    """
    key = "".join(halfwidth(text or "").split())
    if key == "/" or _DASHES.fullmatch(key):
        return Rank.OTHER, TIER_OF_RANK[Rank.OTHER]
    key = _TRAILING.sub("", key)
    if key in _RANKS:
        return _ranked(key)
    if key in _TIERS:
        return "", _TIERS[key]
    parts = [part for part in _JOINERS.split(key) if part]
    if len(parts) >= 2 and all(part in _RANKS for part in parts):
        # A position and a title: the position's rank (the first one that is no title).
        return _ranked(next((part for part in parts if part not in _TITLES), parts[0]))
    raise ValueError(text)


def _ranked(spelling: str) -> tuple[str, str]:
    rank = _RANKS[spelling]
    return rank, TIER_OF_RANK[rank]


def tier_of(rank: str) -> str:
    return TIER_OF_RANK[Rank(rank)]


def consistency_q(rank_field: str = "rank", tier_field: str = "rank_tier") -> Q:
    """A check-constraint condition: a stated rank carries its own tier; an open rank any tier."""
    condition = Q(**{rank_field: "", f"{tier_field}__in": list(_TIER_SPELLINGS)})
    for rank, tier in TIER_OF_RANK.items():
        condition |= Q(**{rank_field: rank, tier_field: tier})
    return condition

"""The order of groups (小组) and districts wherever they are listed: filters, the lead's page,
the admin, exports and charts. One place, so that every list agrees.

- Groups by their number, Chinese numerals or digits alike: 第一组 < 第二组 < … < 第十组 <
  第十一组 < 第二十组, 第3组 between 第二组 and 第四组. Groups without a number (即墨区小组)
  come after the numbered ones, by pinyin.
- Districts in the city's official order, settings.DISTRICTS (from the environment, Qingdao's
  by default), 市直 (city-level units) first as a bucket of its own; districts the setting does
  not name come last, by pinyin.

Lists sorted in the database use `ordered_by_key`: a CASE over the few distinct values present,
since neither order is the column's own.
"""

import re

from django.conf import settings
from django.db.models import Case, Value, When

from cohorts.text import halfwidth, pinyin_sort_key, whole_number

CITY_LEVEL = "市直"

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100}
_NUMBER = re.compile(r"[0-9]+|[零〇一二两三四五六七八九十百]+")


def chinese_number(text: str) -> int:
    """十一 → 11, 二十 → 20, 一百零五 → 105, 12 → 12."""
    if whole_number(text) is not None:
        return whole_number(text)
    total = current = 0
    for char in text:
        if char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def group_sort_key(group: str) -> tuple:
    """第十一组 → (0, 11, …): numbered groups by number, then the others by pinyin."""
    match = _NUMBER.search(halfwidth(group))
    if match is None:
        return (1, 0, pinyin_sort_key(group))
    return (0, chinese_number(match.group()), pinyin_sort_key(group))


def district_sort_key(district: str) -> tuple:
    """市直 first, then settings.DISTRICTS in order, then any other district by pinyin."""
    if district == CITY_LEVEL:
        return (0, 0, "")
    if district in settings.DISTRICTS:
        return (1, settings.DISTRICTS.index(district), "")
    return (2, 0, pinyin_sort_key(district))


def sorted_by_group(placements) -> list:
    """Placements by group number; the order they came in (by name) kept within a group."""
    return sorted(placements, key=lambda placement: group_sort_key(placement.group))


# The order of each column that has one of its own.
SORT_KEYS = {"group": group_sort_key, "district": district_sort_key}


def ordered_by_key(field: str, values, key) -> Case:
    """An ORDER BY expression putting `field`'s `values` in the order of `key`; other values
    (none, if `values` are those present) last."""
    ordered = sorted(set(values), key=key)
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(ordered)],
        default=Value(len(ordered)),
    )

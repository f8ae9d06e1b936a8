"""The search box of the lists and the admin: words in a cadre's name, a home unit or a host unit.

Each word is looked up table by table (cadres by name, host units by name, placements by home
unit) and the placements joined to the matches by key. Written as one OR over joined tables,
PostgreSQL would have to join every placement first; this way the trigram indexes of each table
answer (migrations cohorts 0004 and placements 0003 index exactly these UPPER(…) LIKE expressions).

A word of ASCII letters is pinyin too (cohorts/pinyin.py), matched against the stored pinyin
columns of cadres and host units with a plain LIKE, which their trigram indexes answer (cohorts
0007, placements 0006):
- a cadre when the initials start with it (wh → 王浩) or the full pinyin starts with it
  (wang, wanghao), or, from three letters on, contains it (hao); a shorter contained word gives
  a trigram index nothing to look up, and would read all 200,000 names;
- a host unit when either contains it (tx, tengxun, keji → 腾讯科技（深圳）有限公司): its name
  may begin with a place (深圳市腾讯…), and there are a few thousand host units, not 200,000;
  a single letter only when the name starts with it (x is inside most units' pinyin).
Home units are searched as written only (they have no pinyin column).
"""

from django.db.models import Q

from cohorts.models import Cadre
from cohorts.pinyin import is_pinyin

from .models import HostUnit, Placement

MAX_SEARCH_WORDS, MAX_WORD_LENGTH = 10, 50
# The shortest word looked for inside a cadre's full pinyin: a trigram index needs three letters.
MIN_CONTAINED = 3


def words(text: str) -> list[str]:
    return [word[:MAX_WORD_LENGTH] for word in text.split()[:MAX_SEARCH_WORDS]]


def cadre_name_matches(word: str) -> Q:
    """Cadres whose name contains `word`, or whose pinyin it may be (the module's rule)."""
    found = Q(name__icontains=word)
    if is_pinyin(word):
        word = word.lower()
        found |= Q(name_initials__startswith=word)
        if len(word) >= MIN_CONTAINED:
            found |= Q(name_pinyin__contains=word)
        else:
            found |= Q(name_pinyin__startswith=word)
    return found


def host_unit_name_matches(word: str) -> Q:
    """Host units whose name contains `word`, or whose pinyin contains it."""
    return Q(name__icontains=word) | host_unit_pinyin_matches(word)


def host_unit_pinyin_matches(word: str) -> Q:
    """Host units whose pinyin or initials contain `word`; none unless it may be pinyin."""
    if not is_pinyin(word):
        return Q(pk__in=[])
    word = word.lower()
    if len(word) == 1:  # inside, one letter would match nearly every unit
        return Q(name_initials__startswith=word)
    return Q(name_initials__contains=word) | Q(name_pinyin__contains=word)


def cadres_matching(word: str, *, id_numbers: bool = False):
    found = cadre_name_matches(word)
    if id_numbers:
        found |= Q(id_number__icontains=word)
    return Cadre.objects.filter(found).values("pk")


def placements_matching(word: str, *, id_numbers: bool = False) -> Q:
    """Placements of a cadre, at a home unit or at a host unit whose name contains `word`."""
    placements = Placement.objects.order_by()
    units = HostUnit.objects.filter(host_unit_name_matches(word)).values("pk")
    # One set of keys, each part found by its own index, then the placements by their keys.
    found = (
        placements.filter(cadre__in=cadres_matching(word, id_numbers=id_numbers))
        .values("pk")
        .union(
            placements.filter(home_unit__icontains=word).values("pk"),
            placements.filter(host_unit__in=units).values("pk"),
        )
    )
    return Q(pk__in=found)


def search_placements(placements, text: str, *, id_numbers: bool = False):
    for word in words(text):
        placements = placements.filter(placements_matching(word, id_numbers=id_numbers))
    return placements

"""The search box of the lists and the admin: words in a cadre's name, a home unit or a host unit.

Each word is looked up table by table (cadres by name, host units by name, placements by home
unit) and the placements joined to the matches by key. Written as one OR over joined tables,
PostgreSQL would have to join every placement first; this way the trigram indexes of each table
answer (migrations cohorts 0004 and placements 0003 index exactly these UPPER(…) LIKE expressions);
a word shorter than a trigram is looked up by the index of each column's characters
(cadreprog/textsearch.py; cohorts 0010, placements 0009).

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

`search_placements_by_keys` is the same search with each word's keys read first, all words in one
query: the placements are then filtered by lists of keys, which PostgreSQL looks up in the
placements' own indexes (cadre, host unit, id) or tests on each row of a walk in another order
(the lists' batches in order), instead of joining the matches back to every placement. A word
whose keys are more than MAX_KEYS (a letter matching a tenth of the names) keeps its subquery.
"""

import operator
from functools import reduce

from django.db import connections
from django.db.models import BooleanField, F, Func, Q

from cadreprog.textsearch import contains_text
from cohorts.models import Cadre
from cohorts.pinyin import is_pinyin

from .models import HostUnit, Placement

MAX_SEARCH_WORDS, MAX_WORD_LENGTH = 10, 50
# The shortest word looked for inside a cadre's full pinyin: a trigram index needs three letters.
MIN_CONTAINED = 3
# The most keys of one kind a word is filtered by as a list (the rest as a subquery).
MAX_KEYS = 5000


def words(text: str) -> list[str]:
    return [word[:MAX_WORD_LENGTH] for word in text.split()[:MAX_SEARCH_WORDS]]


def cadre_name_matches(word: str) -> Q:
    """Cadres whose name contains `word`, or whose pinyin it may be (the module's rule)."""
    found = contains_text("name", word)
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
    return contains_text("name", word) | host_unit_pinyin_matches(word)


def host_unit_pinyin_matches(word: str) -> Q:
    """Host units whose pinyin or initials contain `word`; none unless it may be pinyin."""
    if not is_pinyin(word):
        return Q(pk__in=[])
    word = word.lower()
    if len(word) == 1:  # inside, one letter would match nearly every unit
        return Q(name_initials__startswith=word)
    return Q(name_initials__contains=word) | Q(name_pinyin__contains=word)


def may_be_in_id_number(word: str) -> bool:
    """Whether `word` may be part of an ID number (digits, and X for the check character): a
    name never is, and an ID number's column is searched only for words that may be."""
    return word.upper().strip("0123456789X") == ""


def cadres_matching(word: str, *, id_numbers: bool = False):
    found = cadre_name_matches(word)
    if id_numbers and may_be_in_id_number(word):
        found |= contains_text("id_number", word)
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
            placements.filter(contains_text("home_unit", word)).values("pk"),
            placements.filter(host_unit__in=units).values("pk"),
        )
    )
    return Q(pk__in=found)


def search_placements(placements, text: str, *, id_numbers: bool = False):
    for word in words(text):
        placements = placements.filter(placements_matching(word, id_numbers=id_numbers))
    return placements


def search_placements_by_keys(placements, text: str, *, id_numbers: bool = False):
    """`search_placements`, with the keys of every word read first (one query, none without
    a word): the same placements, found from the placements' own indexes."""
    found = words(text)
    if not found:
        return placements
    # Other databases take each key as a parameter, SQLite at most 32,766 in a query.
    listed_up_to = MAX_KEYS
    if connections[placements.db].vendor != "postgresql":
        listed_up_to = min(MAX_KEYS, 300)
    keys = matching_keys(found, id_numbers=id_numbers, using=placements.db, most=listed_up_to)
    for i, word in enumerate(found):
        cadres, homes, units = (keys.get((i, kind), []) for kind in "chu")
        fallbacks = (
            Q(cadre__in=cadres_matching(word, id_numbers=id_numbers)),
            Q(pk__in=Placement.objects.filter(contains_text("home_unit", word)).values("pk")),
            Q(host_unit__in=HostUnit.objects.filter(host_unit_name_matches(word))),
        )
        # A kind of key the word matches none of is left out: a single list of host units can
        # then be counted from its index alone.
        arms = [
            Q(KeyIn(field, listed)) if len(listed) <= listed_up_to else fallback
            for field, listed, fallback in zip(
                ("cadre_id", "pk", "host_unit_id"), (cadres, homes, units), fallbacks, strict=True
            )
            if listed
        ]
        placements = placements.filter(reduce(operator.or_, arms) if arms else Q(pk__in=[]))
    return placements


class KeyIn(Func):
    """`field IN (keys)`, the keys as one array parameter on PostgreSQL (field = ANY(%s)):
    thousands of keys are then one value to compile and send, not a placeholder each."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, keys: list[int]):
        super().__init__(F(field))
        self.keys = list(keys)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"{sql} = ANY(%s::bigint[])", (*params, self.keys)
        if not self.keys:
            return "1 = 0", ()
        return f"{sql} IN ({', '.join(['%s'] * len(self.keys))})", (*params, *self.keys)


def matching_keys(
    found: list[str], *, id_numbers: bool, using: str, most: int = MAX_KEYS
) -> dict[tuple, list[int]]:
    """{(word's index, kind): keys} of the cadres ("c"), placements by home unit ("h") and host
    units ("u") each word matches, at most `most` + 1 of each, in one query."""
    parts, params = [], []
    for i, word in enumerate(found):
        for kind, matches in (
            ("c", cadres_matching(word, id_numbers=id_numbers)),
            ("h", Placement.objects.filter(contains_text("home_unit", word)).values("pk")),
            ("u", HostUnit.objects.filter(host_unit_name_matches(word)).values("pk")),
        ):
            sql, part_params = matches.order_by()[: most + 1].query.sql_with_params()
            parts.append(f"SELECT {i}, '{kind}', k.* FROM ({sql}) k")
            params += part_params
    keys = {}
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for i, kind, key in cursor.fetchall():
            keys.setdefault((i, kind), []).append(key)
    return keys

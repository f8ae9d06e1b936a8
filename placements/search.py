"""The search box of the lists and the admin: words in a cadre's name, a home unit or a host unit.

Each word is looked up table by table (cadres by name, host units by name, placements by home
unit) and the placements joined to the matches by key. Written as one OR over joined tables,
PostgreSQL would have to join every placement first; this way the trigram indexes of each table
answer (migrations cohorts 0004 and placements 0003 index exactly these UPPER(…) LIKE expressions).
"""

from django.db.models import Q

from cohorts.models import Cadre

from .models import HostUnit, Placement

MAX_SEARCH_WORDS, MAX_WORD_LENGTH = 10, 50


def words(text: str) -> list[str]:
    return [word[:MAX_WORD_LENGTH] for word in text.split()[:MAX_SEARCH_WORDS]]


def cadres_matching(word: str, *, id_numbers: bool = False):
    found = Q(name__icontains=word)
    if id_numbers:
        found |= Q(id_number__icontains=word)
    return Cadre.objects.filter(found).values("pk")


def placements_matching(word: str, *, id_numbers: bool = False) -> Q:
    """Placements of a cadre, at a home unit or at a host unit whose name contains `word`."""
    placements = Placement.objects.order_by()
    units = HostUnit.objects.filter(name__icontains=word).values("pk")
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

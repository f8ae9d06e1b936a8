"""What the lists' filters offer (dashboard/filters.py): the user's batches, the host units of the
placements in view, and the groups, districts and political statuses there are.

Staff's choices are the whole archive's, and reading them costs as much as the list itself:
2,000 batches on every view, a programme's thousands of host units. They are kept for
CACHE_SECONDS at the dashboard's version (dashboard/figures.py), which every change to what they
show raises (with a local-memory cache, another process's change shows within CACHE_SECONDS, as
the dashboard's figures do). A team lead's choices, a few rows, are read on each view.

Kept values are plain tuples, never labels in a language: those are made on each view.
"""

from datetime import date
from types import SimpleNamespace
from typing import NamedTuple

from django.core.cache import cache

from cohorts.models import Batch
from cohorts.text import pinyin_sort_key
from placements import facets
from placements.models import HostUnit

from .figures import CACHE_SECONDS, current_version


class BatchChoice(NamedTuple):
    """A batch as the filters need it: 2,000 of them on a staff member's every view, so a tuple
    from one query rather than model instances."""

    pk: int
    number: int
    start_date: date | None
    programme_code: str
    programme_name: str
    programme_city: str

    @property
    def code(self) -> str:
        return f"{self.programme_code}-{self.number}"

    def label(self) -> str:
        """The batch's name, by Batch.__str__ (深圳第3批) over a stand-in: a programme's batches
        are a hundred, and a model instance costs more than its name."""
        programme = SimpleNamespace(city=self.programme_city)
        return Batch.__str__(SimpleNamespace(number=self.number, programme=programme))


class Choices:
    """The choices of one view: kept ones for staff (`kept`), read ones for anyone else."""

    def __init__(self, user):
        self.user = user
        self.kept = user.has_perm("cohorts.view_all_batches")
        # Read once, before anything is read: a change made meanwhile raises it, so choices
        # that may have missed the change are kept under a version no view asks for again.
        self.version = current_version() if self.kept else None

    def _keep(self, name: str, read):
        if not self.kept:
            return read()
        key = f"lists:{name}:{self.version}"
        value = cache.get(key)
        if value is None:
            value = read()
            cache.set(key, value, CACHE_SECONDS)
        return value

    def batches(self) -> dict[str, BatchChoice]:
        """{code: batch} of the batches the user may see, in the order of the batch list."""
        fields = (*BatchChoice._fields[:3], "programme__code", "programme__name", "programme__city")
        rows = self._keep(
            "batches",
            lambda: list(
                Batch.objects.visible_to(self.user)
                .order_by("programme__code", "number")
                .values_list(*fields)
            ),
        )
        return {batch.code: batch for batch in map(BatchChoice._make, rows)}

    def facet_values(self, placements) -> dict[str, set[str]]:
        """{facet: its values}: the whole archive's for staff, else those of `placements`."""
        if self.kept:
            return self._keep("facets", facets.all_values)
        return facets.values_of(placements)

    def host_units(self, name: str, in_view) -> list[tuple[int, str]]:
        """(pk, name) of the host units of the placements `in_view` (named `name` when kept),
        by pinyin."""
        return self._keep(f"units:{name}", lambda: units_by_pinyin(pk__in=in_view))


def units_by_pinyin(**lookup) -> list[tuple[int, str]]:
    """(pk, name) of the host units `lookup` selects, by pinyin."""
    # Unordered in SQL: a programme's units are thousands, and Python orders them by pinyin.
    found = HostUnit.objects.filter(**lookup).order_by().values_list("pk", "name")
    return sorted(found, key=by_pinyin_of_name)


def by_pinyin_of_name(unit: tuple[int, str]) -> tuple:
    pk, name = unit
    return pinyin_sort_key(name), name, pk

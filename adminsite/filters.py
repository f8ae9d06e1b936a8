"""List filters over derived values (the term's status, the cadre's generation), over the
values of a column of an archive-sized table, and over batches (cohorts/admin_filters.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cohorts.admin_filters import LatestBatchesFilter  # noqa: F401 (the admins import it from here)
from cohorts.models import GENERATIONS, Batch, Programme, generation_range
from cohorts.terms import TermStatus
from cohorts.text import pinyin_sort_key
from placements.models import Placement
from placements.order import SORT_KEYS


class TermStatusFilter(admin.SimpleListFilter):
    """Planned / in progress / completed, computed in SQL from the start date and term length.

    Works on any queryset with a `with_term_status(status)` method (batches and placements).
    """

    title = _("term status")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return TermStatus.choices

    def queryset(self, request, queryset):
        if self.value() in TermStatus.values:
            return queryset.with_term_status(self.value())
        return queryset


class GenerationFilter(admin.SimpleListFilter):
    title = _("generation")
    parameter_name = "generation"
    birth_date_field = "birth_date"

    def lookups(self, request, model_admin):
        return [(label, label) for label in GENERATIONS]

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookups(request, None)):
            first, last = generation_range(self.value())
            return queryset.filter(**{f"{self.birth_date_field}__range": (first, last)})
        return queryset


class IndexedValuesFilter(admin.AllValuesFieldListFilter):
    """The values a column holds, read from its index (placements/facets.py): Django's own
    filter runs SELECT DISTINCT over the whole table, 200,000 rows on every view of the list.
    The column needs an index. A team lead keeps Django's filter: their few rows' values."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        from placements.facets import walk

        if request.user.has_perm("cohorts.view_all_batches"):
            values = walk([(field.model, field.column)])[0]
            self.lookup_choices = values
        # Groups by number, districts in the city's order, other values by pinyin.
        key = SORT_KEYS.get(field.name, pinyin_sort_key)
        self.lookup_choices = sorted(self.lookup_choices, key=lambda v: key(v or ""))


class PlacedInProgrammeFilter(admin.SimpleListFilter):
    """The cadres with a placement in a programme, under the parameter of Django's filter over
    placements__batch__programme (links and bookmarks keep working), without its DISTINCT over
    a join of cadres to placements: `pk IN (the programme's placements' cadres)`, which
    PostgreSQL counts from the batch index and pages along the name index."""

    title = Batch._meta.get_field("programme").verbose_name
    parameter_name = "placements__batch__programme__id__exact"

    def lookups(self, request, model_admin):
        return [(str(p.pk), str(p)) for p in Programme.objects.all()]

    def queryset(self, request, queryset):
        if (self.value() or "").isdigit():
            placed = Placement.objects.filter(batch__programme_id=self.value())
            return queryset.filter(pk__in=placed.values("cadre"))
        return queryset

"""List filters over derived values: the term's status and the cadre's generation."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import GENERATIONS, generation_range
from .terms import TermStatus


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

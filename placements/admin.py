from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cohorts.admin import term_summary
from cohorts.admin_filters import TermStatusFilter

from .models import HostUnit, Placement


@admin.register(HostUnit)
class HostUnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "city",
        "kind",
        "industry",
        "contact_person",
        "contact_phone",
        "placement_count",
    ]
    list_filter = ["kind", "city"]
    search_fields = ["name", "industry"]
    fields = ["name", ("city", "kind", "industry"), "address", ("contact_person", "contact_phone"),
              "notes"]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("cadres placed"), ordering="placement_count")
    def placement_count(self, obj):
        return obj.placement_count


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = [
        "cadre",
        "batch",
        "host_unit",
        "role",
        "status",
        "day",
        "rank_tier",
        "group",
        "district",
    ]
    list_filter = [
        "batch__programme",
        "batch",
        TermStatusFilter,
        "status",
        "rank_tier",
        "category",
        "district",
        "host_unit__kind",
    ]
    list_select_related = ["cadre", "batch__programme", "host_unit"]
    search_fields = ["cadre__name", "cadre__id_number", "home_unit", "host_unit__name"]
    autocomplete_fields = ["cadre", "batch", "host_unit"]
    readonly_fields = ["term_summary", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["cadre", "batch", "status", "term_summary"]}),
        (
            _("From the roster"),
            {"fields": ["home_unit", "position", ("rank", "rank_tier"), "category", "district"]},
        ),
        (
            _("Placement"),
            {
                "fields": [
                    "group",
                    "host_unit",
                    "role",
                    "department",
                    "mentor",
                    ("start_date", "end_date"),
                ]
            },
        ),
        (None, {"fields": ["notes", ("created_at", "updated_at")]}),
    ]

    @admin.display(description=_("term"))
    def day(self, obj):
        return obj.term.describe()

    @admin.display(description=_("term"))
    def term_summary(self, obj):
        return term_summary(obj.term) if obj.pk else "-"

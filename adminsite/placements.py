"""The admin of host units and placements; the roster's import and export pages are declared
here (`PlacementAdmin.get_urls`) and served by rosters/admin_views.py.

The host-unit directory (实训单位库) is imported (preview, then confirm) and exported with
django-import-export (rosters/host_units.py: its files read by the roster reader), and
duplicates are merged by an action (adminsite/actions.py merge_host_units); both need the
right to change host units, the merge also to change placements (they move)."""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from cadreprog.pagination import LargeTableAdmin
from cadreprog.versioning import VERSION_FIELDS
from cohorts import privacy
from placements.forms import VersionedPlacementForm
from placements.models import HostUnit, Placement
from placements.search import host_unit_name_matches, search_placements, words
from placements.services import LEAD_EDITABLE_FIELDS, placement_history
from rosters import admin_uploads as roster_uploads
from rosters import admin_views as roster
from rosters.admin_views import export_selected_csv, export_selected_xlsx
from rosters.host_units import HostUnitExportForm, HostUnitResource, RosterReaderFormat

from .actions import merge_host_units, placement_status_actions
from .filters import IndexedValuesFilter, LatestBatchesFilter, TermStatusFilter
from .mixins import ScopedAdminMixin, term_summary
from .versioning import VersionedAdminMixin


@admin.register(HostUnit)
class HostUnitAdmin(ImportExportMixin, LargeTableAdmin, VersionedAdminMixin, admin.ModelAdmin):
    resource_classes = [HostUnitResource]
    export_form_class = HostUnitExportForm
    import_formats = [RosterReaderFormat]
    export_formats = [base_formats.XLSX, base_formats.CSV]
    to_encoding = "utf-8-sig"  # a CSV that Excel and WPS open as Chinese
    actions = [merge_host_units]
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
              "notes", "former_names"]  # fmt: skip
    readonly_fields = ["former_names"]

    def has_import_permission(self, request):
        return self.has_change_permission(request) and self.has_add_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and request.user.has_perm(
            "placements.change_placement"
        )

    @admin.display(description=_("former names"))
    def former_names(self, obj):
        names = [alias.name for alias in obj.aliases.all()] if obj.pk else []
        return "、".join(names) or "-"

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_search_results(self, request, queryset, search_term):
        # The search_fields, each word in the name (or its pinyin: tx → 腾讯) or the industry;
        # the autocomplete of a placement's host unit searches the same way.
        for word in words(search_term):
            queryset = queryset.filter(host_unit_name_matches(word) | Q(industry__icontains=word))
        return queryset, False

    @admin.display(description=_("cadres placed"), ordering="placement_count")
    def placement_count(self, obj):
        return obj.placement_count


@admin.register(Placement)
class PlacementAdmin(LargeTableAdmin, ScopedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    form = VersionedPlacementForm
    actions = [export_selected_xlsx, export_selected_csv, *placement_status_actions()]
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
        ("batch", LatestBatchesFilter),
        TermStatusFilter,
        "status",
        "rank_tier",
        "category",
        ("district", IndexedValuesFilter),
        "host_unit__kind",
    ]
    list_select_related = ["cadre", "batch__programme", "host_unit"]
    # The newest batch first, read along the batch index: the model's order (programme code,
    # batch number, name) would sort every placement of the archive for each page.
    ordering = ["-batch_id", "cadre__name_sort", "id"]
    search_fields = ["cadre__name", "cadre__id_number", "home_unit", "host_unit__name"]
    autocomplete_fields = ["cadre", "batch", "host_unit"]
    readonly_fields = ["term_summary", "created_at", "updated_at", "change_history"]
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
        (_("History"), {"fields": ["change_history"]}),
    ]

    def get_urls(self):
        """The roster's import and export pages (rosters/admin_views.py), before the model
        URLs, whose catch-all would read "import" as a placement's id."""

        def view(function):
            return self.admin_site.admin_view(
                lambda request, **kwargs: function(request, self.admin_site, **kwargs)
            )

        return [
            path("import/", view(roster.import_view), name="placements_placement_import"),
            path(
                "import/confirm/",
                view(roster.confirm_view),
                name="placements_placement_import_confirm",
            ),
            path(
                "import/<str:token>/errors/",
                view(roster.error_file_view),
                name="placements_placement_import_errors",
            ),
            path(
                "import/template/",
                view(roster.template_view),
                name="placements_placement_import_template",
            ),
            path("export/", view(roster.export_view), name="placements_placement_export"),
            # A large upload's status page and its progress (after import/confirm/ and
            # import/template/, which its token would otherwise match).
            path(
                "import/<str:token>/",
                view(roster_uploads.status_view),
                name="placements_placement_import_status",
            ),
            path(
                "import/<str:token>/progress/",
                view(roster_uploads.progress_view),
                name="placements_placement_import_progress",
            ),
            *super().get_urls(),
        ]

    def get_search_fields(self, request):
        if privacy.shows_full_id(request.user):
            return self.search_fields
        return [f for f in self.search_fields if f != "cadre__id_number"]

    def get_search_results(self, request, queryset, search_term):
        # The search_fields, table by table, so that each table's index answers (search.py).
        ids = "cadre__id_number" in self.get_search_fields(request)
        return search_placements(queryset, search_term, id_numbers=ids), False

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("cohorts.view_all_batches"):
            return self.readonly_fields
        # A team lead who reaches the admin changes what the lead page lets them change.
        editable = {*VERSION_FIELDS, *LEAD_EDITABLE_FIELDS}
        fields = [f for f in flatten_fieldsets(self.fieldsets) if f not in editable]
        return [*self.readonly_fields, *(f for f in fields if f not in self.readonly_fields)]

    def has_change_placements_permission(self, request):
        return self.has_change_permission(request)

    @admin.display(description=_("changes"))
    def change_history(self, obj):
        if not obj.pk:
            return "-"
        return render_to_string("lead/_history.html", {"history": placement_history(obj)[::-1]})

    @admin.display(description=_("term"))
    def day(self, obj):
        return obj.term.describe()

    @admin.display(description=_("term"))
    def term_summary(self, obj):
        return term_summary(obj.term) if obj.pk else "-"

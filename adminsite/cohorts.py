"""The admin of programmes, batches and cadres: a batch's page with its placements (versioned
inline), leads and roster actions; a cadre's with their ID number shown to whoever may see it."""

from datetime import date

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from cadreprog.links import pk_link
from cadreprog.pagination import LargeTableAdmin
from cadreprog.queries import SubqueryCount
from cadreprog.textsearch import contains_text
from cadreprog.versioning import VersionedModelForm
from cohorts import privacy
from cohorts.models import Batch, Cadre, Programme
from cohorts.roles import LEAD_GROUP
from placements.forms import VersionedPlacementForm
from placements.models import Placement
from placements.order import sorted_by_group
from placements.search import cadres_matching, words
from rosters.admin_views import export_batches
from security.services import full_id_record
from spreadsheets import cells

from .actions import batch_status_actions
from .filters import (
    GenerationFilter,
    IndexedValuesFilter,
    PlacedInProgrammeFilter,
    TermStatusFilter,
)
from .mixins import (
    ScopedAdminMixin,
    ScopedChoicesMixin,
    term_progress,
    term_summary,
)
from .notifications import WEBHOOK_FIELDSET, send_test_message, webhook_form
from .versioning import VersionedAdminMixin, VersionedInlineMixin


@admin.register(Programme)
class ProgrammeAdmin(LargeTableAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "city", "kind", "batch_count", "cadre_count"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "city"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                batch_count=SubqueryCount(
                    Batch.objects.filter(programme=OuterRef("pk")).values("pk")
                ),
                cadre_count=SubqueryCount(
                    Placement.objects.filter(batch__programme=OuterRef("pk")).values("pk")
                ),
            )
        )

    @admin.display(description=_("batches"), ordering="batch_count")
    def batch_count(self, obj):
        return obj.batch_count

    @admin.display(description=_("cadres"), ordering="cadre_count")
    def cadre_count(self, obj):
        return obj.cadre_count


@admin.register(Batch)
class BatchAdmin(LargeTableAdmin, ScopedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    actions = [export_batches, *batch_status_actions(), send_test_message]
    list_display = [
        "__str__",
        "batch_code",
        "start_date",
        "end_date",
        "progress",
        "headcount",
        "host_unit_count",
        "postponed",
    ]
    list_display_links = ["__str__", "batch_code"]
    list_filter = ["programme", TermStatusFilter, "postponed"]
    list_select_related = ["programme"]
    search_fields = ["programme__code", "programme__name", "programme__city", "notes"]
    autocomplete_fields = ["programme"]
    filter_horizontal = ["leads"]
    readonly_fields = ["term_summary", "placements_overview"]
    fieldsets = [
        (None, {"fields": ["programme", "number", "start_date", "term_days", "term_summary"]}),
        (_("Planning"), {"fields": ["planned_size", "postponed", "postponement_reason", "notes"]}),
        (_("Team leads"), {"fields": ["leads"]}),
        (_("Placements"), {"fields": ["placements_overview"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_fieldsets(self, request, obj=None):
        # The robot address, masked (adminsite/notifications.py); "clear" once there is one.
        name, options = WEBHOOK_FIELDSET
        fields = [f for f in options["fields"] if obj and obj.wechat_webhook or "clear" not in f]
        fieldsets = list(super().get_fieldsets(request, obj))
        return [*fieldsets[:3], (name, {"fields": fields}), *fieldsets[3:]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", webhook_form(self.form))
        return super().get_form(request, obj, change, **kwargs)

    def has_change_placements_permission(self, request):
        return request.user.has_perm("placements.change_placement")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "leads":
            # Leads are users of the team-lead group (manage.py add_team_lead puts them there).
            users = get_user_model().objects
            leads = Q(groups__name=LEAD_GROUP) | Q(led_batches__isnull=False)
            kwargs["queryset"] = users.filter(leads).distinct().order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # Staff type a batch by its code (SZ-3), in the search box and the autocomplete widget.
        if Batch.parse_code(search_term):
            return queryset.by_code(search_term), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("end date"))
    def end_date(self, obj):
        return obj.term.end

    @admin.display(description=_("term"))
    def progress(self, obj):
        return term_progress(obj.term)

    @admin.display(description=_("batch code"), ordering="programme__code")
    def batch_code(self, obj):
        return obj.code

    @admin.display(description=_("head count"), ordering="headcount")
    def headcount(self, obj):
        return obj.headcount

    @admin.display(description=_("host units"), ordering="host_unit_count")
    def host_unit_count(self, obj):
        return obj.host_unit_count

    @admin.display(description=_("term"))
    def term_summary(self, obj):
        return term_summary(obj.term) if obj.pk else "-"

    @admin.display(description=_("placements"))
    def placements_overview(self, obj):
        """A read-only table of the batch's placements; editing happens in the placement list."""
        if not obj.pk:
            return "-"
        placements = sorted_by_group(
            obj.placements.select_related("cadre", "host_unit").order_by("cadre__name_sort", "id")
        )
        url = reverse("admin:placements_placement_changelist") + f"?batch__id__exact={obj.pk}"
        change = pk_link("admin:placements_placement_change")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td></tr>",
            (
                (
                    change(p.pk),
                    p.cadre.name,
                    p.group,
                    p.home_unit,
                    p.host_unit or "—",
                    p.role,
                    p.get_status_display(),
                )
                for p in placements
            ),
        )
        return format_html(
            '<p><a class="button" href="{}">{}</a></p>'
            '<div class="placements-overview"><table>'
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "</tr></thead><tbody>{}</tbody></table></div>",
            url,
            _("Edit these placements in the placement list (%(count)d)") % {"count": obj.headcount},
            Cadre._meta.verbose_name,
            Placement._meta.get_field("group").verbose_name,
            Placement._meta.get_field("home_unit").verbose_name,
            Placement._meta.get_field("host_unit").verbose_name,
            Placement._meta.get_field("role").verbose_name,
            Placement._meta.get_field("status").verbose_name,
            rows,
        )


class PlacementInlineFormSet(BaseInlineFormSet):
    def clean(self):
        """Two new rows of one cadre are saved together: each must not overlap the others."""
        super().clean()
        placements = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.errors and not self._should_delete_form(form)
        ]
        for placement in placements:
            placement.cadre = self.instance  # the cadre may be new, not yet saved
        for i, placement in enumerate(placements):
            other = placement.overlapping(placements[i + 1 :])
            if other:
                raise placement.overlap_error(other)

    def get_unique_error_message(self, unique_check):
        fields = [str(self.model._meta.get_field(name).verbose_name) for name in unique_check]
        return _("Please correct the duplicate data for %(field)s.") % {
            "field": get_text_list(fields, _("and"))
        }


class PlacementInline(ScopedChoicesMixin, VersionedInlineMixin, admin.StackedInline):
    model = Placement
    form = VersionedPlacementForm
    formset = PlacementInlineFormSet
    extra = 0
    autocomplete_fields = ["batch", "host_unit"]

    def get_queryset(self, request):
        placements = super().get_queryset(request).visible_to(request.user)
        return placements.select_related("batch__programme", "host_unit")

    fields = [
        ("batch", "status"),
        ("home_unit", "position"),
        ("rank", "rank_tier", "category"),
        ("district", "group"),
        ("host_unit", "role"),
        ("department", "mentor"),
        ("start_date", "end_date"),
        "notes",
    ]


def swapped(field, swap: dict):
    """A fieldset's entry (a name or a row of names) with some names swapped for others."""
    if isinstance(field, list | tuple):
        return type(field)(swap.get(name, name) for name in field)
    return swap.get(field, field)


class CadreForm(VersionedModelForm):
    # Longer than the 18 stored characters: pasted numbers carry spaces the model removes.
    id_number = forms.CharField(
        label=Cadre._meta.get_field("id_number").verbose_name, max_length=30, required=False
    )

    class Meta:
        model = Cadre
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "phone",
            "ethnicity",
            "political_status",
            "education",
            "notes",
        ]


class BirthMonthField(forms.CharField):
    """出生年月 for a user who may not see the day (cohorts/privacy.py): shows 1985.10 and takes
    1985.10, 1985年10月 or a full date, as the roster import does; gives (date, precision)."""

    def prepare_value(self, value):
        if isinstance(value, tuple):  # as to_python gives it: (date, precision)
            value = value[0]
        return privacy.birth_month(value) if isinstance(value, date) else value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return cells.birth_month(text)
        except cells.CellError as error:
            raise ValidationError(str(error), code="birth_month") from None

    def has_changed(self, initial, data):
        try:
            given = self.to_python(data)
        except ValidationError:
            return True
        if given is None or initial is None:
            return given is not initial
        born, precision = given
        if precision == cells.MONTH:
            return (born.year, born.month) != (initial.year, initial.month)
        return born != initial


class CadreMonthForm(CadreForm):
    """The cadre form of a user who may not see the day of birth: the month is edited, and the
    stored day stays while the month does (a month alone stands for its first day, as in the
    import); with an ID number, the date of birth follows the number anyway."""

    birth_date = BirthMonthField(
        label=_("year and month of birth"), required=False, help_text=_("For example 1985.10.")
    )

    def clean_birth_date(self):
        given = self.cleaned_data.get("birth_date")
        if given is None:
            return None
        born, precision = given
        stored = self.instance.birth_date
        same_month = stored and (stored.year, stored.month) == (born.year, born.month)
        return stored if precision == cells.MONTH and same_month else born


@admin.register(Cadre)
class CadreAdmin(LargeTableAdmin, ScopedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    form = CadreForm
    list_display = [
        "name",
        "gender",
        "birth_date",
        "generation",
        "masked_id_number",
        "phone",
        "political_status",
        "batches",
    ]
    list_filter = [
        GenerationFilter,
        "gender",
        ("political_status", IndexedValuesFilter),
        PlacedInProgrammeFilter,
    ]
    search_fields = ["name", "id_number", "placements__home_unit"]
    inlines = [PlacementInline]
    fieldsets = [
        (None, {"fields": ["name", "id_number", ("gender", "birth_date"), "phone"]}),
        (_("Background"), {"fields": [("ethnicity", "political_status", "education"), "notes"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "placements",
                    queryset=Placement.objects.select_related("batch__programme").order_by(
                        "batch__start_date"
                    ),
                )
            )
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # The page shows the ID number in full to those allowed: the access log says so.
        shown = getattr(response, "context_data", {}).get("original")
        if shown is not None and privacy.shows_full_id(request.user):
            full_id_record(request, [shown.pk])
        return response

    def get_list_display(self, request):
        if privacy.shows_full_id(request.user):
            return self.list_display
        # The month of birth, and sorts by it, for those who may not see the day.
        swap = {"birth_date": "birth_month", "generation": "generation_by_month"}
        return [swapped(f, swap) for f in self.list_display]

    def get_form(self, request, obj=None, **kwargs):
        if not privacy.shows_full_id(request.user):
            kwargs["form"] = CadreMonthForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if privacy.shows_full_id(request.user):
            return fieldsets
        # ID numbers in full only to those who need them; others read the masked number, and
        # the date of birth by month (CadreMonthForm's field where they may change it).
        swap = {"id_number": "masked_id_number"}
        may_edit = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        if not may_edit:
            swap["birth_date"] = "birth_month"
        return [
            (name, {**options, "fields": [swapped(f, swap) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if privacy.shows_full_id(request.user):
            return readonly
        return [*readonly, "masked_id_number", "birth_month"]

    def get_search_fields(self, request):
        if privacy.shows_full_id(request.user):
            return self.search_fields
        return [f for f in self.search_fields if f != "id_number"]

    def get_search_results(self, request, queryset, search_term):
        # The search_fields, table by table, so that each table's index answers (search.py):
        # one set of keys (a UNION), each part found by its trigram index, or for a word shorter
        # than a trigram by the index of the column's characters (cadreprog/textsearch.py).
        # With `pk IN a OR pk IN b` PostgreSQL walks every cadre in name order testing each
        # (0.36 s at 200,000).
        ids = "id_number" in self.get_search_fields(request)
        for word in words(search_term):
            names = cadres_matching(word, id_numbers=ids).order_by()
            at_unit = Placement.objects.order_by().filter(contains_text("home_unit", word))
            queryset = queryset.filter(pk__in=names.union(at_unit.values("cadre")))
        return queryset, False

    def lookup_allowed(self, lookup, value, request):
        # ?id_number__startswith=… would reveal a masked number digit by digit, and
        # ?birth_date__day=… the day of birth.
        if lookup.startswith(privacy.HIDDEN_FIELDS) and not privacy.shows_full_id(request.user):
            return False
        # The sidebar's own filter, named as Django's filter over that path was (Django allows
        # a path with three relations only to a filter declared by that path).
        if lookup == PlacedInProgrammeFilter.parameter_name:
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("generation"), ordering="birth_date")
    def generation(self, obj):
        return obj.generation

    @admin.display(description=_("generation"), ordering=TruncMonth("birth_date"))
    def generation_by_month(self, obj):
        return obj.generation

    @admin.display(description=_("year and month of birth"), ordering=TruncMonth("birth_date"))
    def birth_month(self, obj):
        return privacy.birth_month_words(obj.birth_date) or "-"

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("batches"))
    def batches(self, obj):
        return "、".join(str(p.batch) for p in obj.placements.all())

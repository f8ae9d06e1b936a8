"""Staff's pages outside the admin: the dashboard, the filtered lists and their exports.

Everything goes through `visible_to(user)`: staff see the programme, a team lead their batches.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import ListView

from cohorts.text import whole_number
from placements.models import Placement
from rosters import exporting, prepared

from . import figures, ledger_figures
from .filters import CadreFilter, HostUnitFilter, PlacementFilter

PAGE_SIZES = (25, 50, 100, 200)
EXPORT_FORMATS = ("xlsx", "csv")


@login_required
def dashboard(request):
    """The home page: the programme at a glance for staff; a team lead goes to their batches."""
    if not request.user.has_perm("cohorts.view_all_batches"):
        try:
            return redirect(reverse("lead-home"))
        except NoReverseMatch:
            pass  # no lead page yet: the dashboard, limited to the lead's batches
    dashboard = figures.dashboard(request.user)
    # The ledger's part: outcomes per programme, the duties of each batch in its term; kept
    # for staff at the ledger's version too (dashboard/ledger_figures.py).
    ledger = ledger_figures.ledger_part(request.user, dashboard)
    context = {
        "dashboard": dashboard,
        "outcomes": ledger.outcomes,
        "current_duties": ledger.current_duties,
        # Staff's page, rendered, is kept as long as its figures (the same for all of staff).
        "kept_as": ledger_figures.page_key(request.user, dashboard, ledger),
        "kept_for": figures.CACHE_SECONDS,
    }
    return render(request, "dashboard/dashboard.html", context)


class FilteredListView(LoginRequiredMixin, ListView):
    """A list filtered by a FilterSet from the query string, sortable by column, paginated."""

    filterset_class = PlacementFilter
    paginate_by = 50
    export_view = ""
    # (sort key or "" for a column that does not sort, label)
    columns: list[tuple[str, str]] = []
    # What the search box searches, said in it (the template's default when empty).
    search_placeholder = ""

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET, request=self.request)
        return self.filterset.qs

    def get_paginate_by(self, queryset):
        per_page = self.request.GET.get("per_page", "")
        return int(per_page) if per_page in map(str, PAGE_SIZES) else self.paginate_by

    def paginate_queryset(self, queryset, page_size):
        # A page number past the end (a bookmark after rows went away) shows the last page.
        paginator = self.get_paginator(queryset, page_size)
        number = self.request.GET.get("page", "")
        # page=0 or -1 means the first page; get_page would read them as the last.
        page = paginator.get_page(whole_number(number) or 1)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = (self.filterset.form.cleaned_data.get("o") or [""])[0]
        context.update(
            open_filters=self.filterset.has_errors(),
            filter=self.filterset,
            active_filters=self.active_filters(),
            columns=[self.column(key, label, current) for key, label in self.columns],
            export_view=self.export_view,
            page_sizes=PAGE_SIZES,
            search_placeholder=self.search_placeholder,
        )
        return context

    def active_filters(self):
        """The filters in use, each with the link that removes it."""
        chips = []
        for name, label, value in self.filterset.active():
            query = self.request.GET.copy()
            for key in (name, "page"):
                query.pop(key, None)
            url = f"{self.request.path}?{query.urlencode()}" if query else self.request.path
            chips.append({"label": label, "value": value, "remove_url": url})
        return chips

    @staticmethod
    def column(key, label, current):
        """A header: its label, the sort it links to (ascending first), and an arrow if sorted."""
        if not key:
            return {"label": label}
        arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
        return {"label": label, "sort": f"-{key}" if current == key else key, "arrow": arrow}


class PlacementListView(FilteredListView):
    """/placements/: one row per cadre per batch."""

    template_name = "dashboard/placement_list.html"
    export_view = "placement-export"

    @property
    def columns(self):
        return [
            ("name", pgettext("person", "name")),
            ("batch", _("batch")),
            ("group", _("group")),
            ("home_unit", _("home unit and position")),
            ("rank", _("rank")),
            ("district", _("district")),
            ("host_unit", _("host unit")),
            ("", _("role")),
            ("status", _("status")),
            ("start", _("term")),
        ]


class CadreListView(FilteredListView):
    """/cadres/: one row per person, with their batches."""

    template_name = "dashboard/cadre_list.html"
    filterset_class = CadreFilter
    export_view = "cadre-export"

    @property
    def columns(self):
        return [
            ("name", pgettext("person", "name")),
            ("gender", _("gender")),
            ("birth_date", _("generation")),
            ("political_status", _("political status")),
            ("", _("education")),
            ("", _("batches and host units")),
        ]

    def get_queryset(self):
        # Their batches as the user may see them (one query for the page, whatever its size).
        placements = (
            Placement.objects.visible_to(self.request.user)
            .select_related("batch__programme", "host_unit")
            .order_by("batch__start_date", "batch__programme__code", "batch__number")
        )
        return super().get_queryset().prefetch_related(Prefetch("placements", placements))


class HostUnitListView(FilteredListView):
    """/host-units/: the host units behind the placements that match, with how many each."""

    template_name = "dashboard/host_unit_list.html"
    filterset_class = HostUnitFilter
    # placements/search.py: host units by name or pinyin, and the units of matching cadres.
    search_placeholder = gettext_lazy("Host unit or its pinyin, cadre name, home unit")

    @property
    def columns(self):
        return [
            ("name", _("host unit")),
            ("kind", _("kind")),
            ("", _("city")),
            ("", _("industry")),
            ("placements", _("matching placements")),
        ]


def export(request, filterset_class):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Export as xlsx or csv."))
    filterset = filterset_class(request.GET, request=request)
    if filterset.has_errors():
        return HttpResponseBadRequest(_("These filters are not valid."))
    if filterset_class is CadreFilter:
        # One row per matching placement, grouped by person in the order on screen.
        sort = filterset.filters["o"]
        placements = filterset.matching_placements().order_by(
            *sort.orders(filterset.form.cleaned_data.get("o"), prefix="cadre__"),
            "cadre__name_sort", "cadre_id", "batch__programme__code", "batch__number",
        )  # fmt: skip
    else:
        placements = filterset.qs  # in the order on screen
    what = "干部名单" if filterset_class is CadreFilter else "花名册"
    filename = exporting.file_stem(placements, what)
    return prepared.export_response(placements, fmt=fmt, user=request.user, filename=filename)


@login_required
def placement_export(request):
    """The rows of /placements/ as filtered (all pages), as XLSX or CSV."""
    return export(request, PlacementFilter)


@login_required
def cadre_export(request):
    """The placements behind /cadres/ as filtered: one row per matching placement."""
    return export(request, CadreFilter)

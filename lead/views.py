"""The team leads' pages (/lead/): their batches, placements, edits, statuses, history.

Scope is `visible_to` everywhere: a lead reaches the batches they lead and nothing else (404);
staff, who hold cohorts.view_all_batches, reach every batch. Permissions come from the groups
(cohorts/roles.py); a user without them gets 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Q
from django.http import JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadreprog.links import pk_link
from cohorts import privacy
from cohorts.models import Batch
from placements.models import HostUnit, Placement, host_unit_key
from placements.order import sorted_by_group
from placements.search import host_unit_pinyin_matches
from placements.services import (
    PlacementChangedMeanwhile,
    placement_history,
    placement_update,
    placements_set_status,
    placements_status_preview,
)
from security.services import full_id_record

from .forms import BatchFilterForm, BulkStatusForm, LeadPlacementForm

HOST_UNIT_MATCHES = 20


def can_view(view):
    return login_required(
        permission_required("placements.view_placement", raise_exception=True)(view)
    )


def can_change(view):
    return login_required(
        permission_required("placements.change_placement", raise_exception=True)(view)
    )


@can_view
def home(request):
    batches = list(Batch.objects.visible_to(request.user).with_counts())
    counts = status_counts(Placement.objects.filter(batch__in=[b.pk for b in batches]))
    for batch in batches:
        batch.status_counts = counts.get(batch.pk, [])
    return render(request, "lead/home.html", {"batches": batches})


def status_counts(placements) -> dict[int, list[tuple[str, str, int]]]:
    """{batch id: [(status, label, count), …]} in the order of the statuses, in one query."""
    found = {
        (row["batch"], row["status"]): row["n"]
        for row in placements.order_by().values("batch", "status").annotate(n=Count("id"))
    }
    batch_ids = {batch_id for batch_id, _status in found}
    return {
        batch_id: [
            (status, label, found.get((batch_id, status), 0))
            for status, label in Placement.Status.choices
        ]
        for batch_id in batch_ids
    }


@can_view
def batch_detail(request, pk):
    batch = get_object_or_404(Batch.objects.visible_to(request.user), pk=pk)
    in_batch = Placement.objects.visible_to(request.user).filter(batch=batch)
    groups = in_batch.exclude(group="").order_by().values_list("group", flat=True)
    host_units = HostUnit.objects.filter(placements__batch=batch).distinct().order_by("name")
    filters = BatchFilterForm(request.GET, groups=groups.distinct(), host_units=host_units)
    placements = filters.filter(in_batch).select_related("cadre", "host_unit")
    placements = placements.order_by("cadre__name_sort", "id")
    full_ids = shows_full_ids(request, placements)
    placements = sorted_by_group(placements)  # 第一组 … 第十组, 第十一组: by number
    can_change = request.user.has_perm("placements.change_placement")
    link = pk_link("lead-placement" if can_change else "lead-placement-history")
    for placement in placements:
        placement.link = link(placement.pk)
    return render(
        request,
        "lead/batch.html",
        {
            "batch": batch,
            "filters": filters,
            "placements": placements,
            "status_counts": status_counts(in_batch).get(batch.pk, []),
            "statuses": BulkStatusForm.CHOICES,
            "full_id_numbers": full_ids,
            "can_change": can_change,
        },
    )


@require_POST
@can_change
def batch_status(request, pk):
    """Many statuses at once: first a confirmation naming the target status and how many
    change and stay (server-side, so it works on any phone), then the change itself."""
    batch = get_object_or_404(Batch.objects.visible_to(request.user), pk=pk)
    in_batch = Placement.objects.visible_to(request.user).filter(batch=batch)
    form = BulkStatusForm(request.POST, batch_placements=in_batch)
    filters = request.POST.get("filters", "")
    back = reverse("lead-batch", args=[batch.pk]) + _query(filters)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(back)
    status, chosen = form.cleaned_data["status"], form.chosen()
    if not form.cleaned_data["confirmed"]:
        preview = placements_status_preview(placements=chosen, status=status)
        return render(
            request,
            "lead/status_confirm.html",
            {
                "batch": batch,
                "form": form,
                "preview": preview,
                "title": _("Mark as “%(status)s”?") % {"status": Placement.Status(status).label},
                "selected": [p.pk for p in form.cleaned_data["placements"]],
                "filters": filters,
                "back": back,
            },
        )
    result = placements_set_status(placements=chosen, status=status, by=request.user)
    report = messages.success if result.changed and not result.left else messages.warning
    report(request, result.message())
    return redirect(back)


def shows_full_ids(request, placements) -> bool:
    """Whether the page shows these placements' ID numbers in full; if so, it is logged."""
    if not privacy.shows_full_id(request.user):
        return False
    full_id_record(request, placements.values_list("cadre_id", flat=True))
    return True


def _query(text: str) -> str:
    """The batch page's filters, sent along with the form, to return to the same view."""
    query = QueryDict(text).urlencode()
    return f"?{query}" if query else ""


@can_change
def placement_edit(request, pk):
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("cadre", "batch", "host_unit"),
        pk=pk,
    )
    form = LeadPlacementForm(request.POST or None, instance=placement, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            placement_update(
                placement=form.save(commit=False),
                by=request.user,
                expected_version=form.cleaned_data["expected_version"],
                new_host_unit=form.new_unit,
            )
        except PlacementChangedMeanwhile as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, _("Saved %(cadre)s.") % {"cadre": placement.cadre.name})
            return redirect(reverse("lead-batch", args=[placement.batch_id]) + f"#p{pk}")
    return render(
        request,
        "lead/placement_form.html",
        {
            "placement": placement,
            "form": form,
            "history": placement_history(placement)[-3:][::-1],
            "full_id_numbers": shows_full_ids(request, Placement.objects.filter(pk=pk)),
        },
    )


@can_view
def placement_history_view(request, pk):
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("cadre", "batch"), pk=pk
    )
    return render(
        request,
        "lead/history.html",
        {"placement": placement, "history": placement_history(placement)[::-1]},
    )


@login_required
@permission_required("placements.view_hostunit", raise_exception=True)
def host_unit_search(request):
    """Host units whose name contains what was typed, or whose pinyin does (tx, teng xun → 腾讯),
    for the search-as-you-type list."""
    key = host_unit_key(request.GET.get("q", ""))
    found = Q(name_key__contains=key) | host_unit_pinyin_matches(key)
    units = HostUnit.objects.filter(found) if key else HostUnit.objects.none()
    return JsonResponse(
        {"results": [{"id": u.pk, "name": u.name} for u in units[:HOST_UNIT_MATCHES]]}
    )

"""Pages of duties and outcomes: the lead's duty and outcome pages of a batch (with a large
progress upload's status page and its progress JSON, ledger/uploads.py), the list of cadres
behind on a duty (with its export), and the lists of suggestions and projects.

Scope is `visible_to` everywhere: a lead reaches their own batches (404 for another), staff all.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Sum, Value
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from cadreprog.links import pk_link
from cadreprog.versioning import ChangedMeanwhile
from cohorts.models import Batch, Programme
from cohorts.terms import today
from placements.models import Placement
from placements.order import sorted_by_group
from security.services import export_record
from spreadsheets import uploads as spreadsheet_uploads

from . import exporting, importing, services, statistics, uploads
from .forms import BatchOptions, ClaimForm, ProjectForm, RecordForm, SuggestionForm, UploadForm
from .models import Duty, Project, Suggestion, Topic

PAGE_SIZE = 50


def needs(permission):
    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def _batch(request, pk) -> Batch:
    return get_object_or_404(Batch.objects.visible_to(request.user), pk=pk)


@needs("ledger.view_duty")
def lead_duties(request, pk, record_form=None, upload_form=None, import_result=None):
    """The batch's duties: a roll-up per duty, then every cadre's progress on the chosen one."""
    batch = _batch(request, pk)
    on = today()
    placements = sorted_by_group(
        Placement.objects.filter(batch=batch)
        .select_related("cadre")
        .order_by("cadre__name_sort", "id")
    )
    duties, done, rollups = statistics.batch_duties(batch, placements, on)
    chosen = next((d for d in duties if str(d.pk) == request.GET.get("duty")), None)
    chosen = chosen or (duties[0] if duties else None)
    progress = statistics.cadre_progress(batch, chosen, placements, done, on) if chosen else {}
    rows = [(p, progress.get(p.pk)) for p in placements]
    can_record = request.user.has_perm("ledger.add_progressentry")
    in_batch = Placement.objects.filter(batch=batch)  # for the form; never evaluated on a GET
    return render(
        request,
        "ledger/lead_duties.html",
        {
            "batch": batch,
            "rollups": rollups,
            "chosen": chosen,
            "rows": rows,
            "can_record": can_record,
            "record_form": record_form
            or RecordForm(
                duties=duties, placements=in_batch, initial={"duty": chosen and chosen.pk}
            ),
            "upload_form": upload_form or UploadForm(),
            # The lead's large uploads under way or failed, to find them again.
            "uploads": list(uploads.uploads_of(user=request.user, batch=batch))
            if can_record
            else [],
            "import_result": import_result,
            # After a refused record, the cadres stay ticked.
            "ticked": set(request.POST.getlist("placements")) if record_form else set(),
        },
        status=400 if (record_form or upload_form or import_result) else 200,
    )


@needs("ledger.add_progressentry")
def lead_duties_record(request, pk):
    batch = _batch(request, pk)
    if request.method != "POST":
        return redirect("ledger-lead-duties", pk=batch.pk)
    form = RecordForm(
        request.POST,
        duties=list(Duty.objects.for_batch(batch)),
        placements=Placement.objects.filter(batch=batch).select_related("cadre", "batch"),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            entries = services.progress_record(
                placements=data["placements"],
                duty=data["duty"],
                on=data["date"],
                count=data["count"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Recorded %(duty)s for %(count)d cadres.")
                % {"duty": data["duty"], "count": len(entries)},
            )
            return redirect(
                reverse("ledger-lead-duties", args=[batch.pk]) + f"?duty={data['duty'].pk}"
            )
    return lead_duties(request, batch.pk, record_form=form)


@needs("ledger.add_progressentry")
def lead_duties_import(request, pk):
    """The whole spreadsheet or nothing; on an error, the page lists each beside its row."""
    batch = _batch(request, pk)
    if request.method != "POST":
        return redirect("ledger-lead-duties", pk=batch.pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return lead_duties(request, batch.pk, upload_form=form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    rows = spreadsheet_uploads.data_rows(data)
    if spreadsheet_uploads.in_background(
        rows
    ):  # imported by the worker; its page shows the progress
        kept = uploads.upload_start(
            user=request.user, batch=batch, data=data, file_name=upload.name, rows=rows
        )
        return redirect(uploads.status_url(kept))
    result = importing.import_progress(
        data,
        upload.name,
        batch=batch,
        user=request.user,
        max_rows=settings.ROSTER_UPLOAD_MAX_ROWS,
    )
    if not result.ok:
        return lead_duties(request, batch.pk, import_result=result)
    messages.success(request, _("%(count)d progress entries imported.") % {"count": result.written})
    return redirect("ledger-lead-duties", pk=batch.pk)


def _duty_upload(request, pk, token):
    """The user's large upload of a batch they may see, or 404 (anyone else's token)."""
    batch = _batch(request, pk)
    upload = uploads.upload_of(user=request.user, batch=batch, token=token)
    if upload is None:
        raise Http404(_("This upload is no longer there."))
    upload.batch = batch
    return upload


@needs("ledger.add_progressentry")
def lead_duties_upload(request, pk, token):
    """A large upload's page: its progress while it is imported, then what became of it. A POST
    starts it again after a failure or a stall."""
    upload = _duty_upload(request, pk, token)
    if request.method == "POST":
        if not uploads.upload_restart(upload=upload):
            messages.warning(request, _("This upload cannot be started again now."))
        return redirect(uploads.status_url(upload))
    return render(
        request,
        "ledger/duty_upload.html",
        {
            "batch": upload.batch,
            "upload": upload,
            "progress": uploads.upload_progress(upload),
            "progress_url": reverse("ledger-lead-duties-upload-progress", args=[pk, token]),
        },
    )


@never_cache
@needs("ledger.add_progressentry")
def lead_duties_upload_progress(request, pk, token):
    """{"state", "stalled", "phase", "finished", "done", "total", "text", "redirect"}:
    ledger.uploads.upload_progress."""
    return JsonResponse(uploads.upload_progress(_duty_upload(request, pk, token)))


def _behind(request):
    """The batch and duty named in the query, and the cadres behind on it (withdrawn cadres
    left out), each with .done and .expected in their own term."""
    batch = Batch.objects.visible_to(request.user).by_code(request.GET.get("batch", "")).first()
    if batch is None:
        raise Http404(_("No such batch."))
    # By name, unique in a batch's list: a link that reads well and survives a copied list.
    duty = Duty.objects.for_batch(batch).filter(name=request.GET.get("duty", "")).first()
    if duty is None:
        raise Http404(_("No such duty."))
    return batch, duty, statistics.behind(batch, duty, today())


@needs("ledger.view_progressentry")
def behind(request):
    batch, duty, placements = _behind(request)
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get("page"))
    yesterday = today() - timedelta(days=1)
    return render(
        request,
        "ledger/behind.html",
        {
            "batch": batch,
            "duty": duty,
            # The batch's own figures; a cadre with other dates has theirs in their row.
            "expected": duty.expected_by(batch.term, yesterday),
            "total": duty.total(batch.term),
            "page": page,
            "query": request.GET.urlencode(),
        },
    )


@needs("ledger.view_progressentry")
def behind_export(request):
    batch, duty, placements = _behind(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in exporting.FORMATS:
        raise Http404(_("Unknown format."))
    # Names, groups and host units of cadres: the access log says who took them.
    export_record(
        Placement.objects.filter(pk__in=[p.pk for p in placements]),
        user=request.user,
        where=f"{request.path} {batch.code} {duty.name}",
    )
    return exporting.behind_response(placements, batch=batch, duty=duty, fmt=fmt)


# Outcomes


def _outcome_filters(request, queryset):
    """programme=SZ, batch=SZ-3 (and for suggestions institutional=1) from the query string."""
    programme = request.GET.get("programme", "")
    if programme:
        queryset = queryset.filter(batch__programme__code=programme)
    batch = request.GET.get("batch", "")
    if batch:
        queryset = queryset.filter(batch__in=Batch.objects.by_code(batch))
    return queryset


def _outcome_list(request, queryset, template, extra):
    queryset = _outcome_filters(request, queryset.visible_to(request.user))
    queryset = queryset.select_related("batch__programme", "host_unit", "topic").prefetch_related(
        Prefetch("credited", queryset=Placement.objects.select_related("cadre"))
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "page": page,
            "programmes": Programme.objects.filter(
                batches__in=Batch.objects.visible_to(request.user)
            ).distinct(),
            "batches": Batch.objects.visible_to(request.user),
            "params": request.GET,
            **extra(queryset),
        },
    )


@needs("ledger.view_suggestion")
def suggestions(request):
    queryset = Suggestion.objects.all()
    if request.GET.get("institutional") == "1":
        queryset = queryset.filter(institutional=True)
    return _outcome_list(
        request,
        queryset,
        "ledger/suggestions.html",
        lambda rows: rows.aggregate(
            count=Count("id"), adopted=Count("id", filter=Q(institutional=True))
        ),
    )


@needs("ledger.view_project")
def projects(request):
    return _outcome_list(
        request,
        Project.objects.all(),
        "ledger/projects.html",
        lambda rows: rows.aggregate(count=Count("id"), investment=Sum("investment")),
    )


# What a lead (or staff) records on a batch's outcomes page: the form, its title, the permission.
OUTCOME_FORMS = {
    "suggestion": (SuggestionForm, gettext_lazy("Record a suggestion"), "ledger.add_suggestion"),
    "project": (ProjectForm, gettext_lazy("Record a signed project"), "ledger.add_project"),
    "claim": (ClaimForm, gettext_lazy("Claim a topic"), "ledger.change_topic"),
}


@needs("ledger.view_suggestion")
def lead_outcomes(request, pk):
    """The batch's topics, suggestions and projects; a lead records new ones here.

    Eleven queries whatever the batch's size (tests/ledger/test_outcomes_page.py): the forms
    and the lists share one list of the batch's cadres, host units and topics (BatchOptions)."""
    batch = _batch(request, pk)
    allowed = {k: v for k, v in OUTCOME_FORMS.items() if request.user.has_perm(v[2])}
    topics = list(Topic.objects.filter(batch=batch))
    options = BatchOptions.of(batch, topics)
    forms = {
        kind: form_class(batch=batch, prefix=kind, options=options)
        for kind, (form_class, *_r) in allowed.items()
    }
    kind = request.POST.get("kind")
    if request.method == "POST" and kind in OUTCOME_FORMS:
        if kind not in allowed:
            raise PermissionDenied
        form_class = OUTCOME_FORMS[kind][0]
        form = forms[kind] = form_class(request.POST, batch=batch, prefix=kind, options=options)
        if form.is_valid():
            try:
                saved = _save_outcome(kind, form, request.user)
            except ChangedMeanwhile as conflict:
                form.show_conflict(conflict)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved %(title)s.") % {"title": saved})
                return redirect("ledger-lead-outcomes", pk=batch.pk)
    suggestions = list(Suggestion.objects.filter(batch=batch))
    projects = list(Project.objects.filter(batch=batch))
    _people(batch, topics, suggestions, projects, options.placements)
    return render(
        request,
        "ledger/lead_outcomes.html",
        {
            "batch": batch,
            "topics": topics,
            "suggestions": suggestions,
            "projects": projects,
            "forms": [(kind, form, OUTCOME_FORMS[kind][1]) for kind, form in forms.items()],
        },
        status=400 if request.method == "POST" else 200,
    )


def _people(batch, topics, suggestions, projects, placements) -> None:
    """Each topic's claimants and each suggestion's and project's credited cadres as `people`,
    in the order of `placements` (the batch's, already read for the forms), with a link to
    their history: one query of the three link tables. A placement of another batch, which
    only the admin can link, is read apart."""
    links = [
        (model.credited.through if model is not Topic else Topic.claimants.through, field, kind)
        for model, field, kind in ((Topic, "topic", "t"), (Suggestion, "suggestion", "s"),
                                   (Project, "project", "p"))
    ]  # fmt: skip
    parts = [
        through.objects.filter(**{f"{field}__batch": batch})
        .annotate(kind=Value(kind), owner=F(f"{field}_id"))
        .values_list("kind", "owner", "placement_id")
        for through, field, kind in links
    ]
    found = list(parts[0].union(*parts[1:], all=True))
    known = {p.pk: p for p in placements}
    others = {p for _k, _o, p in found if p not in known}
    if others:
        known |= {p.pk: p for p in Placement.objects.filter(pk__in=others).select_related("cadre")}
    order = {pk: n for n, pk in enumerate(known)}
    people = {}
    for kind, owner, placement in found:
        people.setdefault((kind, owner), []).append(known[placement])
    history = pk_link("lead-placement-history")
    for kind, owners in (("t", topics), ("s", suggestions), ("p", projects)):
        for owner in owners:
            owner.people = sorted(people.get((kind, owner.pk), []), key=lambda p: order[p.pk])
            for placement in owner.people:
                placement.history_link = history(placement.pk)


def _save_outcome(kind, form, user):
    if kind == "claim":
        data = form.cleaned_data
        return services.topic_claim(
            topic=data["topic"],
            placements=data["placements"],
            by=user,
            expected_version=form.expected_version(data["topic"]),
        )
    return services.outcome_record(
        outcome=form.save(commit=False), credited=form.cleaned_data["credited"], by=user
    )

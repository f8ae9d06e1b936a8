"""Roster import and export in the admin: upload → preview → confirm, the error file, the blank
template, exports of what the placement list shows, and the import history.

The views are thin: the work is importing.import_roster, exporting and workbooks, which the
command line uses too. Between preview and confirm the upload waits in the database
(RosterUpload, so any app server can confirm it) under a random token only its uploader can use.
An upload of more than ROSTER_BACKGROUND_ROWS rows is read, checked and written in the
background instead (rosters/uploads.py), its status page in rosters/admin_uploads.py.
"""

import secrets

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadreprog.pagination import LargeTableAdmin
from cadreprog.records import ReadOnlyRecordAdmin
from cohorts import privacy
from cohorts.admin_filters import LatestBatchesFilter
from cohorts.models import Batch
from placements.models import Placement, RosterImport, RosterUpload
from placements.services import changes_shown
from security.models import AccessRecord
from security.services import access_record, full_id_record
from spreadsheets import uploads as spreadsheet_uploads
from spreadsheets.uploads import checked_upload

from . import exporting, importing, prepared, uploads, workbooks

PREVIEW_ROWS = uploads.PREVIEW_ROWS  # the preview lists every error, and changes up to this many
UPLOAD_LIFETIME = uploads.LIFETIME  # how long an upload waits for its confirmation
XLSX = exporting.CONTENT_TYPES["xlsx"]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy("CSV (UTF-8 or GBK), XLSX or XLS, as the districts send it."),
    )
    batch = forms.ModelChoiceField(
        Batch.objects.all(),
        required=False,
        label=gettext_lazy("Batch"),
        help_text=gettext_lazy("Only needed when the file has no 批次 column."),
    )

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"])


def can_import(user) -> bool:
    """Staff who may import rosters (importing.IMPORT_PERMISSIONS); never a team lead."""
    return user.has_perms(importing.IMPORT_PERMISSIONS)


def _keep_upload(request, data: bytes, name: str, batch: Batch | None) -> str:
    # Previews never confirmed leave their upload behind; a day later it goes.
    uploads.uploads_forget()
    token = secrets.token_hex(16)
    RosterUpload.objects.create(
        token=token, user=request.user, file_name=name, batch=batch, data=data
    )
    return token


def upload_of(request, token: str, *, data: bool = True, preview: bool = True) -> RosterUpload:
    """The kept upload of this user, or 404 (another user's token finds nothing); without its
    content (`data`) or its stored preview when they are not needed."""
    found = (
        RosterUpload.objects.select_related("batch")
        .filter(token=token, user=request.user)
        .filter(created_at__gte=timezone.now() - UPLOAD_LIFETIME)
    )
    deferred = [name for name, wanted in (("data", data), ("preview", preview)) if not wanted]
    upload = found.defer(*deferred).first()
    if upload is None:
        raise Http404(_("The uploaded file has expired. Upload it again."))
    return upload


def _upload(request, token: str) -> tuple[bytes, str, Batch | None]:
    upload = upload_of(request, token)
    return bytes(upload.data), upload.file_name, upload.batch


def _forget_upload(request, token: str):
    RosterUpload.objects.filter(token=token, user=request.user).delete()


def import_view(request, site):
    if not can_import(request.user):
        raise PermissionDenied
    context = {**site.each_context(request), "title": _("Import a roster"), "opts": Placement._meta}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload, batch = form.cleaned_data["file"], form.cleaned_data["batch"]
            data = upload.read()
            rows = spreadsheet_uploads.data_rows(data)
            if spreadsheet_uploads.in_background(rows):
                kept = uploads.upload_start(
                    user=request.user, data=data, file_name=upload.name, batch=batch, rows=rows
                )
                return redirect(uploads.status_url(kept))
            result = importing.import_roster(
                data, upload.name, batch=batch, user=request.user, dry_run=True,
                source=RosterImport.Source.ADMIN, max_rows=settings.ROSTER_UPLOAD_MAX_ROWS,
            )  # fmt: skip
            if not result.ok:
                importing.record_refusal(result, request.user, RosterImport.Source.ADMIN)
            # Kept only when it was read (to confirm it, or to download it with its errors);
            # a file refused whole (too long, not a spreadsheet, a zip bomb) leaves nothing.
            token = _keep_upload(request, data, upload.name, batch) if result.tables else ""
            context |= _preview_context(request, result, token)
            return TemplateResponse(request, "admin/placements/roster_preview.html", context)
    else:
        initial = {"batch": request.GET.get("batch")} if request.GET.get("batch") else {}
        form = UploadForm(initial=initial)
    context |= {
        "form": form,
        "recent": RosterImport.objects.select_related("user")[:5],
        "uploads": uploads.uploads_of(request.user),
    }
    return TemplateResponse(request, "admin/placements/roster_import.html", context)


def _preview_context(request, result, token) -> dict:
    rows = uploads.shown_rows(result)
    show_changes(request, rows)
    return {
        "result": result,
        "token": token,
        "shown_rows": rows,
        "counts": uploads.counts(result),
        "preview_rows": PREVIEW_ROWS,
        "more_rows": uploads.more_rows(result),
    }


def show_changes(request, rows):
    """Each updated row's changes in the words staff read (labels of choices, dates), as the
    import record shows them; the stored ID number beside the file's masked, unless the user
    may see ID numbers in full, and then the access is logged; a date of birth by month unless
    the user may see it in full (cohorts/privacy.py)."""
    full = privacy.shows_full_id(request.user)
    updated = [row for row in rows if row.action == "updated"]
    shown = [row.cadre.pk for row in updated if "id_number" in row.recorded and row.cadre]
    if full and any(shown):
        full_id_record(request, [pk for pk in shown if pk])
    for row in updated:
        changes = changes_shown(row.recorded, full_id=full)
        row.changes = {c.label: (c.before, c.after) for c in changes}


def _changes_text(fields: dict, full: bool) -> str:
    """An import row's changes in the import history; an ID number masked and a date of birth
    by month unless `full`."""
    changes = changes_shown(fields, full_id=full)
    return "；".join(f"{c.label}：{c.before} → {c.after}" for c in changes)


def confirm_view(request, site):
    if not can_import(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("admin:placements_placement_import")
    token = request.POST.get("token", "")
    upload = upload_of(request, token)
    if upload.state:  # a background upload: its import is queued, its page shows it
        if not uploads.upload_confirm(upload=upload):
            messages.warning(request, _("This upload cannot be confirmed now."))
        return redirect(uploads.status_url(upload))
    data, name, batch = bytes(upload.data), upload.file_name, upload.batch
    # The same limits as the upload's: a token is no way around them.
    result = importing.import_roster(
        data, name, batch=batch, user=request.user, source=RosterImport.Source.ADMIN,
        max_rows=settings.ROSTER_UPLOAD_MAX_ROWS,
    )  # fmt: skip
    if not result.ok:
        # The database changed since the preview (or someone else imported first).
        messages.error(
            request, _("Nothing was imported: ") + "；".join(map(str, result.problems[:5]))
        )
        return redirect("admin:placements_placement_import")
    _forget_upload(request, token)
    messages.success(
        request,
        _("Imported %(file)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.")
        % {
            "file": name,
            "new": result.count("new"),
            "updated": result.count("updated"),
            "unchanged": result.count("unchanged"),
        },
    )
    url = reverse("admin:placements_placement_changelist")
    batches = result.batches
    return redirect(f"{url}?batch__id__exact={batches[0].pk}" if len(batches) == 1 else url)


def error_file_view(request, site, token):
    if not can_import(request.user):
        raise PermissionDenied
    data, name, batch = _upload(request, token)
    result = importing.import_roster(
        data, name, batch=batch, dry_run=True, max_rows=settings.ROSTER_UPLOAD_MAX_ROWS
    )
    if not result.tables:  # refused whole: there is no file to give back
        raise Http404(str(result.problems[0]) if result.problems else "")
    stem = name.rsplit(".", 1)[0]
    # The file holds the personal data of its rows, known cadres or not.
    access_record(
        user=request.user,
        kind=AccessRecord.Kind.EXPORT,
        where=_("error file of %(name)s") % {"name": name},
        cadre_ids=[row.cadre.pk for row in result.rows if row.cadre and row.cadre.pk],
    )
    return _xlsx_download(
        workbooks.with_errors(result), _("%(name)s (errors).xlsx") % {"name": stem}
    )


def template_view(request, site):
    if not request.user.has_perm("placements.add_placement"):
        raise PermissionDenied
    return _xlsx_download(workbooks.blank_template(), _("roster template.xlsx"))


def export_view(request, site):
    """The placements the admin list shows with the same filters and search, all pages."""
    model_admin = site._registry[Placement]
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    fmt = request.GET.get("format", "xlsx")
    if fmt not in exporting.FORMATS:
        raise Http404
    params = request.GET.copy()
    params.pop("format", None)
    request.GET = params
    try:
        changelist = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters:
        return HttpResponseBadRequest(_("These filters are not valid."))
    placements = changelist.queryset
    return prepared.export_response(
        placements, fmt=fmt, user=request.user, filename=exporting.file_stem(placements)
    )


def _xlsx_download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@admin.action(permissions=["view"], description=gettext_lazy("Export selected as XLSX"))
def export_selected_xlsx(modeladmin, request, queryset):
    return prepared.export_response(
        queryset,
        fmt="xlsx",
        user=request.user,
        filename=exporting.file_stem(queryset, "花名册（选中）"),
    )


@admin.action(permissions=["view"], description=gettext_lazy("Export selected as CSV"))
def export_selected_csv(modeladmin, request, queryset):
    return prepared.export_response(
        queryset,
        fmt="csv",
        user=request.user,
        filename=exporting.file_stem(queryset, "花名册（选中）"),
    )


@admin.action(
    permissions=["view"],
    description=gettext_lazy("Export the rosters of the selected batches (XLSX)"),
)
def export_batches(modeladmin, request, queryset):
    placements = Placement.objects.visible_to(request.user).filter(batch__in=queryset)
    return prepared.export_response(
        placements, fmt="xlsx", user=request.user, filename=exporting.file_stem(placements)
    )


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyRecordAdmin, LargeTableAdmin, admin.ModelAdmin):
    list_display = ["created_at", "file_name", "user", "source", "outcome", "batch_list",
                    "new_count", "updated_count", "unchanged_count", "error_count"]  # fmt: skip
    list_filter = ["outcome", "source", ("batches", LatestBatchesFilter)]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "created_at"
    fields = ["created_at", "file_name", "user", "source", "outcome", "batch_list",
              ("new_count", "updated_count", "unchanged_count", "error_count"),
              "error_list", "change_list"]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("batches")

    def changelist_view(self, request, extra_context=None):
        # The user's large uploads not yet imported, to find them again (rosters/uploads.py).
        extra_context = {**(extra_context or {}), "uploads": uploads.uploads_of(request.user)}
        return super().changelist_view(request, extra_context)

    def has_module_permission(self, request):
        return can_import(request.user)

    def has_view_permission(self, request, obj=None):
        return can_import(request.user)

    @admin.display(description=gettext_lazy("batches"))
    def batch_list(self, obj):
        return "、".join(batch.code for batch in obj.batches.all())

    @admin.display(description=gettext_lazy("errors"))
    def error_list(self, obj):
        if not obj.errors:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}</li>", ((str(importing.Problem(**e)),) for e in obj.errors)
            ),
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.viewing_request = request  # change_list shows ID numbers by who reads them
        return obj

    @admin.display(description=gettext_lazy("changes by row"))
    def change_list(self, obj):
        changes = obj.changes.select_related("placement__cadre")[:PREVIEW_ROWS]
        if not changes:
            return "-"
        # ID numbers before → after in full only to those who may see them, and logged then.
        request = getattr(obj, "viewing_request", None)
        full = request is not None and privacy.shows_full_id(request.user)
        shown = [c.placement.cadre_id for c in changes if c.placement and "id_number" in c.fields]
        if full and shown:
            full_id_record(request, shown)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (c.row, c.placement.cadre.name if c.placement else "-", c.get_action_display(),
                 _changes_text(c.fields, full))
                for c in changes
            ),
        )  # fmt: skip
        return format_html('<table class="roster-changes">{}</table>', rows)

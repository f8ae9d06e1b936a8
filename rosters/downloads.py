"""The pages of an export made in the background (rosters/prepared.py), all for its asker only:

- /exports/<pk>/ says it is being prepared, with a progress bar (static/js/progress.js), then
  offers the download, or says why it failed;
- /exports/<pk>/progress/ is what the bar polls (JSON, the shape in progress.js's header);
- /exports/<pk>/download/ is the file, under its name, logged in the access log at each download.

Another user's export, or one forgotten, is 404; past its day it is 410 with a page that says so.
A file made with full ID numbers is no longer given to an asker who has lost the permission.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from spreadsheets.formulas import CONTENT_TYPES

from .exporting import can_see_full_id_numbers
from .models import RosterExport
from .prepared import export_downloaded, export_progress


def _export(request, pk, *, with_file=False) -> RosterExport:
    exports = RosterExport.objects.of(request.user)
    if not with_file:
        exports = exports.without_file()
    try:
        return exports.get(pk=pk)
    except RosterExport.DoesNotExist:
        raise Http404(_("No such export.")) from None


def _expired(request, export) -> HttpResponse:
    return render(request, "rosters/export_expired.html", {"export": export}, status=410)


@never_cache
@login_required
def export_page(request, pk):
    export = _export(request, pk)
    if export.expired():
        return _expired(request, export)
    return render(
        request,
        "rosters/export.html",
        {"export": export, "progress": export_progress(export)},
    )


@never_cache
@login_required
def export_progress_json(request, pk):
    export = _export(request, pk)
    progress = export_progress(export)
    if export.status == RosterExport.Status.READY:
        text = _("Ready: %(rows)s rows.") % {"rows": export.rows}
    elif export.status == RosterExport.Status.FAILED:
        text = _("The export failed.")
    elif export.status == RosterExport.Status.QUEUED:
        text = _("Waiting to start…")
    else:
        text = _("%(done)s of %(total)s rows written…") % progress
    return JsonResponse({**progress, "finished": export.finished, "text": text, "redirect": ""})


@never_cache
@login_required
def export_download(request, pk):
    export = _export(request, pk, with_file=True)
    if export.expired():
        return _expired(request, export)
    if export.status != RosterExport.Status.READY:
        raise Http404(_("This export is not ready."))
    if export.full_ids and not can_see_full_id_numbers(request.user):
        return render(request, "rosters/export_expired.html", {"export": export, "lost": True},
                      status=403)  # fmt: skip
    export_downloaded(export, user=request.user, where=f"{request.path} {export.file_name}")
    response = HttpResponse(bytes(export.content), content_type=CONTENT_TYPES[export.format])
    response["Content-Disposition"] = content_disposition_header(True, export.file_name)
    return response

"""A large roster upload's pages in the admin (rosters/uploads.py does the work): its status
page, which shows the progress, then the stored preview, the result or why it failed, and the
small JSON endpoint that page polls. Only the uploader sees them: another user's token is 404,
a user who may not import (a team lead) 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from placements.models import Placement

from . import uploads
from .admin_views import PREVIEW_ROWS, can_import, show_changes, upload_of


def status_view(request, site, token):
    if not can_import(request.user):
        raise PermissionDenied
    upload = upload_of(request, token, data=False)
    if not upload.state:  # a small upload, previewed in its request: no page of its own
        return redirect("admin:placements_placement_import")
    if request.method == "POST":  # check again, after a stall or a failure
        if not uploads.upload_restart(upload=upload):
            messages.warning(request, _("This upload cannot be started again now."))
        return redirect(uploads.status_url(upload))
    context = {
        **site.each_context(request),
        "title": _("Import a roster"),
        "opts": Placement._meta,
        "upload": upload,
        "progress": uploads.upload_progress(upload),
        "progress_url": reverse("admin:placements_placement_import_progress", args=[token]),
    }
    if upload.state == uploads.State.CHECKED:
        result, rows = uploads.preview_result(upload)
        show_changes(request, rows)
        context |= {
            "result": result,
            "token": upload.token,
            "shown_rows": rows,
            "counts": upload.preview.get("counts", {}),
            "preview_rows": PREVIEW_ROWS,
            "more_rows": upload.preview.get("more_rows", False),
        }
    elif upload.state == uploads.State.IMPORTED:
        url = reverse("admin:placements_placement_changelist")
        record = upload.roster_import
        batches = list(record.batches.all()) if record else []
        context["placements_url"] = (
            f"{url}?batch__id__exact={batches[0].pk}" if len(batches) == 1 else url
        )
    return TemplateResponse(request, "admin/placements/roster_upload.html", context)


@never_cache
def progress_view(request, site, token):
    """{"state", "stalled", "phase", "finished", "done", "total", "text", "redirect"}:
    rosters.uploads.upload_progress."""
    if not can_import(request.user):
        raise PermissionDenied
    upload = upload_of(request, token, data=False, preview=False)
    return JsonResponse(uploads.upload_progress(upload))

"""Exports made in the background: asked for in a request, made by the task `rosters.export_make`,
fetched from /exports/<pk>/ by their asker within a day, then forgotten (`rosters.exports_forget`).

- `export_ask` fixes what was asked (the placements' ids in the order on screen, the format, the
  file name, full ID numbers or not) in a RosterExport and starts the task; without a worker the
  task runs at once, in the request.
- `export_make` writes the file with rosters.exporting.write, in one transaction that holds the
  export's row (select_for_update): a second run waits for the first and then finds the export
  ready (or failed) and does nothing, and a run killed half-way leaves the export as it was, to
  be made again. The asker is told once the file is stored (notification_send is once per key,
  so a run again tells again harmlessly: a worker that died after storing still tells).
- `export_fail` marks it failed with the reason, said in the site's language (Chinese: the
  stored texts outlive the request that asked), and tells the asker.
- The asking is in the access log (rosters.prepared.export_response, as for a direct export);
  each download is logged again (`export_downloaded`): that is when the data leaves.
"""

import logging
import tempfile
from collections.abc import Iterable, Iterator
from io import BytesIO

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from cadreprog.background import enqueue, progress_get, progress_set
from notifications.models import Kind
from notifications.services import notification_send
from placements.models import Placement
from security.models import AccessRecord
from security.services import access_record, export_record

from .exporting import (
    CONTENT_TYPES,
    CsvChunks,
    can_see_full_id_numbers,
    is_big,
    placements_in_order,
    write,
    write_xlsx,
)
from .models import LIFETIME, RosterExport

logger = logging.getLogger(__name__)

PROGRESS = "export"  # cadreprog.background's progress kind
PROGRESS_EVERY = 500  # rows between two progress reports


def export_ask(placements, *, fmt: str, user, file_name: str, full_ids: bool, access=None):
    """Fix what `user` asked for and start making it; the RosterExport."""
    ids = list(dict.fromkeys(placements.values_list("pk", flat=True)))  # once each, in order
    export = RosterExport.objects.create(
        user=user, file_name=file_name, format=fmt, placement_ids=ids, total=len(ids),
        full_ids=full_ids, access=access,
    )  # fmt: skip
    progress_set(PROGRESS, export.pk, done=0, total=len(ids))
    enqueue("rosters.export_make", export.pk, key=f"export-{export.pk}")
    return export


def _reported(placements: Iterable[tuple], export_id: int, total: int) -> Iterator[tuple]:
    done = 0
    for done, placement in enumerate(placements, start=1):  # noqa: B007 (the count after)
        if done % PROGRESS_EVERY == 0:
            progress_set(PROGRESS, export_id, done=done, total=total)
        yield placement
    progress_set(PROGRESS, export_id, done=done, total=total)


def export_make(export_id: int) -> str:
    """Make the file of the export `export_id` unless it is made (or failed) already; what
    happened: "ready", "failed" or "gone" (forgotten, or its user deleted)."""
    RosterExport.objects.filter(pk=export_id, status=RosterExport.Status.QUEUED).update(
        status=RosterExport.Status.RUNNING
    )
    with transaction.atomic():
        export = (
            RosterExport.objects.select_for_update(of=("self",))  # not the user's row
            .select_related("user")
            .filter(pk=export_id)
        ).first()
        if export is None:
            return "gone"
        if not export.finished:
            out = BytesIO()
            placements = placements_in_order(export.placement_ids)
            placements = _reported(placements, export.pk, export.total)
            export.rows = write(placements, out, export.format, export.full_ids)
            export.content = out.getvalue()
            export.status = RosterExport.Status.READY
            export.error = ""
            export.finished_at = timezone.now()
            export.expires_at = export.finished_at + LIFETIME  # a day from when it is ready
            export.save()
    # Told after the file is stored, so that no fault of a delivery undoes it; a run again
    # (the worker died in between) tells again, which adds nothing when it was told.
    _tell(export)
    return export.status


def export_fail(export_id: int, *, reason: str) -> str:
    """Mark the export failed with `reason` and tell its asker, unless it is finished already."""
    with transaction.atomic():
        export = (
            RosterExport.objects.without_file()
            .select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=export_id)
        ).first()
        if export is None:
            return "gone"
        if not export.finished:
            export.status = RosterExport.Status.FAILED
            export.error = reason
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
    _tell(export)
    return export.status


def site_language():
    """The stored texts (a failure's reason, the notification) are in the site's language."""
    return translation.override(settings.LANGUAGE_CODE)


def fault_reason(*, database: bool, attempts: int = 1) -> str:
    with site_language():
        if database:
            return _(
                "The database could not be reached (tried %(attempts)s times). Please export "
                "again a little later."
            ) % {"attempts": attempts}
        return _(
            "The file could not be made because of an error in the system. Please export "
            "again; if it fails again, tell the administrator."
        )


def _tell(export: RosterExport) -> None:
    """The asker's notification of a ready or failed export (once: under export:<pk>)."""
    with site_language():
        if export.status == RosterExport.Status.READY:
            title = _("Your export %(name)s is ready") % {"name": export.file_name}
            until = date_format(timezone.localtime(export.expires_at), "DATETIME_FORMAT")
            body = _("%(rows)s rows. It can be downloaded until %(until)s.") % {
                "rows": export.rows,
                "until": until,
            }
            url = reverse("export-download", args=[export.pk])
        else:
            title = _("Your export %(name)s failed") % {"name": export.file_name}
            body, url = export.error, reverse("export-page", args=[export.pk])
    try:
        notification_send(
            users=[export.user], kind=Kind.EXPORT, key=f"export:{export.pk}", title=title[:200],
            body=body, url=url,
        )  # fmt: skip
    except Exception:  # the file stands: its page says it is ready whatever the telling does
        logger.exception("export %s: the asker could not be told", export.pk)


def export_progress(export: RosterExport) -> dict:
    """How far the making is: {"done", "total"} (from the progress the task reports)."""
    if export.status == RosterExport.Status.READY:
        return {"done": export.rows, "total": export.total}
    progress = progress_get(PROGRESS, export.pk)
    return {"done": progress.get("done", 0), "total": export.total}


def export_downloaded(export: RosterExport, *, user, where: str) -> AccessRecord:
    """Log a download in the access log: the cadres of the asking's record."""
    if export.access is not None:
        cadre_ids = export.access.cadre_ids
    else:  # the asking's record is gone: the cadres of the placements asked for
        ids = export.placement_ids
        cadre_ids = [
            cadre_id
            for start in range(0, len(ids), 900)
            for cadre_id in Placement.objects.filter(pk__in=ids[start : start + 900])
            .values_list("cadre_id", flat=True)
            .distinct()
        ]
    return access_record(user=user, kind=AccessRecord.Kind.EXPORT, where=where, cadre_ids=cadre_ids)


def exports_forget(now=None) -> int:
    """Delete the exports past their day; how many."""
    deleted, _by_model = RosterExport.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def export_response(placements, *, fmt: str, user, filename: str) -> HttpResponseBase:
    """An HTTP download of the roster of `placements`, ID numbers masked and dates of birth by
    month unless permitted. Above settings.EXPORT_BACKGROUND_ROWS rows, a redirect to the page of
    an export made in the background instead (rosters/prepared.py), which offers the file when
    it is ready."""
    # Every export holds personal data: the access log says who took which cadres' rows.
    record = export_record(placements, user=user, where=f"{filename}.{fmt}")
    full_ids = can_see_full_id_numbers(user)
    if is_big(placements):
        export = export_ask(
            placements, fmt=fmt, user=user, file_name=f"{filename}.{fmt}", full_ids=full_ids,
            access=record,
        )  # fmt: skip
        return redirect("export-page", export.pk)
    if fmt == "csv":
        response = StreamingHttpResponse(CsvChunks(placements, full_ids))
    else:
        # A workbook is a zip, written whole; it spills to a temporary file above 10 MB.
        spool = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
        write_xlsx(placements, spool, full_ids)
        spool.seek(0)
        response = FileResponse(spool)
    response["Content-Type"] = CONTENT_TYPES[fmt]
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response

"""Duty-progress uploads too long to import in a web request: imported by a background task
(ledger/tasks.py), their state kept on the DutyUpload so that any app server shows it.

A lead's upload of more than ROSTER_BACKGROUND_ROWS data rows (counted cheaply from the bytes,
spreadsheets.reading.count_rows) is stored and its import queued; the request answers at once
with the upload's status page, /lead/batches/<pk>/duties/import/<token>/, which polls the
progress endpoint (`upload_progress`, the roster upload's JSON). Smaller uploads are imported in
the request, as ever.

The inline import has no preview: a file without errors is imported at once, one with an error
is not imported at all and its errors are listed. The background import does the same in one
task: it reads, checks and (when nothing is wrong) writes, in one transaction.

States (DutyUpload.state, the progress JSON's "state"; the roster upload's names):
- "checking"  stored; the import (read, check, write) is queued or running;
- "imported"  written: `written` entries (the end);
- "failed"    nothing was written: the file has errors (`problems`, `problem_count`), or the
              import stopped (`failure`, in the user's words). It can be started again.
"checking" that reports no progress for ROSTER_STALL_SECONDS (a setting) is "stalled" in the
JSON: the worker may have died; the page then offers to start it again.

Invariants:
- the import never writes twice: the task locks the upload's row (select_for_update; SQLite's
  transactions start IMMEDIATE) and reads, checks and writes in that transaction, marking the
  upload "imported" (or "failed", with the file's errors) in it; a second task waits on the
  lock, then finds it finished and writes nothing;
- a task killed mid-import leaves nothing: the transaction rolls back and the lock goes with
  the connection; the upload stays "checking", stalls, and can be started again. An unexpected
  error rolls back as well and marks it "failed" (it can be started again); nothing is retried
  by itself;
- starting again skips an upload whose row a task holds (it is being imported now);
- the uploader is notified (Kind.IMPORT) when the import finishes or fails, once per (upload,
  attempt) (notification keys).
"""

import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cadreprog.background import (
    Reporter,
    enqueue,
    progress_forget,
    progress_get,
    progress_set,
    rows_progress,
    stalled,
)
from notifications.models import Kind
from notifications.services import notification_send

from . import importing
from .models import DutyUpload

logger = logging.getLogger(__name__)
State = DutyUpload.State
PROGRESS = "duty-upload"  # the progress's kind in cadreprog.background
LIFETIME = timedelta(days=1)  # how long an upload is kept, whatever became of it
PROBLEMS_KEPT = 500  # a file's errors kept to be listed (all are counted)


def status_url(upload: DutyUpload) -> str:
    return reverse("ledger-lead-duties-upload", args=[upload.batch_id, upload.token])


def upload_of(*, user, batch, token: str) -> DutyUpload | None:
    """The user's upload of this batch (the caller found the batch among those the user may
    see), without its content; None for anyone else's token."""
    return DutyUpload.objects.filter(user=user, batch=batch, token=token).defer("data").first()


def uploads_of(*, user, batch):
    """The user's uploads of the batch still to be seen to (being imported, failed), from the
    last LIFETIME, newest first, without their content."""
    return (
        DutyUpload.objects.filter(user=user, batch=batch, created_at__gte=timezone.now() - LIFETIME)
        .exclude(state=State.IMPORTED)
        .defer("data", "problems")
    )


def upload_start(*, user, batch, data: bytes, file_name: str, rows: int) -> DutyUpload:
    """Keep the upload and queue its import; the caller shows its status page."""
    uploads_forget()
    upload = DutyUpload.objects.create(
        token=secrets.token_hex(16), user=user, batch=batch, file_name=file_name, data=data,
        state=State.CHECKING, row_count=rows, started_at=timezone.now(),
    )  # fmt: skip
    _queue(upload)
    return upload


def upload_restart(*, upload: DutyUpload) -> bool:
    """Start again an import that failed or stalled. False when there is nothing to start
    again (imported, or running and not stalled, or held by a task importing it now)."""
    with transaction.atomic():
        upload = (
            DutyUpload.objects.select_for_update(skip_locked=True)
            .defer("data")
            .filter(pk=upload.pk)
            .first()
        )
        if upload is None or not (upload.state == State.FAILED or _stalled(upload)):
            return False
        upload.state, upload.failure, upload.problems, upload.problem_count = (
            State.CHECKING, "", [], 0,
        )  # fmt: skip
        upload.attempts += 1
        upload.started_at, upload.finished_at = timezone.now(), None
        upload.save(
            update_fields=[
                "state", "failure", "problems", "problem_count", "attempts", "started_at",
                "finished_at",
            ]
        )  # fmt: skip
    _queue(upload)
    return True


def _queue(upload: DutyUpload):
    progress_set(PROGRESS, upload.token, phase="queued", done=0, at=time.time())
    enqueue("ledger.upload_import", upload.pk, key=f"duty-import-{upload.token}-{upload.attempts}")


def upload_import(*, upload_id: int) -> str:
    """The task's work: read, check and write the upload, once (module docstring)."""
    try:
        with transaction.atomic():
            upload = (
                DutyUpload.objects.select_for_update(of=("self",))
                .select_related("batch", "user")
                .filter(pk=upload_id)
                .first()
            )
            if upload is None:
                return "gone"
            if upload.state == State.CHECKING:
                _import(upload)
    except Exception:
        logger.exception("importing duty upload %s failed", upload_id)
        DutyUpload.objects.filter(pk=upload_id, state=State.CHECKING).update(
            state=State.FAILED,
            failure=_("The import stopped on an unexpected error; nothing was written."),
            finished_at=timezone.now(),
        )
        upload = DutyUpload.objects.select_related("batch", "user").filter(pk=upload_id).first()
        if upload is None:
            return "gone"
    if upload.state != State.CHECKING:  # finished, now or by an earlier run: say so (once)
        progress_forget(PROGRESS, upload.token)
        _notify(upload)
    return upload.state


def _import(upload: DutyUpload):
    """Import the locked upload and store the outcome, in the caller's transaction."""
    result = importing.import_progress(
        bytes(upload.data), upload.file_name, batch=upload.batch, user=upload.user,
        max_rows=settings.ROSTER_UPLOAD_MAX_ROWS, progress=Reporter(PROGRESS, upload.token),
    )  # fmt: skip
    if result.ok:
        upload.state, upload.written = State.IMPORTED, result.written
        upload.data = b""  # written: the file is needed no more
    else:
        problems = result.problems
        upload.state, upload.problem_count = State.FAILED, len(problems)
        upload.problems = [str(problem) for problem in problems[:PROBLEMS_KEPT]]
    upload.finished_at = timezone.now()
    upload.save(
        update_fields=["state", "written", "data", "problems", "problem_count", "finished_at"]
    )


def _notify(upload: DutyUpload):
    """Tell the uploader how the import went: once when imported, once for each attempt that
    failed (the notifications' keys)."""
    name = upload.file_name
    if upload.state == State.IMPORTED:
        key = "imported"
        title = _("%(file)s is imported") % {"file": name}
        body = _("%(count)d progress entries imported.") % {"count": upload.written}
    else:
        key = f"failed:{upload.attempts}"
        title = _("The import of %(file)s failed") % {"file": name}
        body = upload.failure or (
            ngettext(
                "Not imported, nothing written: %(counter)s error.",
                "Not imported, nothing written: %(counter)s errors.",
                upload.problem_count,
            )
            % {"counter": upload.problem_count}
        )
    notification_send(
        users=[upload.user], kind=Kind.IMPORT, key=f"duty-upload:{upload.pk}:{key}", title=title,
        body=body, url=status_url(upload), batch=upload.batch,
    )  # fmt: skip


def _stalled(upload: DutyUpload, progress: dict | None = None) -> bool:
    """Running, but nothing reported for ROSTER_STALL_SECONDS (the worker may have died)."""
    if upload.state != State.CHECKING:
        return False
    if progress is None:
        progress = progress_get(PROGRESS, upload.token)
    return stalled(progress, upload.started_at or upload.created_at)


def upload_progress(upload: DutyUpload) -> dict:
    """The progress endpoint's JSON (cadreprog.background.rows_progress)."""
    running = upload.state == State.CHECKING
    return rows_progress(
        state=upload.state, label=upload.get_state_display(), running=running,
        progress=progress_get(PROGRESS, upload.token) if running else {},
        since=upload.started_at or upload.created_at, total=upload.row_count,
    )  # fmt: skip


def uploads_forget() -> int:
    """Delete uploads older than LIFETIME (one being imported stays, unless it has made no
    progress since then). Returns how many."""
    old = timezone.now() - LIFETIME
    deleted, _counts = (
        DutyUpload.objects.filter(created_at__lt=old)
        .exclude(Q(state=State.CHECKING) & Q(started_at__gte=old))
        .delete()
    )
    return deleted

"""Roster uploads too long to read in a web request: read, checked and written by background
tasks (rosters/tasks.py), their state kept on the RosterUpload so that any app server shows it.

An upload of more than ROSTER_BACKGROUND_ROWS data rows (counted cheaply from the bytes,
spreadsheets.reading.count_rows: CSV lines, XLSX <row> tags, XLS sheet sizes) is stored and
its check queued; the request answers at once with the upload's status page, which polls the
progress endpoint (`upload_progress`). Smaller uploads are read in the request, as ever.

States (RosterUpload.state, the progress JSON's "state"):
- ""          a small upload, previewed in the request (no status page);
- "checking"  stored; the check (a dry run) is queued or running;
- "checked"   the preview is stored (`preview`); `ok` says whether it can be confirmed;
- "writing"   confirmed (`confirmations` counts the confirmations); the import is queued or
              running;
- "imported"  written; `roster_import` is its record (the end);
- "failed"    `failure` says why, in the user's words. Failed while writing (`confirmed_at`
              set): nothing was written, and it can be confirmed again. Failed while checking
              (a file that cannot be read): upload it again.
The API's import of a large file (api/views/imports.py) starts "writing" at once (it has no
preview to confirm), or "checking" for a dry run; either keeps its outcome's JSON, the same as
`import_roster --json` prints, in `preview` (result_json).
"checking" and "writing" that report no progress for ROSTER_STALL_SECONDS (a setting, 60 by
default) are "stalled" in the JSON:
the worker may have died; the page then offers to check or confirm again.

Invariants:
- the check is safe to run twice: it stores its outcome, under a lock of the upload's row, only
  while the upload is still "checking";
- the write never writes twice for one confirmation: the task locks the upload's row
  (select_for_update; SQLite's transactions start IMMEDIATE) and runs the import in the same
  transaction, marking the upload "imported" in it; a second task waits on the lock, then finds
  it imported and does nothing;
- a task killed mid-import leaves nothing: the transaction rolls back and the lock goes with
  the connection; the upload stays "writing", stalls, and can be confirmed again;
- a file the user must fix is not retried: the state says why. Neither is an unexpected error
  (the state says the import stopped; confirming again runs it again).
- the uploader is notified (Kind.IMPORT) once the preview is ready, and when the import
  finishes or fails, once per (upload, confirmation) (notification keys).
"""

import logging
import secrets
import time
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
from placements.models import RosterImport, RosterUpload
from spreadsheets.problems import Problem

from . import importing

logger = logging.getLogger(__name__)
State = RosterUpload.State
PROGRESS = "roster-upload"  # the progress's kind in cadreprog.background
LIFETIME = timedelta(days=1)  # how long an upload waits for its confirmation
PREVIEW_ROWS = 1000  # the preview lists every error, and changes up to this many rows
WRITE_CHUNK_ROWS = 1000  # rows written at a time by the background import (its progress)
RUNNING = (State.CHECKING, State.WRITING)
RESULT = "result"  # the key, in RosterUpload.preview, of the last run's JSON (result_json)


def status_url(upload: RosterUpload) -> str:
    return reverse("admin:placements_placement_import_status", args=[upload.token])


def uploads_of(user):
    """The user's uploads still to be seen to: being checked, awaiting confirmation, being
    written, failed; newest first, without their content."""
    return (
        RosterUpload.objects.filter(user=user, created_at__gte=timezone.now() - LIFETIME)
        .exclude(state__in=[State.INLINE, State.IMPORTED])
        .defer("data", "preview")
        .select_related("batch")
    )


def upload_start(
    *, user, data: bytes, file_name: str, batch, rows: int, confirmed: bool = False
) -> RosterUpload:
    """Keep the upload and queue its check; the caller shows its status page. `confirmed` (the
    API's import, which has no preview to confirm): queue its import at once instead, which
    checks the file as it writes it (all or nothing)."""
    uploads_forget()
    state = {"state": State.CHECKING}
    if confirmed:
        state = {"state": State.WRITING, "confirmations": 1, "confirmed_at": timezone.now()}
    upload = RosterUpload.objects.create(
        token=secrets.token_hex(16), user=user, file_name=file_name, batch=batch, data=data,
        row_count=rows, **state,
    )  # fmt: skip
    progress_set(PROGRESS, upload.token, phase="queued", done=0, at=time.time())
    if confirmed:
        enqueue("rosters.upload_write", upload.pk, 1, key=f"roster-write-{upload.token}-1")
    else:
        enqueue("rosters.upload_check", upload.pk, key=f"roster-check-{upload.token}")
    return upload


def result_json(upload: RosterUpload) -> dict | None:
    """The JSON of the upload's last check or import (ImportResult.as_json, what
    `import_roster --json` prints), once it has finished; None before, or when it stopped on
    an unexpected error."""
    return (upload.preview or {}).get(RESULT)


def _unless_being_worked_on(upload: RosterUpload) -> RosterUpload | None:
    """The upload, locked, or None when a task holds it: its import is running now (however
    long it showed no progress), so there is nothing to start again. Never waits for the task:
    a request must not hang until an import ends."""
    return RosterUpload.objects.select_for_update(skip_locked=True).filter(pk=upload.pk).first()


def upload_restart(*, upload: RosterUpload) -> bool:
    """Start again what stalled or failed: the check, or (once confirmed) the import.
    False when there is nothing to start again."""
    if upload.confirmed_at is not None:
        return upload_confirm(upload=upload)
    with transaction.atomic():
        upload = _unless_being_worked_on(upload)
        if upload is None or not (upload.state == State.FAILED or _stalled(upload)):
            return False
        upload.state, upload.failure = State.CHECKING, ""
        upload.save(update_fields=["state", "failure"])
    progress_set(PROGRESS, upload.token, phase="queued", done=0, at=time.time())
    enqueue(
        "rosters.upload_check", upload.pk, key=f"roster-check-{upload.token}-{int(time.time())}"
    )
    return True


def upload_confirm(*, upload: RosterUpload) -> bool:
    """Confirm a checked upload, or confirm again one whose import failed or stalled: mark it
    "writing" and queue the import. False when it cannot be confirmed (not checked, has
    errors, imported already, or being written and not stalled)."""
    with transaction.atomic():
        upload = _unless_being_worked_on(upload)
        confirmable = upload is not None and (
            (upload.state == State.CHECKED and upload.ok)
            or (upload.state == State.FAILED and upload.confirmed_at is not None)
            or (upload.state == State.WRITING and _stalled(upload))
        )
        if not confirmable:
            return False
        upload.state, upload.failure = State.WRITING, ""
        upload.confirmations += 1
        upload.confirmed_at = timezone.now()
        upload.save(update_fields=["state", "failure", "confirmations", "confirmed_at"])
    progress_set(PROGRESS, upload.token, phase="queued", done=0, at=time.time())
    enqueue("rosters.upload_write", upload.pk, upload.confirmations,
        key=f"roster-write-{upload.token}-{upload.confirmations}",
    )  # fmt: skip
    return True


class _Reporter(Reporter):
    """import_roster's progress callback (cadreprog.background.Reporter), for an upload."""

    def __init__(self, token: str):
        super().__init__(PROGRESS, token)


def upload_check(*, upload_id: int) -> str:
    """The check task's work: a dry run of the upload, its preview stored. Safe twice."""
    upload = RosterUpload.objects.select_related("batch", "user").filter(pk=upload_id).first()
    if upload is None or upload.state != State.CHECKING:
        return "nothing to do"
    try:
        result = importing.import_roster(
            bytes(upload.data), upload.file_name, batch=upload.batch, user=upload.user,
            dry_run=True, source=RosterImport.Source.ADMIN,
            max_rows=settings.ROSTER_UPLOAD_MAX_ROWS, progress=_Reporter(upload.token),
        )  # fmt: skip
        with transaction.atomic():
            upload = RosterUpload.objects.select_for_update().get(pk=upload_id)
            if upload.state != State.CHECKING:
                return "nothing to do"  # another run of the check stored it first
            if not result.ok:
                importing.record_refusal(result, upload.user, RosterImport.Source.ADMIN)
            if result.tables:
                upload.state, upload.ok, upload.preview = State.CHECKED, result.ok, preview(result)
                upload.row_count = upload.preview["total"]  # read: no longer an estimate
            else:  # refused whole: not a roster, too long, no header …
                upload.state = State.FAILED
                upload.failure = "；".join(str(p) for p in result.problems[:5])
            upload.preview[RESULT] = result.as_json()
            upload.finished_at = timezone.now()
            upload.save(
                update_fields=["state", "ok", "preview", "row_count", "failure", "finished_at"]
            )
    except Exception:
        logger.exception("checking roster upload %s failed", upload_id)
        _fail(upload_id, State.CHECKING, _("Checking the file stopped on an unexpected error."))
        upload.refresh_from_db()
    progress_forget(PROGRESS, upload.token)
    _notify(upload)
    return upload.state


def upload_write(*, upload_id: int, confirmation: int) -> str:
    """The import task's work: write a confirmed upload, once (module docstring)."""
    try:
        with transaction.atomic():
            upload = (
                RosterUpload.objects.select_for_update(of=("self",))
                .select_related("batch", "user")
                .filter(pk=upload_id)
                .first()
            )
            if upload is None:
                return "gone"
            if upload.state != State.WRITING:
                done = upload  # imported by an earlier run (or not confirmed): write nothing
            else:
                result = importing.import_roster(
                    bytes(upload.data), upload.file_name, batch=upload.batch, user=upload.user,
                    source=RosterImport.Source.ADMIN, max_rows=settings.ROSTER_UPLOAD_MAX_ROWS,
                    chunk_rows=WRITE_CHUNK_ROWS, progress=_Reporter(upload.token),
                )  # fmt: skip
                upload.roster_import = result.roster_import
                if result.ok:
                    upload.state = State.IMPORTED
                else:  # the database changed since the preview; its refusal is recorded
                    upload.state = State.FAILED
                    upload.failure = "；".join(str(p) for p in result.problems[:5])
                upload.preview = {**(upload.preview or {}), RESULT: result.as_json()}
                upload.finished_at = timezone.now()
                upload.save(
                    update_fields=["state", "roster_import", "failure", "preview", "finished_at"]
                )
                done = upload
    except Exception:
        logger.exception("importing roster upload %s failed", upload_id)
        _fail(
            upload_id, State.WRITING,
            _("The import stopped on an unexpected error; nothing was written. Confirm it again."),
        )  # fmt: skip
        done = RosterUpload.objects.select_related("user").filter(pk=upload_id).first()
        if done is None:
            return "gone"
    if done.state in (State.IMPORTED, State.FAILED):
        progress_forget(PROGRESS, done.token)
        _notify(done, confirmation)
    return done.state


def _fail(upload_id: int, state: str, why: str):
    """Mark the upload failed, if it is still in `state` (a later run may have finished it)."""
    RosterUpload.objects.filter(pk=upload_id, state=state).update(
        state=State.FAILED, failure=why, finished_at=timezone.now()
    )


def _notify(upload: RosterUpload, confirmation: int = 0):
    """Tell the uploader how the check or the import went: once for the check, once for the
    import, once for each confirmation that failed (the notifications' keys)."""
    name = upload.file_name
    key = {State.IMPORTED: "imported", State.FAILED: f"failed:{confirmation}"}.get(
        upload.state, "checked"
    )
    if upload.state == State.CHECKED:
        title = (_("%(file)s is checked: confirm the import") if upload.ok else
                 _("%(file)s has errors and cannot be imported")) % {"file": name}  # fmt: skip
        body = ""
    elif upload.state == State.IMPORTED:
        record = upload.roster_import
        title = _("%(file)s is imported") % {"file": name}
        body = (
            _("%(new)d new, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "new": record.new_count,
                "updated": record.updated_count,
                "unchanged": record.unchanged_count,
            }
            if record
            else ""
        )
    elif upload.state == State.FAILED:
        title = _("The import of %(file)s failed") % {"file": name}
        body = upload.failure
    else:
        return
    notification_send(
        users=[upload.user], kind=Kind.IMPORT, key=f"roster-upload:{upload.pk}:{key}", title=title,
        body=body, url=status_url(upload),
    )  # fmt: skip


def _since(upload: RosterUpload):
    """When the running part began: the confirmation for the writing, else the upload."""
    return upload.confirmed_at if upload.state == State.WRITING else upload.created_at


def _stalled(upload: RosterUpload, progress: dict | None = None) -> bool:
    """Running, but nothing reported for ROSTER_STALL_SECONDS (the worker may have died)."""
    if upload.state not in RUNNING:
        return False
    if progress is None:
        progress = progress_get(PROGRESS, upload.token)
    return stalled(
        progress, upload.confirmed_at if upload.state == State.WRITING else upload.created_at
    )


def upload_progress(upload: RosterUpload) -> dict:
    """The progress endpoint's JSON (cadreprog.background.rows_progress)."""
    running = upload.state in RUNNING
    return rows_progress(
        state=upload.state, label=upload.get_state_display(), running=running,
        progress=progress_get(PROGRESS, upload.token) if running else {},
        since=_since(upload), total=upload.row_count,
    )  # fmt: skip


def uploads_forget() -> int:
    """Delete uploads older than LIFETIME that were never confirmed or are finished (an import
    being written stays, unless it has made no progress since then). Returns how many."""
    old = timezone.now() - LIFETIME
    deleted, _counts = (
        RosterUpload.objects.filter(created_at__lt=old)
        .exclude(Q(state=State.WRITING) & Q(confirmed_at__gte=old))
        .delete()
    )
    return deleted


def preview(result: importing.ImportResult) -> dict:
    """What the preview page shows of a dry run, as JSON: counts, the file's problems and
    warnings, and the rows shown (`shown_rows`), each with its changes as recorded (shown by
    whoever reads it, ID numbers masked or not)."""
    return {
        "file_name": result.file_name,
        "batches": [str(batch) for batch in result.batches],
        "counts": counts(result),
        "total": sum(result.count(a) for a in ("new", "updated", "unchanged", "error")),
        "file_problems": [p.as_dict() for p in result.file_problems],
        "ignored_columns": result.ignored_columns,
        "batch_warnings": [str(p) for p in result.batch_warnings],
        "suspect_id_numbers": [str(p) for p in result.suspect_id_numbers],
        "new_host_units": result.new_host_units,
        "resembling_host_units": result.resembling_host_units,
        "tables": len(result.tables),
        "more_rows": more_rows(result),
        "rows": [
            {
                "sheet": row.sheet,
                "number": row.number,
                "name": row.name,
                "batch": row.batch.code if row.batch else "",
                "action": row.action,
                "problems": [p.as_dict() for p in row.problems],
                "recorded": row.recorded,
                "cadre": row.cadre.pk if row.cadre else None,
            }
            for row in shown_rows(result)
        ],
    }


def preview_result(upload: RosterUpload) -> tuple[SimpleNamespace, list]:
    """A stored preview as the preview page reads a dry run's result: (result, shown rows)."""
    stored = upload.preview

    def problem(found: dict) -> Problem:
        return Problem(found["message"], found.get("row"), found.get("column", ""),
                       found.get("sheet", ""))  # fmt: skip

    result = SimpleNamespace(
        file_name=stored.get("file_name", upload.file_name),
        batches=stored.get("batches", []),
        file_problems=[problem(p) for p in stored.get("file_problems", [])],
        ignored_columns=stored.get("ignored_columns", []),
        batch_warnings=stored.get("batch_warnings", []),
        suspect_id_numbers=stored.get("suspect_id_numbers", []),
        new_host_units=stored.get("new_host_units", []),
        resembling_host_units=stored.get("resembling_host_units", {}),
        tables=[None] * stored.get("tables", 0),
        ok=upload.ok,
    )
    rows = [
        SimpleNamespace(
            sheet=row["sheet"],
            number=row["number"],
            name=row["name"],
            batch=SimpleNamespace(code=row["batch"]) if row["batch"] else None,
            action=row["action"],
            problems=[problem(p) for p in row["problems"]],
            recorded=row["recorded"],
            cadre=SimpleNamespace(pk=row["cadre"]),
            changes={},
        )  # fmt: skip
        for row in stored.get("rows", [])
    ]
    return result, rows


def counts(result) -> dict:
    return {
        "new": result.count("new"),
        "updated": result.count("updated"),
        "unchanged": result.count("unchanged"),
        "errors": len(result.problems),
        "error_rows": result.count("error"),
    }


def shown_rows(result) -> list:
    """The rows a preview lists: every row with an error, and the first PREVIEW_ROWS new or
    updated, in the file's order."""
    rows = [row for row in result.rows if row.action == "error"]
    rows += [row for row in result.rows if row.action in ("new", "updated")][:PREVIEW_ROWS]
    rows.sort(key=lambda row: (row.sheet, row.number))
    return rows


def more_rows(result) -> bool:
    return sum(1 for r in result.rows if r.action in ("new", "updated")) > PREVIEW_ROWS

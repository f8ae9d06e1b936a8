"""Background work: how a task is started and how it tells its progress.

Invariants every task keeps (Celery acknowledges a task when it has finished, so a task whose
worker died runs again, and a message may arrive twice):
- a task runs twice as it runs once: it claims its work in the database, in the transaction that
  does the work, under a key of its own (an upload's confirmation, a reminder's key), and does
  nothing when the work is already done;
- a task killed half-way leaves nothing half-written: its writes are one transaction;
- a task is started after the transaction that asked for it commits (`enqueue`), so the worker
  reads what the request wrote.

Without REDIS_URL (or with CELERY_TASK_ALWAYS_EAGER), tasks run inline, at once, in the process
that asks: the page then waits for the work, as it did before background work existed.

Progress lives in Django's cache (Redis, shared by every app server, when REDIS_URL is set) for a
day: a small dict that the page polls through a JSON endpoint.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

PROGRESS_SECONDS = 24 * 3600


def runs_inline() -> bool:
    """Whether tasks run in the asking process (no worker)."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def task_named(name: str):
    """The task registered under `name` ("rosters.upload_write"): each app's tasks.py is
    imported first, as a worker does at its start. By name, so that a service that starts a
    task need not import the tasks module that calls it (no circle between them)."""
    from .celery import app

    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(task, *args, key: str | None = None, **kwargs) -> None:
    """Start `task(*args, **kwargs)` (a task, or its name): inline at once without a worker;
    otherwise on the queue once the current transaction commits. `key` becomes the task's id
    (logs, the worker's view); it is no guard against running twice, which the task itself
    keeps."""
    if isinstance(task, str):
        task = task_named(task)
    if runs_inline():
        task.apply(args=args, kwargs=kwargs, task_id=key, throw=True)
        return
    transaction.on_commit(
        lambda: task.apply_async(args=args, kwargs=kwargs, task_id=key), robust=False
    )


def progress_key(kind: str, ident) -> str:
    return f"progress:{kind}:{ident}"


def progress_set(kind: str, ident, **fields) -> dict:
    """Merge `fields` into the progress of (`kind`, `ident`) and return it."""
    key = progress_key(kind, ident)
    progress = cache.get(key) or {}
    progress.update(fields)
    cache.set(key, progress, PROGRESS_SECONDS)
    return progress


def progress_get(kind: str, ident) -> dict:
    return cache.get(progress_key(kind, ident)) or {}


def progress_forget(kind: str, ident) -> None:
    cache.delete(progress_key(kind, ident))


class Reporter:
    """A progress callback for work that reports progress(phase, rows): the phase and the rows
    into the cache under (`kind`, `ident`), with the time ("at", for telling a stall), at most
    every REPORT_SECONDS per phase (a phase's first report always)."""

    REPORT_SECONDS = 0.5

    def __init__(self, kind: str, ident):
        self.kind, self.ident, self.phase, self.last = kind, ident, None, 0.0

    def __call__(self, phase: str, rows: int):
        now = time.monotonic()
        if phase == self.phase and now - self.last < self.REPORT_SECONDS:
            return
        self.phase, self.last = phase, now
        progress_set(self.kind, self.ident, phase=phase, done=rows, at=time.time())


def stalled(progress: dict, since) -> bool:
    """Whether work that reports to `progress` (a Reporter's) has reported nothing, since its
    start `since`, for ROSTER_STALL_SECONDS: its worker may have died."""
    last = max(progress.get("at") or 0, since.timestamp() if since else 0)
    return time.time() - last > settings.ROSTER_STALL_SECONDS


def rows_progress(*, state: str, label: str, running: bool, progress: dict, since, total: int):
    """The JSON a page of work by rows polls (static/js/progress.js): {"state", "stalled",
    "phase", "finished", "done", "total", "text", "redirect"}. `progress` is what the work's
    Reporter wrote, `label` the state's words, `total` the rows expected. `finished` once the
    page has something new to show (the work ended, or stalled): the page then reloads."""
    is_stalled = running and stalled(progress, since)
    phase = progress.get("phase", "queued") if running else ""
    done = progress.get("done", 0)
    texts = {
        "queued": _("Waiting for a worker to start…"),
        "read": _("Read %(done)d of about %(total)d rows"),
        "checked": _("Checked %(done)d of %(total)d rows"),
        "written": _("Written %(done)d of %(total)d rows"),
    }
    text = texts[phase] % {"done": done, "total": total} if phase in texts else str(label)
    if is_stalled:
        text = _("No progress for a minute: the work may have stopped. You can start it again.")
    return {
        "state": state,
        "stalled": is_stalled,
        "phase": phase,
        "finished": not running or is_stalled,
        "done": 0 if phase in ("queued", "") else done,
        "total": total if phase else 0,
        "text": text,
        "redirect": "",
    }

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

PROGRESS_SECONDS = 24 * 3600


def runs_inline() -> bool:
    """Whether tasks run in the asking process (no worker)."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def enqueue(task, *args, key: str | None = None, **kwargs) -> None:
    """Start `task(*args, **kwargs)`: inline at once without a worker; otherwise on the queue
    once the current transaction commits. `key` becomes the task's id (logs, the worker's
    view); it is no guard against running twice, which the task itself keeps."""
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

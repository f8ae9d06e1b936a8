"""The rosters' background work (cadreprog/background.py: each task runs twice as it runs once):
large uploads (the work and its states in rosters/uploads.py) and exports (rosters/prepared.py)."""

import logging

from celery import shared_task
from django.db import OperationalError

from . import prepared, uploads

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Large uploads (rosters/uploads.py)
# ---------------------------------------------------------------------------------------------


@shared_task(name="rosters.upload_check")
def upload_check(upload_id: int) -> str:
    """Read and check a large upload (a dry run) and store its preview."""
    return uploads.upload_check(upload_id=upload_id)


@shared_task(name="rosters.upload_write")
def upload_write(upload_id: int, confirmation: int) -> str:
    """Import a confirmed upload, once for all its confirmations."""
    return uploads.upload_write(upload_id=upload_id, confirmation=confirmation)


@shared_task(name="rosters.uploads_forget")
def uploads_forget() -> int:
    """Delete uploads older than a day that were never confirmed or are finished."""
    return uploads.uploads_forget()


# ---------------------------------------------------------------------------------------------
# Exports made in the background (rosters/prepared.py)
# ---------------------------------------------------------------------------------------------

EXPORT_RETRIES = 3  # a database fault is retried after 30 s, 60 s and 120 s, then it has failed


@shared_task(bind=True, name="rosters.export_make", max_retries=EXPORT_RETRIES)
def export_make(self, export_id: int) -> str:
    """Make a prepared export's file. A database fault (OperationalError: the server restarting,
    a failover, a lock timeout) is passing: retried with backoff by the worker, the work undone
    by its transaction; inline (the asker waiting in the request) it fails at once. Any other
    error would recur: the export fails with a reason the asker can read, the traceback goes to
    the log."""
    try:
        return prepared.export_make(export_id)
    except OperationalError as error:
        retries = self.request.retries
        if not self.request.is_eager and retries < EXPORT_RETRIES:
            logger.warning("export %s: database fault, retrying: %s", export_id, error)
            raise self.retry(exc=error, countdown=30 * 2**retries) from error
        logger.exception("export %s failed", export_id)
        reason = prepared.fault_reason(database=True, attempts=retries + 1)
        return prepared.export_fail(export_id, reason=reason)
    except Exception:  # an export that is ready already (telling failed) stays ready
        logger.exception("export %s: error", export_id)
        return prepared.export_fail(export_id, reason=prepared.fault_reason(database=False))


@shared_task(name="rosters.exports_forget")
def exports_forget() -> int:
    """Delete the exports past their day (hourly, CELERY_BEAT_SCHEDULE)."""
    return prepared.exports_forget()

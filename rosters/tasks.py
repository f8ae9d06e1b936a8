"""The roster's background tasks; the work is in rosters/uploads.py (states and invariants)."""

from celery import shared_task

from . import uploads


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

"""The ledger's background work (cadreprog/background.py: each task runs twice as it runs once):
large duty-progress uploads, their work and states in ledger/uploads.py."""

from celery import shared_task

from . import uploads


@shared_task(name="ledger.upload_import")
def upload_import(upload_id: int) -> str:
    """Read, check and write a large duty-progress upload, once."""
    return uploads.upload_import(upload_id=upload_id)


@shared_task(name="ledger.uploads_forget")
def uploads_forget() -> int:
    """Delete duty-progress uploads older than a day (hourly, CELERY_BEAT_SCHEDULE)."""
    return uploads.uploads_forget()

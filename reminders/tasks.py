"""The reminders' periodic task: beat runs it daily at 9:00 Shanghai time
(settings.CELERY_BEAT_SCHEDULE); `manage.py send_reminders` does the same from cron.

Run twice (a retry, a worker that died after sending, beat and cron both), it sends nothing new:
each reminder is sent once under its key (reminders/services.py). So a database that fails at
9:00 is simply tried again, after 1, 2, 4 … minutes (up to about an hour): the reminders then
go out late rather than not at all. Deliveries that fail are retried by the notifications."""

from celery import shared_task
from django.db import DatabaseError

from cohorts.terms import today

from .services import reminders_send


@shared_task(
    name="reminders.reminders_send",
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    max_retries=6,
)
def reminders_send_task() -> list[dict]:
    """Send the reminders due today, in Shanghai (the server's clock zone does not matter)."""
    return [sent.as_json() for sent in reminders_send(on=today())]

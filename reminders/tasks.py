"""The reminders' periodic task: beat runs it daily at 9:00 Shanghai time
(settings.CELERY_BEAT_SCHEDULE); `manage.py send_reminders` does the same from cron.

Run twice (a retry, a worker that died after sending, beat and cron both), it sends nothing new:
each reminder is sent once under its key (reminders/services.py)."""

from celery import shared_task

from cohorts.terms import today

from .services import reminders_send


@shared_task(name="reminders.reminders_send")
def reminders_send_task() -> list[dict]:
    """Send the reminders due today, in Shanghai (the server's clock zone does not matter)."""
    return [sent.as_json() for sent in reminders_send(on=today())]

"""Sending the reminders due on a day: `reminders_send`, for beat's daily task and for
`manage.py send_reminders` alike.

Each reminder goes through `notifications.services.notification_send` under its key, which
writes once per (user, key) and sends each delivery once: running twice on one day sends nothing
new, so beat and a cron job (or a retried task) may both run without doubling anything. The words
are rendered in the site's language (settings.LANGUAGE_CODE), whatever language the caller has
active: they are stored and sent, not shown to one reader.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import translation

from notifications.models import Notification
from notifications.services import muted_users, notification_send

from . import rules


@dataclass
class Sent:
    """One reminder and what sending it did (or would do, in a dry run)."""

    reminder: rules.Reminder
    new: int  # notifications written now (that would be written, in a dry run)
    chat: bool  # whether it goes to the batch's group chat (once per key, too)

    def as_json(self) -> dict:
        batch = self.reminder.batch
        return {
            "kind": self.reminder.kind,
            "key": self.reminder.key,
            "batch": batch.code if batch else None,
            "title": self.reminder.title,
            "recipients": len(self.reminder.users),
            "new_notifications": self.new,
            "chat": self.chat,
        }


def reminders_send(*, on: date, dry_run: bool = False) -> list[Sent]:
    """Send every reminder due on the Shanghai date `on`; with `dry_run`, send nothing and
    write nothing, and say what would be sent. Returns one `Sent` per reminder due."""
    with translation.override(settings.LANGUAGE_CODE):
        reminders = list(rules.due(on))
    result = []
    for reminder in reminders:
        batch = reminder.batch
        chat = bool(reminder.chat_body and batch is not None and batch.wechat_webhook)
        if dry_run:
            result.append(Sent(reminder, len(unsent(reminder)), chat))
            continue
        written = notification_send(
            users=reminder.users,
            kind=reminder.kind,
            key=reminder.key,
            title=reminder.title,
            body=reminder.body,
            url=reminder.url,
            batch=batch,
        )
        if chat:
            # The chat's words may differ from the users' (no names on check-in): a call of
            # its own, to nobody in the app, under the same key.
            notification_send(
                users=[],
                kind=reminder.kind,
                key=reminder.key,
                title=reminder.title,
                body=reminder.chat_body,
                url=reminder.url,
                batch=batch,
                chat=True,
            )
        result.append(Sent(reminder, len(written), chat))
    return result


def unsent(reminder: rules.Reminder) -> list:
    """The recipients who would get a new notification: active, not muted, not yet sent."""
    muted = muted_users(reminder.kind)
    sent = set(
        Notification.objects.filter(key=reminder.key, user__in=reminder.users).values_list(
            "user_id", flat=True
        )
    )
    return [u for u in reminder.users if u.is_active and u.pk not in muted and u.pk not in sent]

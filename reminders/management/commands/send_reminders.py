"""manage.py send_reminders: the reminders due on a day, for deployments that run cron rather
than beat. Exit status: 0 done, 2 a usage error (a bad date)."""

import json as json_module
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cohorts.terms import today
from reminders.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders due on a day (today in Shanghai by default). Each is sent once: "
        "running again the same day sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("the day, YYYY-MM-DD; today in Shanghai without it"))
        parser.add_argument("--dry-run", action="store_true", help=_("send nothing, write nothing"))
        parser.add_argument("--json", action="store_true", help=_("end with one line of JSON"))

    def handle(self, *args, date: str | None, dry_run: bool, json: bool, **options):
        on = parse_date(date) if date else today()
        sent = reminders_send(on=on, dry_run=dry_run)
        for item in sent:
            reminder = item.reminder
            batch = f" {reminder.batch.code}" if reminder.batch else ""
            self.stdout.write(
                f"{reminder.kind}{batch} · {reminder.key} · "
                + _("%(new)d of %(recipients)d recipients notified%(chat)s")
                % {
                    "new": item.new,
                    "recipients": len(reminder.users),
                    "chat": _(", and the group chat") if item.chat else "",
                }
            )
        summary = _("%(count)d reminders due on %(date)s; %(new)d new notifications.") % {
            "count": len(sent),
            "date": on.isoformat(),
            "new": sum(item.new for item in sent),
        }
        self.stdout.write(
            _("Dry run, nothing sent: %(summary)s") % {"summary": summary} if dry_run else summary
        )
        if json:
            self.stdout.write(json_module.dumps([s.as_json() for s in sent], ensure_ascii=False))


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            _("Not a date: %(date)s. Give it as YYYY-MM-DD, e.g. 2026-12-07.") % {"date": text},
            returncode=2,
        ) from None

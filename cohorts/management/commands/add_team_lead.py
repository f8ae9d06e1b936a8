"""Make a user the team lead of one or more batches: add_team_lead USERNAME --batch SZ-3."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from cadreprog.versioning import versioned_save
from cohorts.models import Batch
from cohorts.roles import LEAD_GROUP


class Command(BaseCommand):
    help = "Create or update a team lead: put the user in the team-lead group and link batches."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--batch",
            action="append",
            required=True,
            help="batch code such as SZ-3; repeat for several batches",
        )
        parser.add_argument("--password", help="set this password (otherwise left as it is)")
        parser.add_argument("--name", help="the lead's name as pages show it, e.g. 王伟")

    @transaction.atomic
    def handle(self, *args, username, batch, password=None, name=None, **options):
        batches = [self._batch(code) for code in batch]
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        if password:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        if name:
            user.first_name = name
        user.save()
        user.groups.add(Group.objects.get(name=LEAD_GROUP))
        for b in batches:
            b.leads.add(user)
            # A new version: a batch page opened before must not save its list of leads over it.
            versioned_save(obj=b, by=None)
        codes = "、".join(b.code for b in batches)
        if created:
            message = _("Created team lead %(user)s for %(batches)s.")
        else:
            message = _("%(user)s now leads %(batches)s.")
        self.stdout.write(message % {"user": username, "batches": codes})
        if created and not password:
            self.stdout.write(_("No password set: give one with --password."))

    def _batch(self, code):
        found = Batch.objects.by_code(code).first()
        if found is None:
            raise CommandError(
                _("No batch %(code)s. Give a batch code such as SZ-3.") % {"code": code}
            )
        return found

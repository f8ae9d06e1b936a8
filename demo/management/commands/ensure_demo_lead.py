"""`ensure_demo_lead`: the demo team lead `lead` of the example batch SZ-6, for `make run`.

Invariants: the user exists, is in the team-lead group and leads SZ-6 (when the demo has it);
its password comes from DEMO_LEAD_PASSWORD or, when that is not set, is generated and printed
once, when the user is created. A second run without DEMO_LEAD_PASSWORD writes nothing.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from cadreprog.versioning import versioned_save
from cohorts.models import Batch
from cohorts.roles import LEAD_GROUP

USERNAME = "lead"
BATCH = "SZ-6"
NAME = "示例队长"


class Command(BaseCommand):
    help = (
        "Make sure the demo team lead 'lead' of batch SZ-6 exists, with the password in "
        "DEMO_LEAD_PASSWORD or, when that is not set, a generated one printed once when the "
        "user is created."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        password = os.environ.get("DEMO_LEAD_PASSWORD")
        user = User.objects.filter(username=USERNAME).first()
        if user is None:
            generated = not password
            password = password or secrets.token_urlsafe(12)
            user = User.objects.create_user(USERNAME, password=password, first_name=NAME)
            if generated:
                self.stdout.write(
                    _("Created team lead lead with password: %(password)s") % {"password": password}
                )
                self.stdout.write(_("(printed once; set DEMO_LEAD_PASSWORD to choose one)"))
            else:
                self.stdout.write(_("Created team lead lead (password from DEMO_LEAD_PASSWORD)."))
        elif password:
            user.set_password(password)
            user.is_active = True
            user.save()
            self.stdout.write(_("Team lead lead exists; password set from DEMO_LEAD_PASSWORD."))
        else:
            self.stdout.write(_("Team lead lead exists; password unchanged."))
        group = Group.objects.get(name=LEAD_GROUP)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
        batch = Batch.objects.by_code(BATCH).first()
        if batch is None:
            self.stdout.write(
                _("No batch %(code)s in this database (demo data from before it was added).")
                % {"code": BATCH}
            )
        elif not batch.leads.filter(pk=user.pk).exists():
            batch.leads.add(user)
            # A new version: a batch page opened before must not save its list of leads over it.
            versioned_save(obj=batch, by=None)

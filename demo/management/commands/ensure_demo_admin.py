import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Make sure the superuser 'admin' exists, with the password in DEMO_ADMIN_PASSWORD "
        "or, when that is not set, a generated one printed once when the user is created."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        password = os.environ.get("DEMO_ADMIN_PASSWORD")
        user = User.objects.filter(username="admin").first()
        if user is None:
            generated = not password
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", password=password)
            if generated:
                self.stdout.write(
                    _("Created superuser admin with password: %(password)s")
                    % {"password": password}
                )
                self.stdout.write(_("(printed once; set DEMO_ADMIN_PASSWORD to choose one)"))
            else:
                self.stdout.write(_("Created superuser admin (password from DEMO_ADMIN_PASSWORD)."))
        elif password:
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
            self.stdout.write(_("Superuser admin exists; password set from DEMO_ADMIN_PASSWORD."))
        else:
            self.stdout.write(_("Superuser admin exists; password unchanged."))

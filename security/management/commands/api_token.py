from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from security.api_tokens import api_token_create


class Command(BaseCommand):
    help = (
        "Make a personal API token for a user and print it once (only its hash is kept); list "
        "and revoke tokens in the admin. Exit status 2 for an unknown or inactive user."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="days until it expires (default: never)"
        )
        parser.add_argument("--name", default="", help="what it is for, as the admin lists it")

    def handle(self, *args, username, expires_days, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("There is no active user %(username)s.") % {"username": username}, returncode=2
            )
        if expires_days is not None and expires_days < 1:
            raise CommandError(_("--expires-days is a number of days, 1 or more."), returncode=2)
        _token, key = api_token_create(user=user, name=name[:100], expires_days=expires_days)
        self.stdout.write(key)

"""Login throttling: django-axes counts failures per user name and address; this adds a limit
per user name alone, from whatever addresses.

Axes blocks a (user name, address) pair after AXES_FAILURE_LIMIT failures. An attacker with
many addresses (or, without the proxy in front, inventing X-Forwarded-For) would get that many
guesses from each. So a user name is blocked from everywhere, for the same cool-off, once it
has had AXES_USERNAME_FAILURE_LIMIT failures from all addresses together: a higher limit, so a
stranger cannot lock a colleague out as easily as the colleague's own typos would.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler, with the failures of a user name from all addresses as well."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)  # of this name from this address
        username = get_client_username(request, credentials)
        if (
            username
            and username_failures(username, request) >= settings.AXES_USERNAME_FAILURE_LIMIT
        ):
            return max(failures, get_failure_limit(request, credentials))
        return failures


def username_failures(username: str, request=None) -> int:
    """Failures of this user name from every address within the cool-off time."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

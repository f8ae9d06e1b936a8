"""Requests per token (issue 19): each personal token, else each logged-in user, else each
address, has its own allowance (settings.REST_FRAMEWORK's "api" rate, API_THROTTLE_RATE), kept in
the shared cache so that every app server counts together when REDIS_URL is set."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from security.models import ApiToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at each request, not at import as REST framework's class attribute is, so that a
        # changed setting (tests) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

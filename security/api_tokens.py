"""Personal API tokens (issue 19): made, revoked and checked here; the API (api/) and the admin
use them, the command line makes them (`manage.py api_token`).

Invariants: a key is 'cp_' and 43 random URL-safe characters (256 bits), printed once and never
stored: the database holds its SHA-256 (a key that long needs no slow hash) and its first
characters. A request with a revoked or expired token, or one of an inactive user, is refused
(401), never treated as anonymous. The last use is written at most once a minute per token, so
that reads do not each write a row.
"""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken

KEY_PREFIX = "cp_"
SHOWN_CHARACTERS = 10  # kept in clear: cp_ and 7 more, enough to tell a user's tokens apart
TOUCH_EVERY = timedelta(minutes=1)


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str = "", expires_days: int | None = None):
    """A new token for `user`: (the record, the key to give its owner once)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:SHOWN_CHARACTERS],
        key_hash=token_hash(key),
        expires_at=expires_at,
    )
    return token, key


def api_tokens_revoke(*, tokens) -> int:
    """Revoke the tokens of a queryset that are not revoked yet; how many were."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_user(key: str):
    """(user, token) for a key, or AuthenticationFailed saying why not."""
    token = None
    if key.isascii() and key.startswith(KEY_PREFIX):
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
    now = timezone.now()
    if token is None or not token.user.is_active:
        raise AuthenticationFailed(_("The API token is not valid."))
    if token.revoked_at is not None:
        raise AuthenticationFailed(_("The API token has been revoked."))
    if not token.usable(now):
        raise AuthenticationFailed(_("The API token has expired."))
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token


class BearerAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>` (DRF authentication). No such header: not this scheme's."""

    keyword = b"bearer"

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword:
            return None
        if len(words) != 2:
            raise AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        return api_token_user(words[1].decode("latin-1"))

    def authenticate_header(self, request):
        return 'Bearer realm="api"'

"""Who saw personal data: each view of a full ID number, each export holding personal data.

A record, not a working table: written by security.services, read by staff in the admin, never
changed or deleted from the app (the admin refuses it).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessRecord(models.Model):
    class Kind(models.TextChoices):
        FULL_ID_NUMBER = "full_id_number", _("Viewed full ID numbers")
        EXPORT = "export", _("Exported personal data")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text: the record outlives a deleted account, and the command line has no user.
    who = models.CharField(_("who"), max_length=150)
    kind = models.CharField(_("what"), max_length=20, choices=Kind)
    where = models.CharField(_("where"), max_length=300)
    cadre_count = models.PositiveIntegerField(_("cadres"), default=0)
    cadre_ids = models.JSONField(_("cadre ids"), default=list)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")

    def __str__(self):
        return f"{self.who} · {self.get_kind_display()} · {self.where}"


class ApiToken(models.Model):
    """A personal API token (issue 19): sent as `Authorization: Bearer <key>`, it acts as its
    user, with the user's permissions and scope. The key is shown once, when it is made
    (`manage.py api_token`); only its SHA-256 is kept, with its first characters to tell tokens
    apart. A revoked or expired token authenticates no one; records are kept, not deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("begins with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} · {self.name or self.prefix}"

    def usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

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

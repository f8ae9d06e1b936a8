"""A roster export made in the background (more rows than settings.EXPORT_BACKGROUND_ROWS).

What the user asked for is fixed when they ask: the placements' ids in the order on screen (a
snapshot, so that the file holds the rows the list showed, whatever is filtered or added later;
a placement deleted meanwhile is left out), the format and file name, and whether ID numbers are
shown in full, by the asker's permission at that moment. The task makes the file from that alone.

The file is kept in the database, not on a server's disk: several app servers share only the
database. Only its asker can get it, for a day (`expires_at`); `rosters.exports_forget` deletes it
afterwards. Pages that do not serve the file defer `content` and `placement_ids` (`without_file`).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from security.models import AccessRecord

LIFETIME = timedelta(days=1)


def expiry():
    return timezone.now() + LIFETIME


class RosterExportQuerySet(models.QuerySet):
    def without_file(self):
        return self.defer("content", "placement_ids")

    def of(self, user):
        """A user sees their own exports only."""
        return self.filter(user=user) if user.is_authenticated else self.none()


class RosterExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("export", "Queued")
        RUNNING = "running", pgettext_lazy("export", "Being prepared")
        READY = "ready", pgettext_lazy("export", "Ready")
        FAILED = "failed", pgettext_lazy("export", "Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(
        pgettext_lazy("export", "format"), max_length=4, choices=[("xlsx", "XLSX"), ("csv", "CSV")]
    )
    placement_ids = models.JSONField(_("placements"), default=list)
    total = models.PositiveIntegerField(pgettext_lazy("export", "rows"), default=0)
    full_ids = models.BooleanField(pgettext_lazy("export", "full ID numbers"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    content = models.BinaryField(_("file content"), null=True, blank=True)
    rows = models.PositiveIntegerField(pgettext_lazy("export", "rows written"), default=0)
    # The access log's record of the asking: a download logs the same cadres again.
    access = models.ForeignKey(
        AccessRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("export", "access log record"),
    )
    created_at = models.DateTimeField(pgettext_lazy("export", "created at"), auto_now_add=True)
    finished_at = models.DateTimeField(
        pgettext_lazy("export", "finished at"), null=True, blank=True
    )
    expires_at = models.DateTimeField(
        pgettext_lazy("export", "expires at"), default=expiry, db_index=True
    )

    objects = RosterExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    def expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

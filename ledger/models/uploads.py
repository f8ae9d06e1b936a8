"""A duty-progress spreadsheet too long to import in a web request, waiting for the worker.

In the database, not on a server's disk: with several app servers the worker and the page that
shows its progress may run anywhere. Only its uploader sees it, while they may see its batch; a
day after the upload it is deleted (ledger/uploads.py says how it moves through its states).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohorts.models import Batch


class DutyUpload(models.Model):
    class State(models.TextChoices):
        CHECKING = "checking", _("Being read, checked and imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", pgettext_lazy("duty upload", "Failed")

    token = models.CharField(_("token"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file content"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.CHECKING)
    row_count = models.PositiveIntegerField(_("rows (counted on upload)"), default=0)
    written = models.PositiveIntegerField(_("progress entries written"), default=0)
    problems = models.JSONField(_("errors in the file"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("errors in the file"), default=0)
    failure = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("uploaded duty progress")
        verbose_name_plural = _("uploaded duty progress")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name

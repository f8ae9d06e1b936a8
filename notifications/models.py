"""Notifications and their deliveries.

A `Notification` is what one user is told, shown under the bell; `key` makes it once only: the
same key for the same user is the same notification (a reminder sent twice, a task run twice).
A `Delivery` is one message on a channel outside the app (an e-mail to a user, a group-chat
message for a batch), also once only under its `key`, with its outcome and attempts recorded.
`Mute` turns one kind off for one user, on every channel.

The bell's count reads the partial index `notification_unread` (a user's unread rows only), so
it stays one cheap query however many notifications a user has read over the years.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohorts.models import Batch

from .text import plain


class Kind(models.TextChoices):
    DEPARTURE = "departure", _("Before a batch departs: who is not yet placed")
    CHECK_IN = "check_in", _("First day: who has not checked in")
    DAILY = "daily", _("Daily, to leads: duties due today and cadres behind")
    WEEKLY = "weekly", _("Weekly, to staff: every running batch's progress")
    DEFENCE = "defence", _("Three days before a mid-term defence")
    IMPORT = "import", _("An import of mine finished or failed")
    EXPORT = "export", _("An export of mine is ready")


# The kinds that can reach a team lead (their batches' reminders, their own duty-progress imports
# and exports); the weekly overview of every running batch goes to staff only. Staff may turn
# any kind on or off.
LEAD_KINDS = [Kind.DEPARTURE, Kind.CHECK_IN, Kind.DAILY, Kind.DEFENCE, Kind.IMPORT, Kind.EXPORT]


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("user"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("batch"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["user"], condition=Q(read_at=None), name="notification_unread"),
        ]

    def __str__(self):
        return self.title

    @property
    def text(self) -> str:
        """The body as the bell shows it: plain text (notifications/text.py)."""
        return plain(self.body)


class Delivery(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WECHAT = "wechat", _("Group chat (WeCom robot)")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery", "Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # The notification's key behind the channel and its recipient (email:<user>:<key>).
    key = models.CharField(_("key"), max_length=255, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries",
        verbose_name=_("notification"),
    )  # fmt: skip
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("batch"),
    )  # fmt: skip
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When the last attempt started: a delivery SENDING for long was left by a worker that died.
    tried_at = models.DateTimeField(_("last attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        permissions = [("retry_delivery", _("Can send failed messages again"))]
        indexes = [
            models.Index(fields=["tried_at"], condition=~Q(status="sent"), name="delivery_unsent"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.title}"


class Mute(models.Model):
    """One kind of notification turned off by one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("user"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)

    class Meta:
        verbose_name = _("muted kind")
        verbose_name_plural = _("muted kinds")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="mute_once")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"

"""The deliveries outside the app (e-mail, group chat), read-only, with "send again" for the
failed ones; and the batch's group-chat robot address as its change form edits it: shown
masked, replaced by a new value, kept when left blank, removed only by an explicit "clear"."""

from django import forms
from django.contrib import admin, messages
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cadreprog.pagination import LargeTableAdmin
from cadreprog.records import ReadOnlyRecordAdmin
from notifications.channels import (
    DeliveryError,
    is_web_address,
    webhook_masked,
    wechat_send,
)
from notifications.models import Delivery
from notifications.tasks import deliveries_requeue

from .filters import LatestBatchesFilter


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyRecordAdmin, LargeTableAdmin, admin.ModelAdmin):
    """Read-only for whoever may view deliveries (the staff group); "send again" needs
    notifications.retry_delivery (the staff group too)."""

    list_display = ["created_at", "status", "channel", "kind", "attempts", "recipient_shown",
                    "batch", "title", "error_shown", "sent_at"]  # fmt: skip
    list_filter = ["status", "channel", "kind", ("batch", LatestBatchesFilter)]
    list_select_related = ["batch__programme"]
    search_fields = ["recipient", "title", "key"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = ["created_at", "status", "channel", "kind", "attempts", "tried_at", "sent_at",
              "recipient", "batch", "title", "body", "url", "last_error"]  # fmt: skip

    def has_retry_permission(self, request):
        return request.user.has_perm("notifications.retry_delivery")

    @admin.display(description=_("recipient"), ordering="recipient")
    def recipient_shown(self, obj):
        return obj.recipient or (_("the batch's group chat") if obj.batch_id else "-")

    @admin.display(description=_("last error"))
    def error_shown(self, obj):
        text = obj.last_error
        return text if len(text) <= 80 else f"{text[:80]}…"

    @admin.action(description=_("Send the selected failed messages again"), permissions=["retry"])
    def send_again(self, request, queryset):
        count = deliveries_requeue(queryset.filter(status=Delivery.Status.FAILED))
        skipped = queryset.exclude(status=Delivery.Status.FAILED).count()
        message = ngettext(
            "%(count)d message queued to be sent again.",
            "%(count)d messages queued to be sent again.",
            count,
        ) % {"count": count}
        if skipped:
            message += " " + ngettext(
                "%(count)d was left: it has not failed.",
                "%(count)d were left: they have not failed.",
                skipped,
            ) % {"count": skipped}
        self.message_user(request, message, messages.SUCCESS if count else messages.WARNING)


class SecretInput(forms.TextInput):
    """A text box that never writes a value into the page, not even the one just typed into a
    form refused for another field: the address is entered again."""

    def format_value(self, value):
        return None


class WebhookFields(forms.Form):
    """The batch's robot address without its value on the page: the masked address as help,
    a new address, and "clear". Declared fields under names of their own, so that neither the
    widget nor the form's signed snapshot of the page (cadreprog/versioning.py) carries it."""

    wechat_webhook_new = forms.CharField(
        label=_("group-chat robot address"),
        required=False,
        max_length=500,
        widget=SecretInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 60}),
    )
    wechat_webhook_clear = forms.BooleanField(
        label=_("Remove the group-chat robot address"), required=False
    )

    @staticmethod
    def clean_address(value: str) -> str:
        value = (value or "").strip()
        try:
            if value:
                URLValidator(schemes=["http", "https"])(value)
        except forms.ValidationError:
            value = None
        if value is None or value and not is_web_address(value):
            raise forms.ValidationError(
                _("Enter the robot's address as it was given, starting with https:// or http://."),
                code="invalid",
            )
        return value


def webhook_form(base):
    """`base` (the batch admin's form class) with the robot address edited as WebhookFields."""

    class BatchWebhookForm(base):
        wechat_webhook_new = WebhookFields.base_fields["wechat_webhook_new"]
        wechat_webhook_clear = WebhookFields.base_fields["wechat_webhook_clear"]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            current = self.instance.wechat_webhook if self.instance.pk else ""
            new = self.fields["wechat_webhook_new"]
            if current:
                new.help_text = _(
                    "Now: %(address)s. Enter a new address to replace it; leave blank to keep it."
                ) % {"address": webhook_masked(current)}
            else:
                new.help_text = _(
                    "The WeCom group robot's webhook address; reminders for this batch go there. "
                    "Not set."
                )

        def clean_wechat_webhook_new(self):
            return WebhookFields.clean_address(self.cleaned_data.get("wechat_webhook_new"))

        def clean(self):
            cleaned = super().clean()
            new = cleaned.get("wechat_webhook_new")
            if new and cleaned.get("wechat_webhook_clear"):
                self.add_error(
                    "wechat_webhook_clear",
                    _("Either enter a new address or remove it, not both."),
                )
            elif new:
                self.instance.wechat_webhook = new
            elif cleaned.get("wechat_webhook_clear"):
                self.instance.wechat_webhook = ""
            return cleaned

    BatchWebhookForm.__name__ = f"{base.__name__}WithWebhook"
    return BatchWebhookForm


WEBHOOK_FIELDSET = (
    _("Group chat"),
    {"fields": ["wechat_webhook_new", "wechat_webhook_clear"]},
)


def send_test_message(modeladmin, request, queryset):
    """Post a short test message to each selected batch's group chat, at once, and say how
    each went (the address stays masked in every message)."""
    for batch in queryset:
        if not batch.wechat_webhook:
            modeladmin.message_user(
                request,
                _("%(batch)s has no group-chat robot address.") % {"batch": batch},
                messages.WARNING,
            )
            continue
        try:
            wechat_send(
                webhook=batch.wechat_webhook,
                title=str(_("Test message from cadre training")),
                body=str(
                    _("The group-chat robot of %(batch)s works: reminders will arrive here.")
                    % {"batch": batch}
                ),
                url="",
            )
        except DeliveryError as error:
            modeladmin.message_user(
                request,
                _("The test message to %(batch)s failed: %(error)s")
                % {"batch": batch, "error": error},
                messages.ERROR,
            )
        else:
            modeladmin.message_user(
                request,
                _("The test message to %(batch)s was sent.") % {"batch": batch},
                messages.SUCCESS,
            )


send_test_message.short_description = _("Send a test message to the group chat")
send_test_message.allowed_permissions = ("change",)

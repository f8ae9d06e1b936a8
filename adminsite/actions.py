"""Admin actions that move many placements along the status path (placements.models
.BULK_STATUS_SOURCES): those of the placement list, and those of the batch list, which move
whole batches. Each first shows a page naming the status and how many change and stay, as
delete_selected does; the message afterwards says what changed and why the others did not.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from placements.models import BULK_STATUS_SOURCES, Placement
from placements.services import placements_set_status, placements_status_preview


def status_action(status, *, name=None, description=None, placements_of=None):
    """An admin action that moves the selected placements (or those `placements_of` the
    selected objects, such as whole batches) forward to one status, with history; like
    delete_selected, it first shows a page that names the status and how many change."""
    label = Placement.Status(status).label

    def action(modeladmin, request, queryset):
        placements = placements_of(request, queryset) if placements_of else queryset
        if request.POST.get("post") != "yes":
            preview = placements_status_preview(placements=placements, status=status)
            context = {
                **modeladmin.admin_site.each_context(request),
                "title": gettext("Mark as “%(status)s”?") % {"status": label},
                "opts": modeladmin.model._meta,
                "preview": preview,
                "action": action.__name__,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
            }
            request.current_app = modeladmin.admin_site.name
            return TemplateResponse(request, "admin/placements/status_confirm.html", context)
        result = placements_set_status(placements=placements, status=status, by=request.user)
        level = messages.SUCCESS if result.changed and not result.left else messages.WARNING
        modeladmin.message_user(request, result.message(), level)
        return None

    action.__name__ = name or f"mark_{status}"
    description = description or format_lazy(_("Mark selected as “{status}”"), status=label)
    return admin.action(permissions=["change_placements"], description=description)(action)


def placement_status_actions():
    return [status_action(status) for status in BULK_STATUS_SOURCES]


def batch_status_actions():
    """The same for the batch list: every placement of the selected batches that may move."""

    def placements_of(request, batches):
        in_batches = Placement.objects.visible_to(request.user)
        return in_batches.filter(batch__in=batches.order_by().values("pk"))

    return [
        status_action(
            status,
            name=f"mark_batches_{status}",
            description=format_lazy(
                _("Mark all cadres of the selected batches as “{status}”"),
                status=Placement.Status(status).label,
            ),
            placements_of=placements_of,
        )
        for status in BULK_STATUS_SOURCES
    ]

"""Admin actions that move many placements along the status path (placements.models
.BULK_STATUS_SOURCES): those of the placement list, and those of the batch list, which move
whole batches. Each first shows a page naming the status and how many change and stay, as
delete_selected does; the message afterwards says what changed and why the others did not.
The host-unit list's merge action likewise first shows the units and asks which one to keep.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from placements.models import BULK_STATUS_SOURCES, Placement
from placements.services import (
    host_units_merge,
    placements_set_status,
    placements_status_preview,
)


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


MERGE_AT_MOST = 20  # units one merge page lists, each with a choice to keep it


@admin.action(permissions=["merge"], description=_("Merge the selected host units into one"))
def merge_host_units(modeladmin, request, queryset):
    """Merge the selected host units into the one the user chooses (host_units_merge): first a
    page listing them with their placements and former names, one of them chosen to keep."""
    units = list(queryset.order_by().with_counts().prefetch_related("aliases").order_by("name"))
    if not 2 <= len(units) <= MERGE_AT_MOST:
        message = gettext("Select from 2 to %(most)d host units to merge.")
        modeladmin.message_user(request, message % {"most": MERGE_AT_MOST}, messages.WARNING)
        return None
    by_pk = {str(unit.pk): unit for unit in units}
    keep = by_pk.get(request.POST.get("keep", ""))
    if request.POST.get("post") == "yes" and keep is not None:
        result = host_units_merge(keep=keep, units=queryset, by=request.user)
        modeladmin.message_user(request, result.message(), messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Merge host units"),
        "opts": modeladmin.model._meta,
        "units": units,
        "keep": keep or max(units, key=lambda unit: unit.placement_count),
        "action": "merge_host_units",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/placements/host_unit_merge.html", context)

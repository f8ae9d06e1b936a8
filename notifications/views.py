"""The notification centre: a user's own notifications (the list, opening one, marking all
read) and which kinds they receive. Every query is the user's own: another user's notification
is a 404, never a 403 that would tell it exists."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .models import Notification
from .services import (
    kinds_for,
    muted_kinds,
    mutes_set,
    notification_open,
    notifications_mark_read,
)

PAGE_SIZE = 30


@login_required
def notification_list(request):
    mine = Notification.objects.filter(user=request.user).select_related("batch")
    page = Paginator(mine.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open_view(request, pk):
    """Marks it read and follows its link (a path of this site only); else back to the list."""
    try:
        url = notification_open(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    return redirect(url or "notification-list")


@require_POST
@login_required
def notifications_read_all(request):
    count = notifications_mark_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect("notification-list")


class KindsForm(forms.Form):
    """One checkbox per kind the user may receive: ticked means on."""

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"] = forms.MultipleChoiceField(
            label=_("Tell me about"),
            choices=[(kind.value, kind.label) for kind in kinds],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )


@login_required
def notification_settings(request):
    kinds = kinds_for(request.user)
    values = [kind.value for kind in kinds]
    if request.method == "POST":
        form = KindsForm(request.POST, kinds=kinds)
        if form.is_valid():
            on = set(form.cleaned_data["on"])
            mutes_set(user=request.user, muted=[v for v in values if v not in on])
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notification-settings")
    else:
        muted = muted_kinds(request.user)
        form = KindsForm(initial={"on": [v for v in values if v not in muted]}, kinds=kinds)
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )

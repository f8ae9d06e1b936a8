"""Who may call an endpoint: the Django permissions of the pages, per method.

Each view names, in `required_permissions`, the permissions each method needs ("GET" stands
for the safe methods): the same codenames the pages check (cohorts/roles.py gives them to the
groups), so a lead and staff reach in the API what they reach on the site. Scope is not here:
each view's queryset is `visible_to(user)`, so another batch's object is a 404. Staff-only
endpoints ask for STAFF_ONLY, which leads do not have (403).

Anonymous requests are refused with 401 (the Bearer scheme is announced); an authenticated user
lacking a permission gets 403 naming it in words.
"""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

STAFF_ONLY = "cohorts.view_all_batches"


class HasPagePermissions(BasePermission):
    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        method = "GET" if request.method in SAFE_METHODS else request.method
        needed = getattr(view, "required_permissions", {}).get(method)
        if needed is None:
            return True  # an undeclared method is refused by the view itself (405)
        missing = [name for name in needed if not request.user.has_perm(name)]
        if missing:
            raise PermissionDenied(
                _("You do not have the permission this needs: %(permissions)s.")
                % {"permissions": "、".join(_permission_names(missing))}
            )
        return True


# Django names its own permissions in English ("Can add placement"); the 403 names them by
# what they allow and the model's Chinese name.
DEFAULT_ACTIONS = {
    "add": _lazy("Can add %(model)s"),
    "change": _lazy("Can change %(model)s"),
    "delete": _lazy("Can delete %(model)s"),
    "view": _lazy("Can view %(model)s"),
}


def _permission_names(names) -> list[str]:
    """Permissions in the user's words (可添加实训安排), for the 403's message."""
    shown = []
    for name in names:
        app_label, codename = name.split(".", 1)
        found = (
            Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            .select_related("content_type")
            .first()
        )
        model = found.content_type.model_class() if found else None
        action = codename.split("_", 1)[0]
        if (
            model is not None
            and action in DEFAULT_ACTIONS
            and codename == f"{action}_{model._meta.model_name}"
        ):
            shown.append(str(DEFAULT_ACTIONS[action] % {"model": model._meta.verbose_name}))
        else:
            shown.append(_(found.name) if found else name)
    return shown

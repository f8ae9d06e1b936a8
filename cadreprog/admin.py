from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 5.2's Chinese catalogue lacks the title prefix of a refused form; ours supplies it.
gettext_noop("Error:")

# Staff work top-down: programme → batch → cadre, then host units and placements; users last.
APP_ORDER = ["cohorts", "placements", "auth"]
MODEL_ORDER = ["programme", "batch", "cadre", "hostunit", "placement"]


class AdminSite(admin.AdminSite):
    site_header = _("Cadre training administration")
    site_title = _("Cadre training administration")
    index_title = _("Programmes, batches and placements")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        apps.sort(key=lambda app: _position(APP_ORDER, app["app_label"]))
        for app in apps:
            app["models"].sort(
                key=lambda model: _position(MODEL_ORDER, model["object_name"].lower())
            )
        return apps


def _position(order, name):
    return order.index(name) if name in order else len(order)


class CadreprogAdminConfig(AdminConfig):
    default_site = "cadreprog.admin.AdminSite"

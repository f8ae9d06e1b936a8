from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Messages of Django 5.2's admin templates that its Chinese catalogue lacks; ours supplies them.
ADMIN_MESSAGES_MISSING_IN_DJANGO = [
    gettext_noop("Error:"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]

# Staff work top-down: programme → batch → cadre, then host units and placements; users last.
APP_ORDER = ["cohorts", "placements", "ledger", "security", "auth"]
MODEL_ORDER = ["programme", "batch", "cadre", "hostunit", "placement"]


class AdminSite(admin.AdminSite):
    site_header = _("Cadre training administration")
    site_title = _("Cadre training administration")
    index_title = _("Programmes, batches and placements")

    def get_urls(self):
        from placements import admin_roster as roster  # the models are loaded by now

        def view(function):
            return self.admin_view(lambda request, **kwargs: function(request, self, **kwargs))

        # Before the model URLs, whose catch-all would read "import" as a placement's id.
        prefix = "placements/placement/"
        return [
            path(f"{prefix}import/", view(roster.import_view), name="placements_placement_import"),
            path(
                f"{prefix}import/confirm/",
                view(roster.confirm_view),
                name="placements_placement_import_confirm",
            ),
            path(
                f"{prefix}import/<str:token>/errors/",
                view(roster.error_file_view),
                name="placements_placement_import_errors",
            ),
            path(
                f"{prefix}import/template/",
                view(roster.template_view),
                name="placements_placement_import_template",
            ),
            path(f"{prefix}export/", view(roster.export_view), name="placements_placement_export"),
            *super().get_urls(),
        ]

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

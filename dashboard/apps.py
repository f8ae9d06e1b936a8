from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Staff's pages outside the admin: the dashboard and the filtered lists."""

    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cohorts.models import Batch, Cadre, Programme
        from placements.models import HostUnit, Placement
        from placements.signals import roster_changed

        from .figures import figures_changed

        # What the dashboard counts: a single write, or many at once (imports, bulk status).
        roster_changed.connect(figures_changed, dispatch_uid="dashboard-roster-changed")
        for model in (Programme, Batch, Cadre, HostUnit, Placement):
            post_save.connect(figures_changed, sender=model, dispatch_uid=f"figures-{model}")
            post_delete.connect(figures_changed, sender=model, dispatch_uid=f"figures-{model}-")

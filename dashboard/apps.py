from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Staff's pages outside the admin: the dashboard and the filtered lists."""

    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cohorts.models import Batch, Cadre, Programme
        from ledger.models import Duty, ProgressEntry, Project, Suggestion
        from ledger.signals import ledger_changed
        from placements.models import HostUnit, Placement
        from placements.signals import roster_changed

        from .figures import figures_changed
        from .ledger_figures import ledger_figures_changed
        from .tasks import refresh_soon

        # What the dashboard counts: a single write, or many at once (imports, bulk status).
        # The cache counts again (figures_changed), and a worker counts ahead (refresh_soon).
        for receiver in (figures_changed, refresh_soon):
            name = receiver.__name__
            roster_changed.connect(receiver, dispatch_uid=f"dashboard-roster-changed-{name}")
            for model in (Programme, Batch, Cadre, HostUnit, Placement):
                uid = f"{name}-{model}"
                post_save.connect(receiver, sender=model, dispatch_uid=uid)
                post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-")
        # The ledger's figures (outcomes, duty roll-ups) count again on their own version: a
        # progress entry never recounts the roster's figures (dashboard/ledger_figures.py).
        receiver = ledger_figures_changed
        ledger_changed.connect(receiver, dispatch_uid="dashboard-ledger-changed")
        for model in (Duty, ProgressEntry, Suggestion, Project):
            uid = f"dashboard-ledger-{model}"
            post_save.connect(receiver, sender=model, dispatch_uid=uid)
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-")

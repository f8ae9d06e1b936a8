from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Host units and placements")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cohorts.models import Batch, Cadre, Programme

        from .models import HostUnit, Placement
        from .statistics import figures_changed

        # What the dashboard counts; bulk writes (imports, status actions) call it themselves.
        for model in (Programme, Batch, Cadre, HostUnit, Placement):
            post_save.connect(figures_changed, sender=model, dispatch_uid=f"figures-{model}")
            post_delete.connect(figures_changed, sender=model, dispatch_uid=f"figures-{model}-")

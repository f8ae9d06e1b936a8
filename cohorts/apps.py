from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Programmes and cadres")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import sync_groups_after_migrate

        # Permissions added by later migrations reach the groups (cohorts/roles.py).
        post_migrate.connect(sync_groups_after_migrate, dispatch_uid="cohorts.sync_groups")

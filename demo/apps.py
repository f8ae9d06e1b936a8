from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data (`seed_demo`) and the demo superuser (`ensure_demo_admin`) of `make run`."""

    name = "demo"
    verbose_name = _("Demo data")

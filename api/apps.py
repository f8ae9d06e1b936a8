from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API under /api/v1/ (issue 19) for the department's other systems."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        from . import schema  # noqa: F401 (registers the token scheme with drf-spectacular)

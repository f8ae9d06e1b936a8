from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications: the bell in the app, e-mail and the batch's group chat, each delivery
    recorded once under its key."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import checks  # noqa: F401 (registers the deploy check)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Login security (two-factor login, idle sessions) and the personal-data access log."""

    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import mark_renewed
        from .two_factor import remember_devices

        user_logged_in.connect(remember_devices, dispatch_uid="security.remember_devices")
        user_logged_in.connect(mark_renewed, dispatch_uid="security.mark_renewed")

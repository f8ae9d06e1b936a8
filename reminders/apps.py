from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders: which notifications are due on a day (departures, check-ins, duties, weekly
    progress, defences), sent by beat or by `manage.py send_reminders`."""

    name = "reminders"
    verbose_name = _("Reminders")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadConfig(AppConfig):
    """The team leads' pages (/lead/): their batches, placements, edits, statuses, history."""

    name = "lead"
    verbose_name = _("Team leads")

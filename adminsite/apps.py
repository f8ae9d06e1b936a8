from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminsiteConfig(AppConfig):
    """The admin's model admins, mixins, filters and actions, over every app below it; the site
    itself is adminsite/site.py (installed as Django's admin app, CadreprogAdminConfig)."""

    name = "adminsite"
    verbose_name = _("Administration")

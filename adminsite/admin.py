"""Registers every model admin of the site: Django's autodiscovery imports this module."""

from . import cohorts, ledger, notifications, placements, security  # noqa: F401 (they register their admins)

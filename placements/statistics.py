"""Kept for placements/importing.py only, which calls `statistics.figures_changed` after an
import; the dashboard's figures are dashboard/figures.py. Once the import calls
`signals.announce_roster_changed` itself, this module goes."""

from .signals import announce_roster_changed as figures_changed

__all__ = ["figures_changed"]

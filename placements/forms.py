"""The placement form every editor uses: the team leads' page and the admin (change form,
inlines) alike."""

from cadreprog.versioning import VersionedModelForm

from .services import PlacementChangedMeanwhile


class VersionedPlacementForm(VersionedModelForm):
    """A placement form that saves only on the version it was opened on (the lost-update
    guard, cadreprog/versioning.py); the admin's change form and inlines use it too."""

    conflict_class = PlacementChangedMeanwhile

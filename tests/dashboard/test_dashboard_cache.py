"""The dashboard's cache (dashboard/figures.py) counts again after any write to what it counts:
a save, or a bulk write that placements announce with `roster_changed` (placements/signals.py)."""

import datetime

import pytest

from dashboard import figures
from placements.models import PlacementStatus
from placements.services import placements_set_status
from placements.signals import announce_roster_changed

from ..factories import PlacementFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2021, 11, 1)


def counted_at(user):
    return figures.dashboard(user, ON).counted_at


def test_staffs_figures_are_kept_while_nothing_changes(admin_user, sz3):
    first = counted_at(admin_user)
    assert counted_at(admin_user) == first


def test_roster_changed_makes_the_dashboard_count_again(admin_user, sz3):
    first = counted_at(admin_user)
    announce_roster_changed()
    assert counted_at(admin_user) > first


def test_a_roster_import_makes_the_dashboard_count_again(
    admin_user, sz3, django_capture_on_commit_callbacks
):
    from rosters.importing import import_roster

    from ..roster_files import csv_bytes, person, table

    first = counted_at(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_roster(csv_bytes(table([person(1)])), "sz3.csv").ok
    assert counted_at(admin_user) > first


def test_a_bulk_status_change_makes_the_dashboard_count_again(
    admin_user, sz3, django_capture_on_commit_callbacks
):
    placement = PlacementFactory(batch=sz3)
    first = counted_at(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        placements_set_status(
            placements=type(placement).objects.all(), status=PlacementStatus.ON_SITE, by=None
        )
    assert counted_at(admin_user) > first


def test_a_saved_placement_makes_the_dashboard_count_again(admin_user, sz3):
    first = counted_at(admin_user)
    PlacementFactory(batch=sz3)
    assert counted_at(admin_user) > first


def test_a_placement_saved_with_a_new_role_only_keeps_the_figures(admin_user, sz3):
    placement = PlacementFactory(batch=sz3)
    placement = type(placement).objects.get(pk=placement.pk)  # as a form reads it
    first = counted_at(admin_user)
    placement.role = "投资经理"
    placement.save()
    assert counted_at(admin_user) == first


def test_a_placement_saved_with_a_counted_field_changed_counts_again(admin_user, sz3):
    placement = PlacementFactory(batch=sz3)
    placement = type(placement).objects.get(pk=placement.pk)
    first = counted_at(admin_user)
    placement.role = "投资经理"
    placement.district = "市南区"
    placement.save()
    assert counted_at(admin_user) > first


def test_a_new_placement_counts_again(admin_user, sz3):
    first = counted_at(admin_user)
    PlacementFactory(batch=sz3)
    assert counted_at(admin_user) > first


def test_a_placement_saved_twice_compares_with_what_it_saved_last(admin_user, sz3):
    placement = PlacementFactory(batch=sz3, status=PlacementStatus.PENDING)
    placement = type(placement).objects.get(pk=placement.pk)
    placement.status = PlacementStatus.WITHDRAWN
    placement.save()
    first = counted_at(admin_user)
    placement.status = PlacementStatus.PENDING  # back to what was read, not what is stored
    placement.save()
    assert counted_at(admin_user) > first


def test_a_placement_made_by_hand_counts_again_whatever_it_changes(admin_user, sz3):
    stored = PlacementFactory(batch=sz3)
    by_hand = type(stored)(**{f.attname: getattr(stored, f.attname)
                              for f in type(stored)._meta.concrete_fields})  # fmt: skip
    first = counted_at(admin_user)
    by_hand.role = "投资经理"
    by_hand.save()
    assert counted_at(admin_user) > first

"""The lists' choices (dashboard/choices.py): staff's are kept at the dashboard's version, so a
view reads none of them again until something they show changes; a team lead's are read on
each view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placements.signals import announce_roster_changed

from ..factories import BatchFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def offered(response, name):
    return [value for value, _label in response.context["filter"].form.fields[name].choices]


def test_a_second_view_reads_no_choices(staff_client, sz3, django_assert_num_queries):
    PlacementFactory.create_batch(3, batch=sz3)
    staff_client.get("/placements/", {"batch": "SZ-3"})
    # 1 session, 2 user, 3 count, 4 the page's rows, 5 the bell's unread count
    with django_assert_num_queries(5):
        staff_client.get("/placements/", {"batch": "SZ-3"})


def test_a_new_batch_is_offered_at_once(staff_client, shenzhen, sz3):
    staff_client.get("/placements/")
    BatchFactory(programme=shenzhen, number=4)
    assert "SZ-4" in offered(staff_client.get("/placements/"), "batch")


def test_a_new_host_unit_in_a_batch_is_offered_at_once(staff_client, sz3):
    PlacementFactory(batch=sz3)
    staff_client.get("/placements/", {"batch": "SZ-3"})
    added = PlacementFactory(batch=sz3, host_unit=HostUnitFactory(name="腾讯"))
    units = offered(staff_client.get("/placements/", {"batch": "SZ-3"}), "host_unit")
    assert str(added.host_unit_id) in units


def test_a_bulk_change_raises_the_version_too(staff_client, sz3, django_assert_num_queries):
    PlacementFactory(batch=sz3)
    staff_client.get("/placements/", {"batch": "SZ-3"})
    announce_roster_changed()
    # 3–5 the choices again: batches, host units of the batch, groups/districts/statuses
    with django_assert_num_queries(8):
        staff_client.get("/placements/", {"batch": "SZ-3"})


def test_the_unit_a_link_asks_for_is_offered_beside_the_kept_ones(staff_client, sz3, sh5):
    PlacementFactory(batch=sz3)
    elsewhere = PlacementFactory(batch=sh5).host_unit_id
    staff_client.get("/placements/", {"batch": "SZ-3"})
    response = staff_client.get("/placements/", {"batch": "SZ-3", "host_unit": elsewhere})
    assert str(elsewhere) in offered(response, "host_unit")


def test_a_leads_choices_are_read_on_each_view(client, django_user_model, sz3):
    lead = django_user_model.objects.create_user("lead-sz3", password="x")
    sz3.leads.add(lead)
    client.force_login(lead)
    PlacementFactory(batch=sz3)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get("/placements/")
        counts.append(len(queries))
    assert counts[0] == counts[1]

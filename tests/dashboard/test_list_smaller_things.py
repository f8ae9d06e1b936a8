"""The lists on a phone and their small helps (issue 16): placements as cards with their names
linked, breadcrumbs, the host-unit search saying what it searches, the favicon."""

import pytest
from django.urls import reverse

from ..factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_a_leads_placement_names_link_to_the_placement(client, lead_sz3, sz3):
    placement = PlacementFactory(batch=sz3)
    client.force_login(lead_sz3)
    page = client.get(reverse("placement-list")).content.decode()
    assert f'href="{reverse("lead-placement", args=[placement.pk])}"' in page


def test_the_placement_list_is_marked_to_show_cards_on_a_phone(staff_client, sz3):
    PlacementFactory(batch=sz3)
    page = staff_client.get(reverse("placement-list")).content.decode()
    assert '<table class="list cards">' in page and 'data-label="批次"' in page

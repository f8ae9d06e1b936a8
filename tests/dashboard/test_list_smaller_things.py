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


@pytest.mark.parametrize("url", ["/placements/", "/cadres/", "/host-units/"])
def test_each_list_has_a_breadcrumb_home(staff_client, url):
    page = staff_client.get(url).content.decode()
    assert f'<p class="crumbs"><a href="{reverse("dashboard")}">' in page


def test_a_leads_breadcrumb_leads_to_their_batches(client, lead_sz3):
    client.force_login(lead_sz3)
    page = client.get("/placements/").content.decode()
    assert f'<p class="crumbs"><a href="{reverse("lead-home")}">' in page


def test_the_admin_links_back_to_the_lists(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    for url in ("/placements/", "/cadres/", "/host-units/"):
        assert f'href="{url}"' in page


def test_the_host_unit_search_says_it_reads_pinyin(staff_client):
    page = staff_client.get("/host-units/").content.decode()
    assert 'placeholder="单位名称或拼音、干部姓名、原单位"' in page


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".ico")


def test_pages_link_the_icon(client):
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in page

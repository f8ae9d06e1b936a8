"""/placements/ and /cadres/: login, scope, count, pagination, sorting links, bounded queries."""

import pytest
from django.urls import reverse

from ..factories import BatchFactory, CadreFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db

LISTS = ["/placements/", "/cadres/"]


@pytest.fixture
def sh5(shanghai):
    return BatchFactory(programme=shanghai, number=5)


@pytest.fixture
def lead_client(client, django_user_model, sz3):
    user = django_user_model.objects.create_user("lead-sz3", password="x")
    sz3.leads.add(user)
    client.force_login(user)
    return client


def rows(response):
    return list(response.context["page_obj"].object_list)


def test_url_names():
    assert (reverse("placement-list"), reverse("cadre-list")) == ("/placements/", "/cadres/")


@pytest.mark.parametrize("url", [*LISTS, "/placements/export/", "/cadres/export/"])
def test_anonymous_users_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response.url


def test_placement_list_shows_the_count_and_rows(staff_client, sz3):
    PlacementFactory.create_batch(3, batch=sz3)
    response = staff_client.get("/placements/")
    assert len(rows(response)) == 3
    assert "3 条结果" in response.content.decode()


def test_filter_state_comes_from_the_url(staff_client, sz3, sh5):
    mine = PlacementFactory(batch=sz3, district="即墨区")
    PlacementFactory(batch=sz3, district="胶州市")
    PlacementFactory(batch=sh5, district="即墨区")
    response = staff_client.get("/placements/", {"batch": "SZ-3", "district": "即墨区"})
    assert rows(response) == [mine]
    assert response.context["filter"].form["district"].value() == "即墨区"


def test_each_filter_in_use_has_a_link_that_removes_it(staff_client, sz3):
    PlacementFactory(batch=sz3, district="即墨区")
    response = staff_client.get("/placements/", {"batch": "SZ-3", "district": "即墨区"})
    chips = {c["label"]: c["remove_url"] for c in response.context["active_filters"]}
    assert chips == {
        "批次": "/placements/?district=%E5%8D%B3%E5%A2%A8%E5%8C%BA",
        "区市": "/placements/?batch=SZ-3",
    }


def test_sorted_column_links_to_the_reverse_order(staff_client, sz3):
    PlacementFactory(batch=sz3)
    response = staff_client.get("/placements/", {"o": "name", "batch": "SZ-3"})
    name = response.context["columns"][0]
    assert (name["sort"], name["arrow"]) == ("-name", "▲")
    assert 'href="?o=-name&amp;batch=SZ-3"' in response.content.decode()


def test_pages_of_the_chosen_size(staff_client, sz3):
    PlacementFactory.create_batch(30, batch=sz3)
    response = staff_client.get("/placements/", {"per_page": "25", "page": "2"})
    assert (len(rows(response)), response.context["paginator"].count) == (5, 30)


def test_a_page_past_the_end_shows_the_last_page(staff_client, sz3):
    PlacementFactory.create_batch(3, batch=sz3)
    response = staff_client.get("/placements/", {"page": "9"})
    assert response.status_code == 200 and len(rows(response)) == 3


def test_an_unknown_page_size_falls_back_to_50(staff_client, sz3):
    PlacementFactory(batch=sz3)
    assert (
        staff_client.get("/placements/", {"per_page": "100000"}).context["paginator"].per_page == 50
    )


def test_cadre_list_shows_each_person_once_with_their_batches(staff_client, sz3, sh5):
    cadre = CadreFactory(name="姜睿")
    PlacementFactory(cadre=cadre, batch=sz3)
    PlacementFactory(cadre=cadre, batch=sh5)
    response = staff_client.get("/cadres/")
    assert rows(response) == [cadre]
    html = response.content.decode()
    assert "深圳第3批" in html and "上海第5批" in html


def test_a_lead_lists_only_their_batch(lead_client, sz3, sh5):
    mine = PlacementFactory(batch=sz3)
    other = PlacementFactory(batch=sh5)
    assert rows(lead_client.get("/placements/")) == [mine]
    assert rows(lead_client.get("/cadres/")) == [mine.cadre]
    assert other.cadre.name not in lead_client.get("/cadres/").content.decode()


def test_a_lead_sees_only_their_batches_on_a_cadres_row(lead_client, sz3, sh5):
    cadre = CadreFactory()
    PlacementFactory(cadre=cadre, batch=sz3)
    PlacementFactory(cadre=cadre, batch=sh5)
    assert "上海第5批" not in lead_client.get("/cadres/").content.decode()


def test_host_unit_list_counts_the_matching_placements_of_each_unit(staff_client, sz3, sh5):
    unit = HostUnitFactory(name="腾讯集团")
    PlacementFactory.create_batch(2, batch=sz3, host_unit=unit)
    PlacementFactory(batch=sh5, host_unit=unit)
    PlacementFactory(batch=sh5)
    units = list(staff_client.get("/host-units/", {"batch": "SZ-3"}).context["page_obj"])
    assert [(u.name, u.matching) for u in units] == [("腾讯集团", 2)]


def test_a_lead_lists_only_the_host_units_of_their_batch(lead_client, sz3, sh5):
    mine = PlacementFactory(batch=sz3)
    PlacementFactory(batch=sh5)
    units = list(lead_client.get("/host-units/").context["page_obj"])
    assert units == [mine.host_unit]


def test_the_nav_links_the_lists(staff_client):
    html = staff_client.get("/placements/").content.decode()
    assert 'href="/placements/"' in html and 'href="/cadres/"' in html


# --- Bounded queries --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 60])
def test_placement_list_queries_do_not_grow_with_the_page(
    staff_client, sz3, size, django_assert_num_queries
):
    PlacementFactory.create_batch(size, batch=sz3)
    # 1 session, 2 user, 3 batch choices, 4 group/district/political status choices (host
    # units are offered once a batch or programme is chosen), 5 count, 6 the page's rows
    # (cadre, batch, programme, host unit joined), 7 the bell's unread count
    with django_assert_num_queries(7):
        staff_client.get("/placements/", {"per_page": "100", "rank_tier": "division"})


@pytest.mark.parametrize("size", [3, 60])
def test_cadre_list_queries_do_not_grow_with_the_page(
    staff_client, sz3, sh5, size, django_assert_num_queries
):
    for _ in range(size):
        cadre = CadreFactory()
        PlacementFactory(cadre=cadre, batch=sz3)
        PlacementFactory(cadre=cadre, batch=sh5)
    # 1 session, 2 user, 3–5 the choices (batches, host units, groups/districts/statuses),
    # 6 count, 7 the page's cadres, 8 their placements (prefetched, batch and host unit joined),
    # 9 the bell's unread count
    with django_assert_num_queries(9):
        staff_client.get("/cadres/", {"per_page": "100", "batch": "SZ-3"})


@pytest.mark.parametrize("size", [3, 60])
def test_host_unit_list_queries_do_not_grow_with_the_page(
    staff_client, sz3, size, django_assert_num_queries
):
    PlacementFactory.create_batch(size, batch=sz3)
    # 1 session, 2 user, 3–5 the choices, 6 count, 7 the page's units with their counts,
    # 8 the bell's unread count
    with django_assert_num_queries(8):
        staff_client.get("/host-units/", {"per_page": "100", "batch": "SZ-3"})


@pytest.mark.parametrize("size", [3, 60])
def test_a_searched_placement_list_reads_the_keys_once(
    staff_client, sz3, size, django_assert_num_queries
):
    unit = HostUnitFactory(name="深圳市腾讯计算机系统有限公司")
    PlacementFactory.create_batch(size, batch=sz3, host_unit=unit)
    # 1 session, 2 user, 3 batch choices, 4 group/district/political status choices, 5 the
    # cadres, home units and host units the words match (placements/search.py), 6 count,
    # 7 the page's rows, 8 the bell's unread count
    with django_assert_num_queries(8):
        response = staff_client.get("/placements/", {"q": "tengxun 深圳"})
    assert len(rows(response)) == min(size, 50)


@pytest.mark.parametrize("size", [3, 60])
def test_a_searched_cadre_list_reads_the_keys_once(
    staff_client, sz3, size, django_assert_num_queries
):
    unit = HostUnitFactory(name="深圳市腾讯计算机系统有限公司")
    PlacementFactory.create_batch(size, batch=sz3, host_unit=unit)
    # 1 session, 2 user, 3 batch choices, 4 group/district/political status choices, 5 the
    # words' keys, 6 count, 7 the page's cadres, 8 their placements, 9 the bell's unread count
    with django_assert_num_queries(9):
        response = staff_client.get("/cadres/", {"q": "tx"})
    assert len(rows(response)) == min(size, 50)


def test_a_leads_list_adds_only_the_permission_lookups(lead_client, sz3, django_assert_num_queries):
    PlacementFactory.create_batch(5, batch=sz3)
    # the staff list's 7, plus 8 the lead's user permissions and 9 their groups' permissions,
    # 10 the bell's unread count
    with django_assert_num_queries(10):
        lead_client.get("/placements/")


@pytest.mark.parametrize(
    "query", [{"page": "²"}, {"host_unit": "²"}, {"batch": "SZ-²"}, {"batch": "SZ-" + "9" * 30}]
)
def test_digits_that_are_no_number_are_no_error(staff_client, sz3, query):
    # str.isdigit() takes ², which int() refuses; SQLite refuses numbers past 2**63.
    assert staff_client.get("/placements/", query).status_code == 200

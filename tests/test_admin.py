"""The admin as staff use it: lists, filters, search, change pages, bounded queries."""

import datetime

import pytest
from django.urls import reverse

from cohorts.models import Cadre
from placements.models import HostUnit, Placement

from .factories import BatchFactory, CadreFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:cohorts_programme_changelist",
    "admin:cohorts_batch_changelist",
    "admin:cohorts_cadre_changelist",
    "admin:placements_hostunit_changelist",
    "admin:placements_placement_changelist",
]


def fill(sz3, count):
    units = HostUnitFactory.create_batch(5)
    for i in range(count):
        PlacementFactory(batch=sz3, host_unit=units[i % 5])


@pytest.mark.parametrize("url_name", CHANGELISTS)
@pytest.mark.parametrize("rows", [3, 60])
def test_changelist_queries_do_not_grow_with_rows(staff_client, sz3, url_name, rows,
                                                  django_assert_max_num_queries):  # fmt: skip
    fill(sz3, rows)
    # session, user, count (filtered), count (total), the page of rows, one prefetch
    # (cadres' placements), the choices of up to three related-field filters (programme,
    # batch, political status / district …): 11 at most, whatever the page size.
    with django_assert_max_num_queries(11):
        response = staff_client.get(reverse(url_name))
    assert response.status_code == 200


def test_batch_list_shows_head_count_host_units_and_term(staff_client, sz3):
    fill(sz3, 7)
    response = staff_client.get(reverse("admin:cohorts_batch_changelist"))
    row = next(r for r in response.content.decode().split("<tr") if "SZ-3" in r)
    assert ">7<" in row  # head count
    assert ">5<" in row  # host units
    assert "2020-07-23" in row or "2020年7月23日" in row  # the term's last day


def test_batch_list_filters_by_term_status(staff_client, shenzhen):
    BatchFactory(programme=shenzhen, number=1, start_date=datetime.date(2019, 5, 20))
    BatchFactory(programme=shenzhen, number=9, start_date=None)
    url = reverse("admin:cohorts_batch_changelist")
    response = staff_client.get(url, {"term": "unscheduled"})
    assert [b.code for b in response.context["cl"].result_list] == ["SZ-9"]


def test_batch_search_by_code(staff_client, shenzhen):
    BatchFactory(programme=shenzhen, number=3)
    BatchFactory(programme=shenzhen, number=4)
    response = staff_client.get(reverse("admin:cohorts_batch_changelist"), {"q": "sz-4"})
    assert [b.code for b in response.context["cl"].result_list] == ["SZ-4"]


def test_batch_page_lists_its_placements_and_links_to_them(staff_client, sz3):
    placement = PlacementFactory(batch=sz3)
    response = staff_client.get(reverse("admin:cohorts_batch_change", args=[sz3.pk]))
    content = response.content.decode()
    assert placement.cadre.name in content
    assert f"?batch__id__exact={sz3.pk}" in content
    assert reverse("admin:placements_placement_change", args=[placement.pk]) in content


def test_batch_page_queries_do_not_grow_with_placements(staff_client, sz3,
                                                        django_assert_max_num_queries):  # fmt: skip
    fill(sz3, 40)
    # session, user, the batch with its counts, its placements with cadre and host unit,
    # the selected programme for the autocomplete widget: 5, plus slack for the admin's
    # log-entry and permission checks.
    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("admin:cohorts_batch_change", args=[sz3.pk]))
    assert response.status_code == 200


def test_cadre_list_masks_id_numbers(staff_client):
    cadre = CadreFactory()
    content = staff_client.get(reverse("admin:cohorts_cadre_changelist")).content.decode()
    assert cadre.masked_id_number in content
    assert cadre.id_number not in content


def test_cadre_search_by_id_number(staff_client):
    cadre, _other = CadreFactory(), CadreFactory()
    response = staff_client.get(reverse("admin:cohorts_cadre_changelist"), {"q": cadre.id_number})
    assert list(response.context["cl"].result_list) == [cadre]


def test_cadre_list_filters_by_generation(staff_client):
    CadreFactory(id_number=None, birth_date=datetime.date(1969, 12, 31), name="甲")
    eighties = CadreFactory(id_number=None, birth_date=datetime.date(1980, 1, 1), name="乙")
    response = staff_client.get(reverse("admin:cohorts_cadre_changelist"), {"generation": "80后"})
    assert list(response.context["cl"].result_list) == [eighties]


def test_placement_search_by_host_unit(staff_client, sz3):
    wanted = PlacementFactory(batch=sz3, host_unit=HostUnitFactory(name="腾讯集团"))
    PlacementFactory(batch=sz3)
    response = staff_client.get(reverse("admin:placements_placement_changelist"), {"q": "腾讯"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_placement_list_filters_by_rank_tier_and_host_unit_kind(staff_client, sz3):
    wanted = PlacementFactory(
        batch=sz3, rank="division_chief", host_unit=HostUnitFactory(kind="investment")
    )
    PlacementFactory(batch=sz3, rank="division_chief", host_unit=HostUnitFactory(kind="private"))
    PlacementFactory(batch=sz3, rank="section_chief", host_unit=HostUnitFactory(kind="investment"))
    response = staff_client.get(
        reverse("admin:placements_placement_changelist"),
        {"rank_tier__exact": "division", "host_unit__kind__exact": "investment"},
    )
    assert list(response.context["cl"].result_list) == [wanted]


def test_placement_list_shows_day_of_term(staff_client, sz3, monkeypatch):
    PlacementFactory(batch=sz3)
    monkeypatch.setattr("cohorts.terms.today", lambda: datetime.date(2020, 4, 24))
    content = staff_client.get(reverse("admin:placements_placement_changelist")).content.decode()
    assert "第10天，共100天" in content


def test_placement_refused_save_says_why(staff_client, sz3):
    placement = PlacementFactory(batch=sz3)
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    data = {
        "cadre": placement.cadre_id,
        "batch": sz3.pk,
        "status": "on_site",
        "rank": "division_chief",
        "rank_tier": "division",
        "start_date": "2021-01-01",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "实训期" in response.content.decode()
    placement.refresh_from_db()
    assert placement.status == "pending"


def test_deleting_a_batch_with_placements_is_refused(staff_client, sz3):
    PlacementFactory(batch=sz3)
    url = reverse("admin:cohorts_batch_delete", args=[sz3.pk])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the page explaining what protects it
    assert Placement.objects.filter(batch=sz3).exists()


def test_cadre_page_edits_placements_inline(staff_client, sz3):
    placement = PlacementFactory(batch=sz3)
    cadre = placement.cadre
    url = reverse("admin:cohorts_cadre_change", args=[cadre.pk])
    prefix = "placements"
    data = {
        "name": cadre.name,
        "id_number": cadre.id_number,
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 1,
        f"{prefix}-0-id": placement.pk,
        f"{prefix}-0-cadre": cadre.pk,
        f"{prefix}-0-batch": sz3.pk,
        f"{prefix}-0-status": "on_site",
        f"{prefix}-0-rank": "division_chief",
        f"{prefix}-0-rank_tier": "division",
        f"{prefix}-0-role": "分析师",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    placement.refresh_from_db()
    assert (placement.status, placement.role) == ("on_site", "分析师")


def test_host_unit_variant_spelling_is_refused_in_the_admin(staff_client):
    HostUnit.objects.create(name="华润（集团）有限公司")
    response = staff_client.post(
        reverse("admin:placements_hostunit_add"), {"name": "华润 (集团) 有限公司"}
    )
    assert response.status_code == 200
    assert "华润（集团）有限公司" in response.content.decode()
    assert HostUnit.objects.count() == 1


def test_admin_is_titled_in_chinese(staff_client):
    content = staff_client.get(reverse("admin:index")).content.decode()
    assert "实训干部管理" in content


def test_admin_index_lists_programmes_before_placements(staff_client):
    apps = staff_client.get(reverse("admin:index")).context["app_list"]
    assert [a["app_label"] for a in apps] == ["cohorts", "placements", "auth"]
    assert [m["object_name"] for m in apps[0]["models"]] == ["Programme", "Batch", "Cadre"]


def test_english_is_available(staff_client):
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    content = staff_client.get(reverse("admin:index")).content.decode()
    assert "Cadre training administration" in content


def test_cadre_add_refuses_contradicting_gender(staff_client):
    cadre = CadreFactory.build()
    response = staff_client.post(
        reverse("admin:cohorts_cadre_add"),
        {
            "name": "李明",
            "id_number": cadre.id_number,
            "gender": "F",  # the factory's ID numbers are men's
            "placements-TOTAL_FORMS": 0,
            "placements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not Cadre.objects.filter(name="李明").exists()

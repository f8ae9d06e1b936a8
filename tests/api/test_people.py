import datetime

import pytest

from cohorts.idnumbers import mask
from placements.models import Placement
from security.models import AccessRecord

from ..factories import CadreFactory, HostUnitFactory, PlacementFactory, make_id_number
from .conftest import bearer

pytestmark = pytest.mark.django_db

BORN = datetime.date(1985, 10, 7)


@pytest.fixture
def cadre(sz3):
    number = make_id_number(BORN, male=True, region="370212", serial=17)
    cadre = CadreFactory(name="王浩", id_number=number, birth_date=BORN)
    PlacementFactory(cadre=cadre, batch=sz3, host_unit=HostUnitFactory(name="腾讯"))
    return cadre


def test_a_lead_sees_their_batches_cadres_only(as_lead, cadre, sh5):
    other = PlacementFactory(batch=sh5).cadre
    names = [c["name"] for c in as_lead.get("/api/v1/cadres/").json()["results"]]
    assert names == ["王浩"]
    assert as_lead.get(f"/api/v1/cadres/{other.pk}/").status_code == 404


def test_a_lead_reads_the_id_number_masked_and_the_birth_month(as_lead, cadre):
    shown = as_lead.get(f"/api/v1/cadres/{cadre.pk}/").json()
    assert shown["id_number"] == mask(cadre.id_number)
    assert shown["birth"] == "1985-10"
    assert not AccessRecord.objects.exists()


def test_staff_read_the_full_number_and_the_read_is_logged(as_staff, cadre):
    shown = as_staff.get("/api/v1/cadres/").json()["results"][0]
    assert shown["id_number"] == cadre.id_number
    assert shown["birth"] == "1985-10-07"
    record = AccessRecord.objects.get()
    assert (record.user.username, record.kind) == ("staff", AccessRecord.Kind.FULL_ID_NUMBER)
    assert record.cadre_ids == [cadre.pk]


def test_a_cadre_shows_the_placements_the_user_may_see(as_lead, cadre, sh5):
    own = cadre.placements.get()
    PlacementFactory(cadre=cadre, batch=sh5)
    shown = as_lead.get(f"/api/v1/cadres/{cadre.pk}/").json()
    assert shown["placements"] == [
        {"id": own.pk, "batch": "SZ-3", "host_unit": "腾讯", "status": "pending"}
    ]


def test_cadres_are_filtered_as_on_the_page(as_staff, cadre, sh5):
    PlacementFactory(batch=sh5)
    found = as_staff.get("/api/v1/cadres/?batch=SZ-3").json()["results"]
    assert [c["name"] for c in found] == ["王浩"]
    refused = as_staff.get("/api/v1/cadres/?batch=XX-9")
    assert refused.status_code == 400 and "batch" in refused.json()["fields"]


def test_a_lead_may_not_name_another_batch_in_a_filter(as_lead, cadre, sh5):
    assert as_lead.get("/api/v1/cadres/?batch=SH-5").status_code == 400


@pytest.mark.parametrize("size", [2, 12])
def test_a_page_of_cadres_takes_the_same_queries_whatever_its_size(
    api, sz3, staff, size, django_assert_num_queries
):
    for _n in range(size):
        PlacementFactory(batch=sz3)
    api.credentials(**bearer(staff))
    # The token with its user, its last use; the user's and their groups' permissions; the
    # filter's choices (the user's batches, the facet values); the cadres, their placements;
    # the access log's row (full ID numbers shown).
    with django_assert_num_queries(9):
        response = api.get("/api/v1/cadres/")
    assert len(response.json()["results"]) == size


# Host units


def test_a_lead_sees_the_units_of_their_batches(as_lead, cadre, sh5):
    elsewhere = PlacementFactory(batch=sh5, host_unit=HostUnitFactory()).host_unit
    HostUnitFactory(name="无人实训的单位")
    names = [u["name"] for u in as_lead.get("/api/v1/host-units/").json()["results"]]
    assert names == ["腾讯"]
    assert as_lead.get(f"/api/v1/host-units/{elsewhere.pk}/").status_code == 404


def test_staff_see_the_whole_directory(as_staff, cadre):
    HostUnitFactory(name="无人实训的单位")
    units = as_staff.get("/api/v1/host-units/").json()["results"]
    assert {u["name"]: u["matching"] for u in units} == {"腾讯": None, "无人实训的单位": None}


def test_host_units_are_filtered_and_counted_as_on_the_page(as_staff, cadre, sz3):
    PlacementFactory(batch=sz3, host_unit=Placement.objects.get().host_unit)
    HostUnitFactory(name="无人实训的单位")
    units = as_staff.get("/api/v1/host-units/?batch=SZ-3").json()["results"]
    assert [(u["name"], u["matching"]) for u in units] == [("腾讯", 2)]


@pytest.mark.parametrize("size", [2, 12])
def test_a_page_of_host_units_takes_the_same_queries_whatever_its_size(
    as_lead, sz3, size, django_assert_num_queries
):
    for _n in range(size):
        PlacementFactory(batch=sz3, host_unit=HostUnitFactory())
    # The token with its user, its last use; the user's and their groups' permissions; the
    # filter's choices (the user's batches, the facet values, the units in view); the units.
    with django_assert_num_queries(8):
        response = as_lead.get("/api/v1/host-units/")
    assert len(response.json()["results"]) == size

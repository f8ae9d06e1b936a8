import pytest

from placements.models import Placement
from placements.services import placement_save
from security.models import AccessRecord

from ..factories import CadreFactory, PlacementFactory
from .conftest import bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/placements/"


def ids(response) -> list[int]:
    return [p["id"] for p in response.json()["results"]]


@pytest.fixture
def placements(sz3, sh5):
    """SZ-3: two on site, one pending, one withdrawn; SH-5: one on site."""
    on_site = [PlacementFactory(batch=sz3, status="on_site") for _ in range(2)]
    pending = PlacementFactory(batch=sz3, status="pending")
    withdrawn = PlacementFactory(batch=sz3, status="withdrawn")
    other = PlacementFactory(batch=sh5, status="on_site")
    return {"on_site": on_site, "pending": pending, "withdrawn": withdrawn, "sh5": other}


def test_the_list_filters_as_the_page_does(as_staff, client, staff, placements):
    client.force_login(staff)
    page = client.get("/placements/?batch=SZ-3&status=on_site").context["page_obj"]
    response = as_staff.get(f"{URL}?batch=SZ-3&status=on_site")
    assert sorted(ids(response)) == sorted(p.pk for p in page.object_list)
    assert len(ids(response)) == 2


def test_an_unknown_filter_value_is_a_400_naming_it(as_staff, placements):
    response = as_staff.get(f"{URL}?status=arrived")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["status"]


def test_a_lead_gets_404_for_another_batch_s_placement(api, lead_sh5, placements):
    api.credentials(**bearer(lead_sh5))
    placement = placements["pending"]
    assert api.get(f"{URL}{placement.pk}/").status_code == 404
    response = api.patch(f"{URL}{placement.pk}/", {"notes": "x"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 404
    assert ids(api.get(URL)) == [placements["sh5"].pk]


def test_a_lead_reads_id_numbers_masked_and_nothing_is_logged(as_lead, placements):
    cadre = placements["pending"].cadre
    shown = as_lead.get(f"{URL}{placements['pending'].pk}/").json()["cadre"]
    assert shown["id_number"] == cadre.masked_id_number != cadre.id_number
    assert shown["birth"] == f"{cadre.birth_date:%Y-%m}"
    assert not AccessRecord.objects.exists()


def test_staff_read_full_id_numbers_and_the_access_log_says_so(as_staff, placements):
    cadre = placements["pending"].cadre
    shown = as_staff.get(f"{URL}{placements['pending'].pk}/").json()["cadre"]
    assert shown["id_number"] == cadre.id_number
    assert shown["birth"] == cadre.birth_date.isoformat()
    record = AccessRecord.objects.get()
    assert record.kind == "full_id_number" and record.cadre_ids == [cadre.pk]


def test_the_etag_is_the_version_quoted(as_staff, placements):
    response = as_staff.get(f"{URL}{placements['pending'].pk}/")
    assert response["ETag"] == '"1"' and response.json()["version"] == 1


def test_a_stale_if_match_is_a_412_and_the_other_change_is_kept(as_staff, lead_sz3, placements):
    url = f"{URL}{placements['pending'].pk}/"
    read = as_staff.get(url)["ETag"]
    theirs = Placement.objects.get(pk=placements["pending"].pk)
    theirs.role = "副总经理"
    placement_save(placement=theirs, by=lead_sz3, expected_version=theirs.version)

    refused = as_staff.patch(url, {"notes": "我的备注"}, HTTP_IF_MATCH=read)
    assert refused.status_code == 412
    assert refused["ETag"] == '"2"' and "王书记" in refused.json()["detail"]
    [change] = refused.json()["changes_since"]
    assert change["who"] == "王书记"
    assert change["changes"] == [{"field": "实训岗位", "before": "研究员", "after": "副总经理"}]
    assert Placement.objects.get(pk=theirs.pk).notes == ""

    saved = as_staff.patch(url, {"notes": "我的备注"}, HTTP_IF_MATCH=as_staff.get(url)["ETag"])
    assert saved.status_code == 200 and saved["ETag"] == '"3"'
    stored = Placement.objects.get(pk=theirs.pk)
    assert (stored.role, stored.notes, stored.version) == ("副总经理", "我的备注", 3)


def test_a_change_sent_twice_makes_one_version(as_staff, placements):
    url = f"{URL}{placements['pending'].pk}/"
    first = as_staff.patch(url, {"notes": "已联系"}, HTTP_IF_MATCH='"1"')
    again = as_staff.patch(url, {"notes": "已联系"}, HTTP_IF_MATCH=first["ETag"])
    assert (first.status_code, again.status_code, again["ETag"]) == (200, 200, '"2"')
    assert Placement.objects.get(pk=placements["pending"].pk).version == 2


def test_a_change_that_changes_nothing_still_needs_the_current_version(as_staff, placements):
    url = f"{URL}{placements['pending'].pk}/"
    as_staff.patch(url, {"notes": "已联系"}, HTTP_IF_MATCH='"1"')
    assert as_staff.patch(url, {"notes": "已联系"}, HTTP_IF_MATCH='"1"').status_code == 412


@pytest.mark.parametrize("header", [{}, {"HTTP_IF_MATCH": "*"}])
def test_a_change_without_if_match_is_a_428(as_staff, placements, header):
    response = as_staff.patch(f"{URL}{placements['pending'].pk}/", {"notes": "x"}, **header)
    assert response.status_code == 428 and "If-Match" in response.json()["detail"]
    assert Placement.objects.get(pk=placements["pending"].pk).version == 1


def test_an_invalid_value_is_a_400_naming_the_field(as_staff, placements):
    response = as_staff.patch(
        f"{URL}{placements['pending'].pk}/", {"end_date": "2099-01-01"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert "日期" in response.json()["detail"]
    response = as_staff.patch(
        f"{URL}{placements['pending'].pk}/", {"status": "gone"}, HTTP_IF_MATCH='"1"'
    )
    assert list(response.json()["fields"]) == ["status"]


def test_a_lead_changes_only_what_the_lead_page_lets_them(as_lead, placements):
    url = f"{URL}{placements['pending'].pk}/"
    refused = as_lead.patch(url, {"rank": "bureau_chief"}, HTTP_IF_MATCH='"1"')
    assert refused.status_code == 400 and list(refused.json()["fields"]) == ["rank"]
    saved = as_lead.patch(url, {"status": "checked_in", "group": "第二组"}, HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200
    assert saved.json()["status"] == {"code": "checked_in", "label": "已远程报到"}


def test_a_placement_is_not_replaced_whole(as_staff, placements):
    assert as_staff.put(f"{URL}{placements['pending'].pk}/", {}).status_code == 405


def test_the_history_names_each_change(as_staff, lead_sz3, placements):
    placement = Placement.objects.get(pk=placements["pending"].pk)
    placement.mentor = "李老师"
    placement_save(placement=placement, by=lead_sz3, expected_version=1)
    entries = as_staff.get(f"{URL}{placement.pk}/history/").json()
    assert entries[-1]["who"] == "王书记" and entries[-1]["version"] == 2
    assert entries[-1]["changes"] == [{"field": "导师", "before": "—", "after": "李老师"}]


def test_the_bulk_status_change_follows_the_page_s_rules(as_lead, placements):
    chosen = [placements["pending"].pk, placements["withdrawn"].pk, placements["on_site"][0].pk]
    body = {"ids": chosen, "status": "checked_in"}
    preview = as_lead.post(f"{URL}status/", body | {"dry_run": True}, format="json").json()
    assert (preview["changed"], preview["left"]) == (1, 2)
    assert Placement.objects.get(pk=placements["pending"].pk).status == "pending"

    done = as_lead.post(f"{URL}status/", body, format="json").json()
    assert (done["changed"], done["left"]) == (1, 2)
    assert "1 人已退出" in done["detail"]
    statuses = dict(Placement.objects.filter(pk__in=chosen).values_list("pk", "status"))
    assert statuses == {chosen[0]: "checked_in", chosen[1]: "withdrawn", chosen[2]: "on_site"}


def test_a_bulk_change_naming_another_batch_s_placement_changes_nothing(as_lead, placements):
    body = {"ids": [placements["pending"].pk, placements["sh5"].pk], "status": "on_site"}
    response = as_lead.post(f"{URL}status/", body, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["ids"]
    assert str(placements["sh5"].pk) in response.json()["detail"]
    assert Placement.objects.get(pk=placements["pending"].pk).status == "pending"


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_at_any_size(
    as_staff, sz3, rows, django_assert_num_queries
):
    for _ in range(rows):
        PlacementFactory(batch=sz3, cadre=CadreFactory())
    as_staff.get(URL)  # the token's last use written, staff's batch choices kept
    # The token and its user; the user's and their groups' permissions; SZ-3's host units
    # (the filter's choices); the page of placements with cadre, batch, programme and unit;
    # the access log's record of the full ID numbers shown.
    with django_assert_num_queries(6):
        response = as_staff.get(f"{URL}?batch=SZ-3&page_size=100")
    assert len(response.json()["results"]) == rows

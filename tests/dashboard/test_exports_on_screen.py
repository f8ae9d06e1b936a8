"""Export of what is on screen: exactly the filtered rows (all pages), through the roster export."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from ..factories import BatchFactory, CadreFactory, PlacementFactory
from ..helpers import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def sh5(shanghai):
    return BatchFactory(programme=shanghai, number=5)


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def names_on_screen(client, url, params):
    page = client.get(url, {**params, "per_page": 200})
    return [p.cadre.name for p in page.context["filter"].qs]


def test_csv_export_equals_the_filtered_rows_in_their_order(staff_client, sz3, sh5):
    PlacementFactory.create_batch(60, batch=sz3, district="即墨区")
    PlacementFactory.create_batch(3, batch=sz3, district="胶州市")
    PlacementFactory.create_batch(3, batch=sh5, district="即墨区")
    params = {"batch": "SZ-3", "district": "即墨区", "o": "-name"}
    rows = csv_rows(staff_client.get("/placements/export/", {**params, "format": "csv"}))
    assert len(rows) == 60  # more than one page of 50
    assert [r["姓名"] for r in rows] == names_on_screen(staff_client, "/placements/", params)
    assert {(r["批次"], r["区市"]) for r in rows} == {("深圳第3批", "即墨区")}


def test_xlsx_export_has_a_header_and_one_row_per_placement(staff_client, sz3):
    PlacementFactory.create_batch(3, batch=sz3)
    response = staff_client.get("/placements/export/", {"format": "xlsx", "batch": "SZ-3"})
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    assert sheet.max_row == 1 + 3
    assert (
        "attachment" in response["Content-Disposition"]
        and ".xlsx" in response["Content-Disposition"]
    )


def test_the_page_offers_both_formats_with_its_filters(staff_client, sz3):
    PlacementFactory(batch=sz3)
    html = staff_client.get("/placements/", {"batch": "SZ-3", "page": "1"}).content.decode()
    assert 'href="/placements/export/?batch=SZ-3&amp;format=xlsx"' in html
    assert 'href="/placements/export/?batch=SZ-3&amp;format=csv"' in html


def test_an_unknown_format_is_refused(staff_client):
    assert staff_client.get("/placements/export/", {"format": "pdf"}).status_code == 400


def test_cadre_export_has_one_row_per_matching_placement(staff_client, sz3, sh5):
    cadre = CadreFactory(name="姜睿")
    PlacementFactory(cadre=cadre, batch=sz3, rank="section_chief")
    PlacementFactory(cadre=cadre, batch=sh5, rank="division_chief")
    PlacementFactory(batch=sz3, rank="division_chief")
    response = staff_client.get("/cadres/export/", {"format": "csv", "batch": "SH-5"})
    assert [(r["姓名"], r["批次"]) for r in csv_rows(response)] == [("姜睿", "上海第5批")]


def test_a_leads_export_holds_only_their_batch(client, django_user_model, sz3, sh5):
    lead = django_user_model.objects.create_user("lead-sz3", password="x")
    sz3.leads.add(lead)
    client.force_login(lead)
    PlacementFactory(batch=sz3)
    PlacementFactory(batch=sh5)
    rows = csv_rows(client.get("/placements/export/", {"format": "csv"}))
    assert [r["批次"] for r in rows] == ["深圳第3批"]


def test_id_numbers_are_masked_without_the_permission(client, django_user_model, sz3):
    lead = django_user_model.objects.create_user("lead-sz3", password="x")
    sz3.leads.add(lead)
    client.force_login(lead)
    placement = PlacementFactory(batch=sz3)
    [row] = csv_rows(client.get("/cadres/export/", {"format": "csv"}))
    shown = row["身份证号"].lstrip("\t")  # the tab that keeps Excel from rounding it
    assert shown == placement.cadre.masked_id_number != placement.cadre.id_number


def test_export_queries_do_not_grow_with_the_rows(staff_client, sz3, django_assert_max_num_queries):
    PlacementFactory.create_batch(120, batch=sz3)
    # 1 session, 2 user, 3–5 the filter's choices (batches, host units, groups/districts/
    # statuses), 6 the exported cadres' ids and 7 their entry in the access log, 8 the rows
    # (the roster export joins cadre, batch, programme, host unit), 9–11 the file name's batch
    # and 12–13 the batches and programmes for writing 批次 as 深圳第3批
    with django_assert_max_num_queries(13):
        staff_client.get("/placements/export/", {"format": "csv"})


def test_cadre_export_follows_the_sort_on_screen(client, admin_user, sz3):
    for name in ("阿明", "张三", "李四"):
        PlacementFactory(batch=sz3, cadre__name=name)
    client.force_login(admin_user)
    response = client.get(reverse("cadre-export"), {"format": "csv", "o": "-name"})
    names = [row[2] for row in csv.reader(io.StringIO(body(response).decode("utf-8-sig")))][1:]
    assert names == ["张三", "李四", "阿明"]


def test_export_with_a_filter_that_is_not_valid_is_refused(client, admin_user, sz3):
    client.force_login(admin_user)
    response = client.get(reverse("placement-export"), {"format": "csv", "batch": "XX-9"})
    assert response.status_code == 400


def test_cadre_list_downloads_as_a_cadre_list_of_its_batch(staff_client, sz3):
    from urllib.parse import unquote

    PlacementFactory(batch=sz3)
    response = staff_client.get(reverse("cadre-export"), {"format": "xlsx"})
    assert "深圳第3批-干部名单-" in unquote(response["Content-Disposition"])
    assert "实训安排" not in unquote(response["Content-Disposition"])

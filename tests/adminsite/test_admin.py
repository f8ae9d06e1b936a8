"""The admin as staff use it: lists, filters, search, change pages, bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Batch, Cadre
from placements.models import HostUnit, Placement

from ..factories import (
    BatchFactory,
    CadreFactory,
    HostUnitFactory,
    PlacementFactory,
    ProgrammeFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db

# Every changelist starts with the session and the user, counts the rows matching the filters
# once (no second count of the whole table: LargeTableAdmin), fetches one page, and counts the
# user's unread notifications for the bell; what else each one runs is listed.
CHANGELIST_QUERIES = {
    "admin:cohorts_programme_changelist": 5,  # nothing else
    "admin:cohorts_batch_changelist": 6,  # + the programme filter's choices
    # + the programme filter's choices, one prefetch of the page's placements with their
    # batches and programmes, the political-status filter's distinct values
    "admin:cohorts_cadre_changelist": 8,
    "admin:placements_hostunit_changelist": 6,  # + the city filter's distinct values
    # + the programme and batch filters' choices (batches with their programmes), the
    # district filter's distinct values
    "admin:placements_placement_changelist": 8,
}


def fill(sz3, count):
    units = HostUnitFactory.create_batch(5)
    for i in range(count):
        PlacementFactory(batch=sz3, host_unit=units[i % 5])


def scale(batches):
    """Programmes, batches, host units, cadres and placements, all growing with `batches`."""
    for i in range(batches):
        programme = ProgrammeFactory(code="SZ") if i % 2 else ProgrammeFactory(code="SH")
        start = datetime.date(2019, 1, 1) + datetime.timedelta(days=200 * i)
        batch = BatchFactory(programme=programme, start_date=start)
        unit = HostUnitFactory(city=f"城市{i}")
        for _ in range(3):
            PlacementFactory(batch=batch, host_unit=unit, district=f"区{i}")


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(("url_name", "expected"), CHANGELIST_QUERIES.items())
def test_changelist_queries_do_not_grow_with_the_data(staff_client, url_name, expected):
    scale(2)
    small = queries(staff_client, reverse(url_name))
    scale(10)
    assert (small, queries(staff_client, reverse(url_name))) == (expected, expected)


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


def test_batch_page_queries_do_not_grow_with_placements(staff_client, sz3):
    url = reverse("admin:cohorts_batch_change", args=[sz3.pk])
    fill(sz3, 3)
    queries(staff_client, url)  # warms the content-type cache the first visit fills
    small = queries(staff_client, url)
    fill(sz3, 40)
    # session, user, the batch with its programme and counts, the programme shown in the
    # autocomplete widget, the placements with their cadres and host units, the team leads
    # offered and the batch's own leads, the bell's unread count
    assert (small, queries(staff_client, url)) == (8, 8)


def test_cadre_list_masks_id_numbers(staff_client):
    cadre = CadreFactory()
    content = staff_client.get(reverse("admin:cohorts_cadre_changelist")).content.decode()
    assert cadre.masked_id_number in content
    assert cadre.id_number not in content


def test_cadre_search_by_id_number(staff_client):
    cadre, _other = CadreFactory(), CadreFactory()
    response = staff_client.get(reverse("admin:cohorts_cadre_changelist"), {"q": cadre.id_number})
    assert list(response.context["cl"].result_list) == [cadre]


# A word below three characters (no trigram to look up), and a longer one (the indexes answer).
@pytest.mark.parametrize("word", ["发展", "发展和改革"])
def test_cadre_search_by_name_or_home_unit(staff_client, sz3, word):
    at_unit = PlacementFactory(batch=sz3, home_unit="深圳市发展和改革委员会").cadre
    named = CadreFactory(name=f"王{word}")
    PlacementFactory(batch=sz3, home_unit="深圳市财政局")
    response = staff_client.get(reverse("admin:cohorts_cadre_changelist"), {"q": word})
    assert set(response.context["cl"].result_list) == {at_unit, named}


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
        "start_date": "2020-04-01",  # before the term begins
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "日期必须在批次实训期内" in response.content.decode()
    assert "<title>错误：" in response.content.decode()
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
        "expected_version": cadre.version,
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 1,
        f"{prefix}-0-id": placement.pk,
        f"{prefix}-0-cadre": cadre.pk,
        f"{prefix}-0-batch": sz3.pk,
        f"{prefix}-0-status": "on_site",
        f"{prefix}-0-rank": "division_chief",
        f"{prefix}-0-rank_tier": "division",
        f"{prefix}-0-role": "分析师",
        f"{prefix}-0-expected_version": placement.version,
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
    labels = [a["app_label"] for a in apps]
    # Then the other apps (ledger, the access log), users and groups last.
    assert labels[:2] == ["cohorts", "placements"] and labels[-1] == "auth"
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


def cadre_form(cadre, *rows, **fields):
    """The POST data of the cadre page with placement rows (dicts of field values)."""
    data = {
        "name": cadre.name,
        "id_number": cadre.id_number or "",
        "placements-TOTAL_FORMS": len(rows),
        "placements-INITIAL_FORMS": sum(1 for row in rows if "id" in row),
        **({"expected_version": cadre.version} if cadre.pk else {}),
        **fields,
    }
    for i, row in enumerate(rows):
        row = {"status": "pending", "rank": "other", "rank_tier": "none", **row}
        data.update({f"placements-{i}-{key}": value for key, value in row.items()})
    return data


def test_new_cadre_with_two_overlapping_placements_is_refused(staff_client, shenzhen, shanghai):
    sz = BatchFactory(programme=shenzhen, start_date=datetime.date(2020, 4, 15))
    sh = BatchFactory(programme=shanghai, start_date=datetime.date(2020, 6, 1))
    data = cadre_form(CadreFactory.build(), {"batch": sz.pk}, {"batch": sh.pk})
    response = staff_client.post(reverse("admin:cohorts_cadre_add"), data)
    assert response.status_code == 200
    assert "重叠" in response.content.decode()
    assert not Cadre.objects.exists()


def test_adding_two_overlapping_placements_to_a_cadre_is_refused(staff_client, shenzhen, shanghai):
    cadre = CadreFactory()
    sz = BatchFactory(programme=shenzhen, start_date=datetime.date(2020, 4, 15))
    sh = BatchFactory(programme=shanghai, start_date=datetime.date(2020, 6, 1))
    data = cadre_form(cadre, {"batch": sz.pk}, {"batch": sh.pk})
    response = staff_client.post(reverse("admin:cohorts_cadre_change", args=[cadre.pk]), data)
    assert "重叠" in response.content.decode()
    assert not Placement.objects.exists()


def test_a_mistyped_id_number_can_be_corrected(staff_client):
    cadre = CadreFactory(id_number=make_id_number(datetime.date(1985, 3, 12), male=True))
    corrected = make_id_number(datetime.date(1986, 7, 1), male=False)
    # The form posts back the gender and birth date the old number gave.
    data = cadre_form(cadre, id_number=corrected, gender="M", birth_date="1985-03-12")
    response = staff_client.post(reverse("admin:cohorts_cadre_change", args=[cadre.pk]), data)
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert (cadre.id_number, cadre.gender, cadre.birth_date) == (
        corrected,
        "F",
        datetime.date(1986, 7, 1),
    )


def test_an_id_number_pasted_with_spaces_is_accepted(staff_client):
    number = make_id_number()
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    data = cadre_form(CadreFactory.build(id_number=None), id_number=spaced, name="李明")
    response = staff_client.post(reverse("admin:cohorts_cadre_add"), data)
    assert response.status_code == 302
    assert Cadre.objects.get(name="李明").id_number == number


@pytest.mark.parametrize(("term_days", "message"), [("0", "1"), ("400", "366")])
def test_batch_term_length_out_of_range_is_refused_in_chinese(
    staff_client, sz3, term_days, message
):
    data = {"programme": sz3.programme_id, "number": 5, "term_days": term_days}
    response = staff_client.post(reverse("admin:cohorts_batch_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["term_days"]
    assert message in errors[0] and any("\u4e00" <= c <= "\u9fff" for c in errors[0])


def test_batch_start_date_far_in_the_future_is_refused(staff_client, sz3):
    data = {
        "programme": sz3.programme_id,
        "number": 5,
        "term_days": 100,
        "start_date": "9999-12-31",
    }
    response = staff_client.post(reverse("admin:cohorts_batch_add"), data)
    assert "start_date" in response.context["adminform"].form.errors
    assert staff_client.get(reverse("admin:cohorts_batch_changelist")).status_code == 200


@pytest.mark.parametrize("term", ["SZ-²", "SZ-", "-3", "深圳第3批"])
def test_batch_search_survives_odd_input(staff_client, sz3, term):
    assert (
        staff_client.get(reverse("admin:cohorts_batch_changelist"), {"q": term}).status_code == 200
    )


def autocomplete(client, field_name, model_name="placement"):
    params = {"app_label": "placements", "model_name": model_name, "field_name": field_name}
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("admin:autocomplete"), params)
    return [r["text"] for r in response.json()["results"]], len(context)


def test_batch_autocomplete_is_ordered_and_does_not_query_per_batch(staff_client):
    scale(2)
    _texts, small = autocomplete(staff_client, "batch")
    scale(8)
    texts, large = autocomplete(staff_client, "batch")
    assert small == large
    assert texts == [str(batch) for batch in Batch.objects.order_by("programme__code", "number")]


def test_host_unit_autocomplete_is_ordered_by_name(staff_client):
    for name in ["乙公司", "甲公司", "丙公司"]:
        HostUnitFactory(name=name)
    texts, _count = autocomplete(staff_client, "host_unit")
    assert texts == sorted(texts)


def test_an_english_browser_still_gets_chinese(staff_client):
    response = staff_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "实训干部管理" in response.content.decode()


def test_deleting_a_host_unit_with_placements_is_refused(staff_client, sz3):
    placement = PlacementFactory(batch=sz3)
    url = reverse("admin:placements_hostunit_delete", args=[placement.host_unit_id])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert HostUnit.objects.filter(pk=placement.host_unit_id).exists()


def test_a_posted_host_unit_that_is_not_an_id_is_an_error_not_a_crash(admin_client, sz3):
    placement = PlacementFactory(batch=sz3)
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None} | {
        "expected_version": 1, "cadre": placement.cadre_id, "batch": placement.batch_id,
        "host_unit": "abc",
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["host_unit"]


def test_a_posted_credited_cadre_that_is_not_an_id_is_an_error_not_a_crash(admin_client, sz3):
    data = {"batch": sz3.pk, "title": "关于优化政务服务的建议", "submitted_on": "2020-06-01",
            "credited": "abc"}  # fmt: skip
    response = admin_client.post(reverse("admin:ledger_suggestion_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["credited"]


def test_the_placement_sidebar_offers_the_latest_batches_and_the_chosen(
    staff_client, shenzhen, monkeypatch
):
    from adminsite.filters import LatestBatchesFilter

    monkeypatch.setattr(LatestBatchesFilter, "LATEST_BATCHES", 2)
    old, mid, new = (
        BatchFactory(programme=shenzhen, number=n, start_date=datetime.date(2018 + n, 4, 1))
        for n in (1, 2, 3)
    )
    for batch in (old, mid, new):
        PlacementFactory(batch=batch)
    url = reverse("admin:placements_placement_changelist")

    def offered(**params):
        spec = next(s for s in staff_client.get(url, params).context["cl"].filter_specs
                    if getattr(s, "field_path", "") == "batch")  # fmt: skip
        return [label for _pk, label in spec.lookup_choices]

    assert offered() == [str(mid), str(new)]
    assert offered(batch__id__exact=old.pk) == [str(old), str(mid), str(new)]

"""Groups by their number and districts in the city's order, wherever they are listed
(placements/order.py): filters, the lead's page, the admin, exports and charts."""

import csv
import io
import random

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from dashboard import figures
from dashboard.filters import PlacementFilter
from placements.order import district_sort_key, group_sort_key

from ..factories import CadreFactory, LeadFactory, PlacementFactory

GROUPS = [
    "第一组", "第二组", "第三组", "第四组", "第五组", "第六组", "第七组", "第八组", "第九组",
    "第十组", "第十一组", "第二十组",
]  # fmt: skip
DISTRICTS = [
    "市直", "市南区", "市北区", "李沧区", "崂山区", "城阳区",
    "黄岛区", "即墨区", "胶州市", "平度市", "莱西市",
]  # fmt: skip


def shuffled(values):
    values = list(values)
    random.Random(15).shuffle(values)
    return values


def test_groups_by_number():
    assert sorted(shuffled(GROUPS), key=group_sort_key) == GROUPS


def test_groups_in_digits_alike():
    assert sorted(["第10组", "第2组", "第1组", "第11组"], key=group_sort_key) == [
        "第1组",
        "第2组",
        "第10组",
        "第11组",
    ]


def test_digits_and_numerals_mixed():
    assert sorted(["第十组", "第3组", "第二组"], key=group_sort_key) == [
        "第二组",
        "第3组",
        "第十组",
    ]


def test_groups_without_a_number_last():
    assert sorted(["即墨区小组", "第二组", "第一组"], key=group_sort_key) == [
        "第一组",
        "第二组",
        "即墨区小组",
    ]


def test_districts_in_the_official_order_city_level_first():
    assert sorted(shuffled(DISTRICTS), key=district_sort_key) == DISTRICTS


def test_unknown_districts_last():
    assert sorted(["外省", "莱西市", "市直"], key=district_sort_key) == ["市直", "莱西市", "外省"]


def test_another_citys_districts_from_the_setting(settings):
    settings.DISTRICTS = ["历下区", "市中区", "槐荫区"]
    assert sorted(["槐荫区", "市中区", "历下区"], key=district_sort_key) == [
        "历下区",
        "市中区",
        "槐荫区",
    ]


# --- Where they are listed ---------------------------------------------------------------------


@pytest.fixture
def grouped(sz3):
    """One placement per group, one or two per district (莱西市), made in a shuffled order."""
    return [
        PlacementFactory(batch=sz3, group=group, district=district)
        for group, district in shuffled(
            zip(GROUPS, [*DISTRICTS[5:], *DISTRICTS[:5], "莱西市"], strict=True)
        )
    ]


def list_filter(user, **params):
    request = RequestFactory().get("/")
    request.user = user
    data = QueryDict(mutable=True)
    data.update(params)
    return PlacementFilter(data, request=request)


@pytest.mark.django_db
def test_list_filter_choices(admin_user, grouped):
    form = list_filter(admin_user).form
    assert [v for v, _label in form.fields["group"].choices][1:] == GROUPS
    assert [v for v, _label in form.fields["district"].choices][1:] == DISTRICTS


@pytest.mark.django_db
@pytest.mark.parametrize("column, order", [("group", GROUPS), ("district", [*DISTRICTS, "莱西市"])])
def test_list_sorted_by_column(admin_user, grouped, column, order):
    rows = list_filter(admin_user, o=column).qs
    assert [getattr(p, column) for p in rows] == order


@pytest.mark.django_db
def test_list_sorted_by_group_descending(admin_user, grouped):
    assert [p.group for p in list_filter(admin_user, o="-group").qs] == GROUPS[::-1]


@pytest.mark.django_db
def test_export_follows_the_group_sort(staff_client, grouped):
    response = staff_client.get("/placements/export/", {"o": "group", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [row["小组"] for row in csv.DictReader(io.StringIO(text))] == GROUPS


@pytest.mark.django_db
def test_lead_page_by_group_number(client, sz3, grouped):
    client.force_login(LeadFactory(username="lead", batches=[sz3]))
    response = client.get(reverse("lead-batch", args=[sz3.pk]))
    assert [p.group for p in response.context["placements"]] == GROUPS
    assert [v for v, _label in response.context["filters"].fields["group"].choices][1:] == GROUPS


@pytest.mark.django_db
def test_lead_page_names_in_order_within_a_group(client, sz3):
    for name in ["余波", "于波", "陈博涛", "陈博"]:
        PlacementFactory(batch=sz3, group="第二组", cadre=CadreFactory(name=name))
    PlacementFactory(batch=sz3, group="第十组", cadre=CadreFactory(name="安娜"))
    client.force_login(LeadFactory(username="lead", batches=[sz3]))
    response = client.get(reverse("lead-batch", args=[sz3.pk]))
    names = [p.cadre.name for p in response.context["placements"]]
    assert names == ["陈博", "陈博涛", "于波", "余波", "安娜"]


@pytest.mark.django_db
def test_admin_batch_overview_by_group_number(staff_client, sz3, grouped):
    page = staff_client.get(reverse("admin:cohorts_batch_change", args=[sz3.pk])).content.decode()
    positions = [page.index(f"<td>{group}</td>") for group in GROUPS]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_admin_district_filter_in_the_citys_order(staff_client, grouped):
    response = staff_client.get(reverse("admin:placements_placement_changelist"))
    specs = response.context["cl"].filter_specs
    [spec] = [f for f in specs if getattr(f, "field_path", None) == "district"]
    assert list(spec.lookup_choices) == DISTRICTS


@pytest.mark.django_db
def test_district_chart_in_the_citys_order_city_level_its_own_bar(admin_user, grouped, sz3):
    PlacementFactory.create_batch(3, batch=sz3, district="莱西市")
    bars = next(c for c in figures.dashboard(admin_user).charts if c.key == "district").bars
    assert [b.label for b in bars] == DISTRICTS
    assert bars[0].params == {"district": "市直"}

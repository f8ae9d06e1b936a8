"""Team leads: groups, add_team_lead, their page, edits, bulk status changes, scope."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from cohorts.roles import LEAD_GROUP, STAFF_GROUP
from placements.models import Placement

from ..factories import CadreFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(sz3):
    cadre = CadreFactory(name="李娜", phone="13912345678")
    return PlacementFactory(cadre=cadre, batch=sz3, group="即墨区小组")


@pytest.fixture
def lead_client(client, lead_sz3):
    client.force_login(lead_sz3)
    return client


def edit(client, placement, **changes):
    data = {
        "expected_version": placement.version,
        "host_unit_name": placement.host_unit.name if placement.host_unit else "",
        "group": placement.group,
        "role": placement.role,
        "department": "",
        "mentor": "",
        "status": placement.status,
        "start_date": "",
        "end_date": "",
        "notes": "",
        **changes,
    }
    return client.post(reverse("lead-placement", args=[placement.pk]), data)


# Groups and the command


def test_staff_group_holds_the_special_permissions():
    codenames = set(
        Group.objects.get(name=STAFF_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"view_all_batches", "view_full_id_number", "delete_placement"} <= codenames


def test_lead_group_may_change_placements_but_not_delete_or_see_all():
    codenames = set(
        Group.objects.get(name=LEAD_GROUP).permissions.values_list("codename", flat=True)
    )
    assert "change_placement" in codenames
    assert not codenames & {"delete_placement", "view_all_batches", "view_full_id_number"}


def test_add_team_lead_creates_a_lead_of_the_batch(sz3, sh5, django_user_model):
    call_command(
        "add_team_lead", "wang", "--batch", "SZ-3", "--batch", "sh-5", "--password", "pw-123456"
    )
    user = django_user_model.objects.get(username="wang")
    assert set(user.led_batches.all()) == {sz3, sh5}
    assert user.groups.filter(name=LEAD_GROUP).exists()
    assert user.check_password("pw-123456") and not user.is_staff


def test_add_team_lead_updates_an_existing_user(sz3, lead_sh5):
    call_command("add_team_lead", "lead_sh5", "--batch", "SZ-3", "--password", "new-pass-1")
    lead_sh5.refresh_from_db()
    assert lead_sh5.check_password("new-pass-1")
    assert lead_sh5.led_batches.count() == 2


def test_add_team_lead_refuses_an_unknown_batch(sz3, django_user_model):
    with pytest.raises(CommandError, match="SZ-9"):
        call_command("add_team_lead", "wang", "--batch", "SZ-9")
    assert not django_user_model.objects.filter(username="wang").exists()


# Their page


def test_login_takes_a_lead_to_their_batches(client, lead_sz3):
    response = client.post(reverse("login"), {"username": "lead_sz3", "password": "password"})
    assert response.url == reverse("lead-home")


def test_lead_home_lists_only_their_batches(lead_client, sz3, sh5):
    text = lead_client.get(reverse("lead-home")).content.decode()
    assert "深圳第3批" in text and "上海第5批" not in text


def test_batch_page_shows_phone_and_masked_id_number(lead_client, placement):
    text = lead_client.get(reverse("lead-batch", args=[placement.batch_id])).content.decode()
    assert "13912345678" in text
    assert placement.cadre.masked_id_number in text
    assert placement.cadre.id_number not in text


def test_batch_page_filters_by_status(lead_client, placement, sz3):
    PlacementFactory(batch=sz3, cadre=CadreFactory(name="赵敏"), status="on_site")
    url = reverse("lead-batch", args=[sz3.pk])
    text = lead_client.get(url, {"status": "on_site"}).content.decode()
    assert "赵敏" in text and "李娜" not in text


def test_batch_page_runs_a_bounded_number_of_queries(
    lead_client, sz3, django_assert_max_num_queries
):
    PlacementFactory.create_batch(20, batch=sz3)
    # session, user, user's permissions (groups), batch, groups (filter choices),
    # host units (filter choices), counts per status, placements with cadres and host units,
    # the bell's unread count
    with django_assert_max_num_queries(10):
        response = lead_client.get(reverse("lead-batch", args=[sz3.pk]))
    assert response.status_code == 200


def test_another_batch_is_not_found(lead_client, sh5):
    other = PlacementFactory(batch=sh5)
    assert lead_client.get(reverse("lead-batch", args=[sh5.pk])).status_code == 404
    assert lead_client.get(reverse("lead-placement", args=[other.pk])).status_code == 404


# Editing


def test_lead_changes_the_host_unit(lead_client, placement):
    unit = HostUnitFactory(name="腾讯集团")
    response = edit(lead_client, placement, host_unit_name="腾讯集团", role="策划")
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.host_unit, placement.role, placement.version) == (unit, "策划", 2)


def test_host_unit_matches_another_spelling(lead_client, placement):
    unit = HostUnitFactory(name="华润（集团）有限公司")
    edit(lead_client, placement, host_unit_name="华润 (集团) 有限公司")
    placement.refresh_from_db()
    assert placement.host_unit == unit


def test_an_unknown_host_unit_is_refused_in_chinese(lead_client, placement):
    response = edit(lead_client, placement, host_unit_name="不存在的公司")
    assert "没有名为不存在的公司的实训单位" in response.content.decode()


def test_lead_adds_a_new_host_unit(lead_client, placement):
    edit(lead_client, placement, host_unit_name="前海母基金", new_host_unit="on")
    placement.refresh_from_db()
    assert placement.host_unit.name == "前海母基金"
    assert placement.host_unit.city == "深圳"


def test_dates_outside_the_term_are_refused(lead_client, placement):
    response = edit(lead_client, placement, end_date="2020-12-31")
    assert response.status_code == 200
    assert "日期必须在批次实训期内" in response.content.decode()


def test_host_unit_search_returns_matching_units(lead_client):
    HostUnitFactory(name="平安证券")
    HostUnitFactory(name="腾讯集团")
    data = lead_client.get(reverse("lead-host-units"), {"q": "平安"}).json()
    assert [u["name"] for u in data["results"]] == ["平安证券"]


# Many at once


def test_lead_marks_the_whole_batch_on_site(lead_client, sz3, sh5):
    PlacementFactory.create_batch(3, batch=sz3)
    other = PlacementFactory(batch=sh5)
    url = reverse("lead-batch-status", args=[sz3.pk])
    lead_client.post(url, {"status": "on_site", "scope": "all", "confirmed": "1"})
    assert set(sz3.placements.values_list("status", flat=True)) == {"on_site"}
    other.refresh_from_db()
    assert other.status == "pending"


def test_lead_marks_selected_cadres_only(lead_client, sz3, sh5):
    chosen, left = PlacementFactory.create_batch(2, batch=sz3)
    foreign = PlacementFactory(batch=sh5)
    url = reverse("lead-batch-status", args=[sz3.pk])
    lead_client.post(
        url,
        {
            "status": "on_site",
            "scope": "selected",
            "placements": [chosen.pk, foreign.pk],
            "confirmed": "1",
        },
    )
    statuses = dict(Placement.objects.values_list("pk", "status"))
    assert statuses == {chosen.pk: "pending", left.pk: "pending", foreign.pk: "pending"}


def test_selected_cadres_change_status_with_history(lead_client, sz3):
    chosen, left = PlacementFactory.create_batch(2, batch=sz3)
    url = reverse("lead-batch-status", args=[sz3.pk])
    data = {"status": "on_site", "scope": "selected", "placements": [chosen.pk], "confirmed": "1"}
    lead_client.post(url, data)
    chosen.refresh_from_db()
    assert (chosen.status, chosen.version) == ("on_site", 2)
    assert chosen.history.latest().history_user.username == "lead_sz3"
    assert left.history.count() == 1


def test_staff_have_the_same_as_an_admin_action(client, staff, sz3):
    placements = PlacementFactory.create_batch(2, batch=sz3)
    client.force_login(staff)
    client.post(
        reverse("admin:placements_placement_changelist"),
        {"action": "mark_on_site", "_selected_action": [p.pk for p in placements], "post": "yes"},
    )
    assert set(Placement.objects.values_list("status", flat=True)) == {"on_site"}


# The admin refuses leads, and is scoped even for a lead who has is_staff


def test_admin_refuses_a_lead(lead_client):
    response = lead_client.get(reverse("admin:placements_placement_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.fixture
def staff_lead_client(client, lead_sz3):
    lead_sz3.is_staff = True
    lead_sz3.save()
    client.force_login(lead_sz3)
    return client


def test_admin_list_is_scoped_for_a_lead_with_is_staff(staff_lead_client, placement, sh5):
    PlacementFactory(batch=sh5, cadre=CadreFactory(name="钱多多"))
    text = staff_lead_client.get(reverse("admin:placements_placement_changelist")).content.decode()
    assert "李娜" in text and "钱多多" not in text


def test_admin_change_page_of_another_batch_is_not_found(staff_lead_client, sh5):
    other = PlacementFactory(batch=sh5)
    url = reverse("admin:placements_placement_change", args=[other.pk])
    assert staff_lead_client.get(url).status_code == 404


def test_admin_autocomplete_offers_only_led_batches(staff_lead_client, sz3, sh5):
    url = reverse("admin:autocomplete")
    params = {"app_label": "placements", "model_name": "placement", "field_name": "batch"}
    results = staff_lead_client.get(url, params).json()["results"]
    assert [r["id"] for r in results] == [str(sz3.pk)]


def test_admin_masks_id_numbers_for_a_lead_with_is_staff(staff_lead_client, placement):
    url = reverse("admin:cohorts_cadre_change", args=[placement.cadre_id])
    text = staff_lead_client.get(url).content.decode()
    assert placement.cadre.masked_id_number in text
    assert placement.cadre.id_number not in text


def test_batch_admin_links_team_leads(client, staff, sz3, lead_sh5):
    client.force_login(staff)
    response = client.get(reverse("admin:cohorts_batch_change", args=[sz3.pk]))
    assert "lead_sh5" in response.content.decode()


@pytest.mark.parametrize("when", [datetime.date(2020, 4, 15)])
def test_home_shows_the_term_day(lead_client, sz3, when, monkeypatch):
    monkeypatch.setattr("cohorts.terms.today", lambda: when)
    assert "第1天" in lead_client.get(reverse("lead-home")).content.decode()


# A lead who somehow reaches the admin (is_staff set by hand) is held to the same scope.


def test_cadre_page_in_the_admin_shows_only_the_leads_placements(staff_lead_client, placement, sh5):
    PlacementFactory(cadre=placement.cadre, batch=sh5, role="上海的岗位")
    url = reverse("admin:cohorts_cadre_change", args=[placement.cadre_id])
    page = staff_lead_client.get(url).content.decode()
    assert "即墨区小组" in page and "上海的岗位" not in page


def test_id_numbers_cannot_be_probed_through_admin_filters(staff_lead_client, placement):
    prefix = placement.cadre.id_number[:10]
    url = reverse("admin:cohorts_cadre_changelist") + f"?id_number__startswith={prefix}"
    assert staff_lead_client.get(url).status_code == 400  # a lookup the admin does not allow


def test_lead_in_the_admin_cannot_change_roster_fields(staff_lead_client, placement):
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    form = staff_lead_client.get(url).context["adminform"].form
    assert "home_unit" not in form.fields and "cadre" not in form.fields
    assert "role" in form.fields


def test_bulk_status_with_a_nonsense_id_is_refused_not_a_crash(lead_client, placement, sz3):
    url = reverse("lead-batch-status", args=[sz3.pk])
    data = {"status": "on_site", "scope": "selected", "placements": ["9" * 30]}
    response = lead_client.post(url, data, follow=True)
    assert {m.level_tag for m in response.context["messages"]} == {"error"}
    placement.refresh_from_db()
    assert placement.status == "pending"


def test_admin_export_with_a_bad_filter_is_a_bad_request(admin_client, sz3):
    url = reverse("admin:placements_placement_export")
    assert (
        admin_client.get(url, {"format": "csv", "start_date__gte": "not a date"}).status_code == 400
    )


def test_cadre_page_inline_accepts_only_the_leads_batches(staff_lead_client, placement, sh5):
    url = reverse("admin:cohorts_cadre_change", args=[placement.cadre_id])
    formset = staff_lead_client.get(url).context["inline_admin_formsets"][0].formset
    batches = formset.forms[0].fields["batch"].queryset
    assert placement.batch in batches and sh5 not in batches


def test_each_cadre_links_to_their_edit_page_or_else_their_history(lead_client, lead_sz3, sz3):
    placement = PlacementFactory(batch=sz3)
    url = reverse("lead-batch", args=[sz3.pk])
    assert reverse("lead-placement", args=[placement.pk]) in lead_client.get(url).content.decode()
    lead_sz3.groups.clear()
    lead_sz3.user_permissions.add(*Group.objects.get(name=LEAD_GROUP).permissions.exclude(
        codename="change_placement"))  # fmt: skip
    page = lead_client.get(url).content.decode()
    assert reverse("lead-placement-history", args=[placement.pk]) in page
    assert reverse("lead-placement", args=[placement.pk]) + '"' not in page

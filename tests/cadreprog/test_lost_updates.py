"""The lost-update guard: a save made on an older version is refused and says what changed."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from placements.models import Placement, RosterImport, RosterImportChange
from placements.services import PlacementChangedMeanwhile, placement_save

from ..factories import HostUnitFactory, LeadFactory, PlacementFactory, StaffFactory, UserFactory
from ..forms import form_data, opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(sz3):
    return PlacementFactory(batch=sz3, role="研究员")


def save_as(placement, user, **fields):
    """What an editor's form does: change fields on their copy, save on the version they saw."""
    for name, value in fields.items():
        setattr(placement, name, value)
    return placement_save(placement=placement, by=user, expected_version=placement.version)


def test_a_save_bumps_the_version(placement):
    save_as(placement, UserFactory(), role="策划")
    placement.refresh_from_db()
    assert placement.version == 2


def test_the_later_of_two_editors_is_refused(placement):
    first, second = Placement.objects.get(pk=placement.pk), Placement.objects.get(pk=placement.pk)
    save_as(first, UserFactory(username="zhang"), role="策划")
    with pytest.raises(PlacementChangedMeanwhile):
        save_as(second, UserFactory(username="li"), role="分析师")
    placement.refresh_from_db()
    assert placement.role == "策划"


def test_the_refusal_says_who_changed_what(placement):
    first, second = Placement.objects.get(pk=placement.pk), Placement.objects.get(pk=placement.pk)
    save_as(first, UserFactory(username="zhang"), role="策划")
    with pytest.raises(PlacementChangedMeanwhile) as refused:
        save_as(second, UserFactory(username="li"), role="分析师")
    assert "zhang" in refused.value.message
    assert "岗位：研究员 → 策划" in refused.value.message


def test_an_import_counts_as_a_change(placement, admin_user):
    stale = Placement.objects.get(pk=placement.pk)
    roster_import = RosterImport.objects.create(
        user=admin_user, source="admin", file_name="花名册.xlsx", outcome="imported"
    )
    RosterImportChange.objects.create(
        roster_import=roster_import, placement=placement, row=2, action="updated",
        fields={"role": ["研究员", "总裁助理"]},
    )  # fmt: skip
    Placement.objects.filter(pk=placement.pk).update(role="总裁助理", version=2)
    with pytest.raises(PlacementChangedMeanwhile) as refused:
        save_as(stale, UserFactory(), role="分析师")
    assert "导入了 花名册.xlsx" in refused.value.message


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="threads share SQLite's in-memory test database; runs on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins(sz3):
    placement = PlacementFactory(batch=sz3)
    users = [UserFactory(username="a"), UserFactory(username="b")]
    start, outcomes = threading.Barrier(2), []

    def edit(user, role):
        copy = Placement.objects.get(pk=placement.pk)
        start.wait()
        try:
            save_as(copy, user, role=role)
            outcomes.append("saved")
        except PlacementChangedMeanwhile:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(u, r))
        for u, r in zip(users, ["策划", "专员"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert Placement.objects.get(pk=placement.pk).version == 2


def test_lead_form_on_an_old_version_is_refused_and_keeps_the_input(client, lead_sz3, placement):
    HostUnitFactory(name="腾讯集团")
    client.force_login(lead_sz3)
    url = reverse("lead-placement", args=[placement.pk])
    form = opened(client, url)
    save_as(Placement.objects.get(pk=placement.pk), UserFactory(username="zhang"), role="策划")
    response = client.post(url, form | {"host_unit_name": "腾讯集团", "role": "分析师"})
    text = response.content.decode()
    assert "已被他人修改" in text and "岗位：研究员 → 策划" in text
    assert 'value="分析师"' in text and 'name="expected_version" value="2"' in text
    placement.refresh_from_db()
    assert placement.role == "策划"


def test_admin_form_on_an_old_version_is_refused(client, staff, placement):
    save_as(Placement.objects.get(pk=placement.pk), UserFactory(username="zhang"), role="策划")
    client.force_login(staff)
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    data = {
        "expected_version": 1, "cadre": placement.cadre_id, "batch": placement.batch_id,
        "status": "pending", "home_unit": "市委办公厅", "rank": "division_deputy",
        "rank_tier": "division", "role": "分析师",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    placement.refresh_from_db()
    assert placement.role == "策划"


def test_a_real_import_refuses_an_edit_opened_before_it(sz3, admin_user):
    from placements.services import placement_history
    from rosters.importing import import_roster

    from ..roster_files import csv_bytes, person, table

    import_roster(csv_bytes(table([person(1)])), "first.csv")
    stale = Placement.objects.get()
    import_roster(csv_bytes(table([person(1, 实训岗位="总裁助理")])), "更正.csv", user=admin_user)
    with pytest.raises(PlacementChangedMeanwhile) as refused:
        save_as(stale, UserFactory(), role="分析师")
    assert "更正.csv" in refused.value.message
    latest = placement_history(stale)[-1]
    assert (latest.what, latest.who) == ("导入了 更正.csv", admin_user.username)
    assert [(c.before, c.after) for c in latest.changes] == [("投资经理助理", "总裁助理")]


def test_an_admin_save_counts_as_a_change_for_a_lead_form_opened_before(
    placement, admin_user, client, lead_sz3
):
    staff_client = Client()
    staff_client.force_login(admin_user)
    client.force_login(lead_sz3)
    lead_url = reverse("lead-placement", args=[placement.pk])
    form = client.get(lead_url).context["form"]
    opened = {k: v for k, v in form.initial.items() if v is not None} | {"expected_version": 1}
    admin_url = reverse("admin:placements_placement_change", args=[placement.pk])
    form = staff_client.get(admin_url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None} | {
        "expected_version": 1, "cadre": placement.cadre_id, "batch": placement.batch_id,
        "host_unit": placement.host_unit_id, "role": "管理员改的",
    }  # fmt: skip
    assert staff_client.post(admin_url, data).status_code == 302
    placement.refresh_from_db()
    assert (placement.role, placement.version) == ("管理员改的", 2)
    response = client.post(lead_url, {**opened, "role": "负责人改的"})
    placement.refresh_from_db()
    assert placement.role == "管理员改的"
    assert "已被他人修改" in response.content.decode()
    assert "管理员改的" in response.content.decode()  # what changed meanwhile


# Saving again after a refusal (issue 13, item 4): the other's change stays.


@pytest.fixture
def lead_b(sz3):
    return LeadFactory(username="lead_b", first_name="李组长", batches=[sz3])


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def two_editors(url, first, second, having="expected_version"):
    """Both open the page before either saves."""
    a, b = client_of(first), client_of(second)
    return (a, opened(a, url, having)), (b, opened(b, url, having))


def refused_then_saved_again(b, url, data, having="expected_version"):
    refused = b.post(url, data)
    assert refused.status_code == 200
    again = form_data(refused.content.decode(), having)
    assert b.post(url, again).status_code == 302
    return refused.content.decode()


def test_lead_page_retry_after_a_refusal_keeps_the_other_change(placement, lead_sz3, lead_b):
    url = reverse("lead-placement", args=[placement.pk])
    (a, a_form), (b, b_form) = two_editors(url, lead_sz3, lead_b)
    assert a.post(url, a_form | {"role": "策划"}).status_code == 302
    refused_then_saved_again(b, url, b_form | {"mentor": "陈总"})
    placement.refresh_from_db()
    assert (placement.role, placement.mentor) == ("策划", "陈总")


def test_admin_retry_after_a_refusal_keeps_the_other_change(placement, staff):
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    (a, a_form), (b, b_form) = two_editors(url, staff, StaffFactory(username="staff2"), "role")
    assert a.post(url, a_form | {"role": "策划"}).status_code == 302
    refused_then_saved_again(b, url, b_form | {"mentor": "陈总"}, "role")
    placement.refresh_from_db()
    assert (placement.role, placement.mentor) == ("策划", "陈总")


def test_the_refusal_names_who_changed_what(placement, lead_sz3, lead_b):
    url = reverse("lead-placement", args=[placement.pk])
    (a, a_form), (b, b_form) = two_editors(url, lead_sz3, lead_b)
    a.post(url, a_form | {"role": "策划"})
    text = b.post(url, b_form | {"mentor": "陈总"}).content.decode()
    assert "已被他人修改" in text and "王书记" in text and "岗位：研究员 → 策划" in text


def test_ones_own_change_on_another_page_is_not_someone_elses(placement, lead_sz3):
    url = reverse("lead-placement", args=[placement.pk])
    (a, a_form), (b, b_form) = two_editors(url, lead_sz3, lead_sz3)
    a.post(url, a_form | {"role": "策划"})
    text = b.post(url, b_form | {"mentor": "陈总"}).content.decode()
    assert "另一页面" in text and "他人" not in text


def test_a_refusal_on_demo_data_lists_the_fields(placement, lead_sz3, lead_b):
    placement.history.all().delete()  # seeded in bulk: no record of its creation
    url = reverse("lead-placement", args=[placement.pk])
    (a, a_form), (b, b_form) = two_editors(url, lead_sz3, lead_b)
    a.post(url, a_form | {"role": "策划"})
    text = b.post(url, b_form | {"mentor": "陈总"}).content.decode()
    assert "岗位：研究员 → 策划" in text


def test_a_field_both_changed_keeps_mine_and_marks_it(placement, lead_sz3, lead_b):
    url = reverse("lead-placement", args=[placement.pk])
    (a, a_form), (b, b_form) = two_editors(url, lead_sz3, lead_b)
    a.post(url, a_form | {"role": "策划"})
    text = b.post(url, b_form | {"role": "分析师"}).content.decode()
    assert form_data(text, "expected_version")["role"] == ["分析师"]
    assert "王书记 也修改了此项：研究员 → 策划" in text


def test_without_a_valid_snapshot_nothing_of_the_stale_form_is_kept(placement, lead_sz3, lead_b):
    url = reverse("lead-placement", args=[placement.pk])
    (a, a_form), (b, b_form) = two_editors(url, lead_sz3, lead_b)
    a.post(url, a_form | {"role": "策划"})
    text = refused_then_saved_again(b, url, b_form | {"mentor": "陈总", "opened": "forged"})
    assert "请重新填写您的修改" in text
    placement.refresh_from_db()
    assert (placement.role, placement.mentor) == ("策划", "")


# The race: the other's save lands between the form's check and the write.


def test_lead_page_loses_the_race_and_is_refused_as_a_form(
    placement, lead_sz3, lead_b, monkeypatch
):
    from lead import views as lead_views

    url = reverse("lead-placement", args=[placement.pk])
    b = client_of(lead_b)
    b_form = opened(b, url)
    real = lead_views.placement_update

    def after_the_other(**kwargs):
        save_as(Placement.objects.get(pk=placement.pk), lead_sz3, role="策划")
        return real(**kwargs)

    monkeypatch.setattr(lead_views, "placement_update", after_the_other)
    text = b.post(url, b_form | {"mentor": "陈总"}).content.decode()
    assert "已被他人修改" in text
    assert form_data(text, "expected_version")["mentor"] == ["陈总"]
    placement.refresh_from_db()
    assert (placement.role, placement.mentor) == ("策划", "")


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the other's save must commit on its own connection; runs on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_admin_loses_the_race_and_shows_the_refused_form(sz3, staff, monkeypatch):
    from adminsite import versioning as versioning_admin

    placement = PlacementFactory(batch=sz3, role="研究员")
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    b = client_of(staff)
    b_form = opened(b, url, "role")
    real = versioning_admin.versioned_save

    def other():  # committed at once, on its own connection
        try:
            save_as(Placement.objects.get(pk=placement.pk), None, role="策划")
        finally:
            connection.close()

    def after_the_other(**kwargs):
        if Placement.objects.get(pk=placement.pk).version == 1:
            thread = threading.Thread(target=other)
            thread.start()
            thread.join()
        return real(**kwargs)

    monkeypatch.setattr(versioning_admin, "versioned_save", after_the_other)
    response = b.post(url, b_form | {"mentor": "陈总"})
    assert response.status_code == 200 and "已被修改" in response.content.decode()
    placement.refresh_from_db()
    assert (placement.role, placement.mentor) == ("策划", "")

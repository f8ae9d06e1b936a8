"""A placement's history: edits, bulk changes and roster imports in one timeline."""

import pytest
from django.urls import reverse

from placements.models import Placement, RosterImport, RosterImportChange
from placements.services import placement_history, placement_save, placements_set_status

from ..factories import HostUnitFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(sz3):
    return PlacementFactory(batch=sz3, host_unit=HostUnitFactory(name="平安证券"))


def change(placement, user, **fields):
    for name, value in fields.items():
        setattr(placement, name, value)
    placement_save(placement=placement, by=user, expected_version=placement.version)


def test_an_edit_records_who_and_the_fields_before_and_after(placement):
    change(placement, UserFactory(username="zhang"), host_unit=HostUnitFactory(name="腾讯集团"))
    entry = placement_history(placement)[-1]
    assert entry.who == "zhang"
    assert [(c.label, c.before, c.after) for c in entry.changes] == [
        ("实训单位", "平安证券", "腾讯集团")
    ]


def test_choices_read_as_their_labels(placement):
    placements_set_status(
        placements=Placement.objects.all(), status="on_site", by=UserFactory(username="li")
    )
    entry = placement_history(placement)[-1]
    assert [(c.before, c.after) for c in entry.changes] == [("待报到", "已到岗")]


def test_an_import_appears_in_time_order_with_its_file_and_user(placement):
    roster_import = RosterImport.objects.create(
        user=UserFactory(username="staff1"), source="admin", file_name="三批.xlsx",
        outcome="imported",
    )  # fmt: skip
    RosterImportChange.objects.create(
        roster_import=roster_import, placement=placement, row=3, action="updated",
        fields={"role": ["研究员", "策划"]},
    )  # fmt: skip
    change(placement, UserFactory(username="zhang"), mentor="陈总")
    whats = [(e.who, e.what) for e in placement_history(placement)]
    assert whats[1:] == [("staff1", "导入了 三批.xlsx"), ("zhang", "修改了")]


def test_lead_sees_the_history_of_their_placement(client, lead_sz3, placement):
    change(placement, lead_sz3, role="策划")
    client.force_login(lead_sz3)
    text = client.get(reverse("lead-placement-history", args=[placement.pk])).content.decode()
    assert "王书记" in text and "策划" in text


def test_lead_of_another_batch_cannot_see_it(client, lead_sh5, placement):
    client.force_login(lead_sh5)
    response = client.get(reverse("lead-placement-history", args=[placement.pk]))
    assert response.status_code == 404


def test_staff_see_the_history_on_the_admin_page(client, staff, placement):
    change(placement, UserFactory(username="zhang"), role="策划")
    client.force_login(staff)
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    text = client.get(url).content.decode()
    assert "zhang" in text and "策划" in text


def test_an_edit_after_an_import_shows_only_its_own_change(sz3, lead_sz3):
    from rosters.importing import import_roster

    from ..roster_files import csv_bytes, person, table

    import_roster(csv_bytes(table([person(1)])), "first.csv")
    placement = Placement.objects.get()
    import_roster(csv_bytes(table([person(1, 实训岗位="总裁助理")])), "更正.csv")
    placement.refresh_from_db()
    change(placement, lead_sz3, mentor="陈总")
    imported, edited = placement_history(placement)[-2:]
    assert [(c.label, c.after) for c in imported.changes] == [("实训岗位", "总裁助理")]
    assert (edited.what, [(c.label, c.before, c.after) for c in edited.changes]) == (
        "修改了",
        [("导师", "—", "陈总")],
    )


def test_first_edit_of_a_placement_never_recorded_is_an_edit_not_a_creation(sz3):
    placement = PlacementFactory(batch=sz3)
    placement.history.all().delete()  # as seeded demo data: written in bulk, no history
    change(placement, UserFactory(), mentor="陈总")
    assert [e.what for e in placement_history(placement)] == ["修改了"]


def imported_history() -> str:
    from rosters.importing import import_roster

    from ..roster_files import csv_bytes, person, table

    import_roster(csv_bytes(table([person(1)])), "first.csv")  # born 1980-02-07
    return " ".join(e.summary() for e in placement_history(Placement.objects.get()))


def test_history_shows_id_numbers_masked(sz3):
    from cohorts import idnumbers

    from ..roster_files import person

    number = person(1)["身份证号"]
    shown = imported_history()
    assert number not in shown and idnumbers.mask(number) in shown


def test_history_shows_the_month_of_birth_not_the_day(sz3):
    shown = imported_history()  # read by team leads: the day would give the ID number away
    assert "出生日期：— → 1980年2月、" in shown and "1980年2月7日" not in shown


def test_an_import_lists_its_changes_in_the_order_of_the_form(sz3):
    # PostgreSQL keeps a jsonb object's keys in its own order (shortest first)
    shown = imported_history()
    assert shown.index("性别") < shown.index("出生日期") < shown.index("实训单位")

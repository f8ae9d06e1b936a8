"""The lost-update guard on every model people edit (issue 13, item 5): cadres, host units,
batches, duties, topics, suggestions and projects, as placements have it. Two people open one
record; the later save is refused instead of reverting the earlier, and saving the refused
form again keeps both changes."""

import threading
import time

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from cadreprog.versioning import SNAPSHOT_SALT
from cohorts.models import Cadre

from ..factories import (
    CadreFactory,
    DutyFactory,
    HostUnitFactory,
    LeadFactory,
    PlacementFactory,
    ProjectFactory,
    StaffFactory,
    SuggestionFactory,
    TopicFactory,
)
from ..forms import form_data, opened

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editors(staff):
    """Two members of staff, each in their own browser."""
    return client_of(staff), client_of(StaffFactory(username="staff2", first_name="赵干事"))


# (admin URL name, the record, (field A changes, value), (field B changes, value))
ADMIN_CASES = {
    "host unit": ("placements_hostunit", lambda sz3: HostUnitFactory(),
                  ("contact_person", "陈经理"), ("industry", "金融")),
    "batch": ("cohorts_batch", lambda sz3: sz3, ("notes", "延期一周"), ("planned_size", "120")),
    "duty": ("ledger_duty", lambda sz3: DutyFactory(programme=sz3.programme),
             ("notes", "每日提交"), ("target", "2")),
    "topic": ("ledger_topic", lambda sz3: TopicFactory(batch=sz3), ("question", "如何招商？"),
              ("capacity", "5")),
    "suggestion": ("ledger_suggestion", lambda sz3: SuggestionFactory(batch=sz3),
                   ("title", "关于人才引进的建议"), ("submitted_on", "2020-06-02")),
    "project": ("ledger_project", lambda sz3: ProjectFactory(batch=sz3),
                ("counterpart", "前海母基金"), ("investment", "20.00")),
}  # fmt: skip


@pytest.mark.parametrize("case", ADMIN_CASES)
def test_a_stale_admin_save_is_refused_and_the_retry_keeps_both(case, sz3, editors):
    name, make, (field_a, value_a), (field_b, value_b) = ADMIN_CASES[case]
    record = make(sz3)
    url = reverse(f"admin:{name}_change", args=[record.pk])
    (a, b), having = editors, field_a
    a_form, b_form = opened(a, url, having), opened(b, url, having)
    assert a.post(url, a_form | {field_a: value_a}).status_code == 302
    refused = b.post(url, b_form | {field_b: value_b})
    assert refused.status_code == 200 and "已被他人修改" in refused.content.decode()
    assert b.post(url, form_data(refused.content.decode(), having)).status_code == 302
    record.refresh_from_db()
    assert (str(getattr(record, field_a)), str(getattr(record, field_b))) == (value_a, value_b)


def test_a_cadres_new_phone_is_not_reverted_by_a_stale_save(editors, sz3):
    cadre = PlacementFactory(batch=sz3, cadre=CadreFactory(phone="13912345678")).cadre
    url = reverse("admin:cohorts_cadre_change", args=[cadre.pk])
    a, b = editors
    a_form, b_form = opened(a, url, "phone"), opened(b, url, "phone")
    assert a.post(url, a_form | {"phone": "13800000001"}).status_code == 302
    refused = b.post(url, b_form | {"notes": "临时党支部委员"})
    assert refused.status_code == 200
    assert Cadre.objects.get().phone == "13800000001"
    assert b.post(url, form_data(refused.content.decode(), "phone")).status_code == 302
    cadre.refresh_from_db()
    assert (cadre.phone, cadre.notes) == ("13800000001", "临时党支部委员")


def test_the_cadre_pages_placements_are_not_reverted_either(staff, lead_sz3, sz3):
    placement = PlacementFactory(batch=sz3, role="研究员")
    url = reverse("admin:cohorts_cadre_change", args=[placement.cadre_id])
    b = client_of(staff)
    b_form = opened(b, url, "phone")
    lead, lead_url = client_of(lead_sz3), reverse("lead-placement", args=[placement.pk])
    assert lead.post(lead_url, opened(lead, lead_url) | {"role": "策划"}).status_code == 302
    refused = b.post(url, b_form | {"phone": "13800000002"})
    assert refused.status_code == 200
    assert b.post(url, form_data(refused.content.decode(), "phone")).status_code == 302
    placement.refresh_from_db()
    assert (placement.role, placement.cadre.phone) == ("策划", "13800000002")


def test_the_duty_list_does_not_revert_an_order_changed_meanwhile(editors, shenzhen):
    first, second = (
        DutyFactory(programme=shenzhen, order=1),
        DutyFactory(programme=shenzhen, order=2),
    )
    a, b = editors
    list_url = reverse("admin:ledger_duty_changelist")
    listed = opened(b, list_url, "-order")
    row = next(
        k[: -len("-id")] for k, v in listed.items() if k.endswith("-id") and v == [str(second.pk)]
    )
    change_url = reverse("admin:ledger_duty_change", args=[first.pk])
    assert a.post(change_url, opened(a, change_url, "order") | {"order": "5"}).status_code == 302
    refused = b.post(list_url, listed | {f"{row}-order": "3", "_save": "保存"})
    assert refused.status_code == 200
    again = form_data(refused.content.decode(), "-order") | {"_save": "保存"}
    assert b.post(list_url, again).status_code == 302
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.order, second.order) == (5, 3)


def test_a_stale_claim_does_not_replace_the_claimants_chosen_meanwhile(lead_sz3, sz3):
    topic = TopicFactory(batch=sz3, capacity=3)
    mine, theirs = PlacementFactory.create_batch(2, batch=sz3)
    url = reverse("ledger-lead-outcomes", args=[sz3.pk])
    a, b = client_of(lead_sz3), client_of(LeadFactory(username="lead_b", batches=[sz3]))
    a_form, b_form = opened(a, url, "claim-topic"), opened(b, url, "claim-topic")
    claim = {"kind": "claim", "claim-topic": str(topic.pk)}
    assert a.post(url, a_form | claim | {"claim-placements": [str(mine.pk)]}).status_code == 302
    refused = b.post(url, b_form | claim | {"claim-placements": [str(theirs.pk)]})
    assert "已被他人修改" in refused.content.decode()
    assert list(topic.claimants.all()) == [mine]


def test_a_lead_added_by_the_command_is_not_dropped_by_a_batch_page_opened_before(editors, sz3):
    a, _b = editors
    url = reverse("admin:cohorts_batch_change", args=[sz3.pk])
    form = opened(a, url, "notes")
    call_command("add_team_lead", "wang", "--batch", "SZ-3")
    assert a.post(url, form | {"notes": "延期一周"}).status_code == 200
    assert sz3.leads.filter(username="wang").exists()


def test_the_snapshot_holds_no_field_the_page_hides(client, lead_sz3, sz3):
    lead_sz3.is_staff = True  # a lead who reaches the admin sees ID numbers masked
    lead_sz3.save()
    lead_sz3.user_permissions.add(Permission.objects.get(codename="change_cadre"))
    cadre = PlacementFactory(batch=sz3).cadre
    client.force_login(lead_sz3)
    form = opened(client, reverse("admin:cohorts_cadre_change", args=[cadre.pk]), "opened")
    snapshot = signing.loads(form["opened"][0], salt=SNAPSHOT_SALT)
    assert cadre.id_number not in str(snapshot) and "id_number" not in snapshot["values"]


def test_a_roster_import_refuses_a_cadre_edit_opened_before_it(staff, sz3, admin_user):
    from rosters.importing import import_roster

    from ..roster_files import csv_bytes, person, table

    import_roster(csv_bytes(table([person(1)])), "first.csv")
    url = reverse("admin:cohorts_cadre_change", args=[Cadre.objects.get().pk])
    a = client_of(staff)
    form = opened(a, url, "phone")
    import_roster(
        csv_bytes(table([person(1, 手机号码="13900000009")])), "更正.csv", user=admin_user
    )
    refused = a.post(url, form | {"notes": "临时党支部委员"})
    assert refused.status_code == 200 and "更正.csv" in refused.content.decode()
    assert Cadre.objects.get().phone == "13900000009"


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the edit must run on its own connection while the import holds its transaction; "
    "SQLite's writers queue at BEGIN (settings); runs on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_a_cadre_edit_saved_while_an_import_runs_waits_and_is_refused(
    staff, sz3, admin_user, monkeypatch
):
    from rosters import importing

    from ..roster_files import csv_bytes, person, table

    importing.import_roster(csv_bytes(table([person(1)])), "first.csv")
    url = reverse("admin:cohorts_cadre_change", args=[Cadre.objects.get().pk])
    a = client_of(staff)
    form = opened(a, url, "phone")
    matched, run = threading.Event(), importing._Matcher.run

    def slow(self):  # the import has read the cadre, and takes a while to write
        run(self)
        matched.set()
        time.sleep(1)

    monkeypatch.setattr(importing._Matcher, "run", slow)

    def correction():
        try:
            data = csv_bytes(table([person(1, 手机号码="13900000009")]))
            importing.import_roster(data, "更正.csv", user=admin_user)
        finally:
            connection.close()

    thread = threading.Thread(target=correction)
    thread.start()
    assert matched.wait(30)
    refused = a.post(url, form | {"phone": "13700000001"})
    thread.join(60)
    assert refused.status_code == 200 and "更正.csv" in refused.content.decode()
    assert Cadre.objects.get().phone == "13900000009"


def test_a_conflict_shows_anothers_new_id_number_masked(staff, lead_sz3, sz3):
    lead_sz3.is_staff = True  # a clerk without 可查看完整身份证号 who may edit cadres
    lead_sz3.save()
    lead_sz3.user_permissions.add(Permission.objects.get(codename="change_cadre"))
    cadre = PlacementFactory(batch=sz3).cadre
    url = reverse("admin:cohorts_cadre_change", args=[cadre.pk])
    a, b = client_of(staff), client_of(lead_sz3)
    b_form = opened(b, url, "notes")
    new_number = "11010519491231002X"
    assert a.post(url, opened(a, url, "phone") | {"id_number": new_number}).status_code == 302
    # Without the page's snapshot the message reads the history, which holds the number.
    refused = b.post(url, b_form | {"notes": "临时党支部委员", "opened": ""}).content.decode()
    assert "已被他人修改" in refused and "110105" in refused
    assert new_number not in refused and "1949年12月31日" not in refused


def test_a_refusal_reads_as_the_page_shows_it_and_judges_no_stale_value(staff, lead_sz3, sz3):
    lead_sz3.is_staff = True  # edits the month of birth, not the date
    lead_sz3.save()
    lead_sz3.user_permissions.add(Permission.objects.get(codename="change_cadre"))
    cadre = PlacementFactory(batch=sz3).cadre
    url = reverse("admin:cohorts_cadre_change", args=[cadre.pk])
    a, b = client_of(staff), client_of(lead_sz3)
    b_form = opened(b, url, "notes")
    assert (
        a.post(url, opened(a, url, "phone") | {"id_number": "11010519491231002X"}).status_code
        == 302
    )
    refused = b.post(url, b_form | {"notes": "临时党支部委员"}).content.decode()
    assert "1949年12月" in refused or "1949.12" in refused
    assert "datetime" not in refused and "不符" not in refused

"""Personal data: full ID numbers by permission only, phones to staff and the batch's leads,
and the access log of every full ID number shown and every export of personal data."""

import getpass

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from security.models import AccessRecord

from ..factories import PlacementFactory, UserFactory
from ..helpers import body
from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db
FULL, EXPORT = AccessRecord.Kind.FULL_ID_NUMBER, AccessRecord.Kind.EXPORT


@pytest.fixture
def placements(sz3):
    return PlacementFactory.create_batch(3, batch=sz3, cadre__phone="13912345678")


@pytest.fixture
def staff_login(client, staff):
    client.force_login(staff)
    return client


def only_record():
    record = AccessRecord.objects.get()
    return record.who, record.kind, sorted(record.cadre_ids)


def cadre_ids(placements):
    return sorted(p.cadre_id for p in placements)


def test_a_full_id_number_seen_in_the_admin_is_logged(staff_login, placements):
    cadre = placements[0].cadre
    page = staff_login.get(reverse("admin:cohorts_cadre_change", args=[cadre.pk]))
    assert cadre.id_number in page.content.decode()
    assert only_record() == ("staff", FULL, [cadre.pk])
    assert AccessRecord.objects.get().where == f"/admin/cohorts/cadre/{cadre.pk}/change/"


def test_without_the_permission_the_number_is_masked_and_nothing_logged(client, placements):
    clerk = UserFactory(username="clerk", is_staff=True)  # in no group
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_cadre", "view_all_batches"])
    )
    client.force_login(clerk)
    cadre = placements[0].cadre
    page = client.get(reverse("admin:cohorts_cadre_change", args=[cadre.pk])).content.decode()
    assert cadre.id_number not in page and cadre.masked_id_number in page
    assert not AccessRecord.objects.exists()


def test_the_batch_page_logs_the_full_numbers_it_shows_staff(staff_login, sz3, placements):
    staff_login.get(reverse("lead-batch", args=[sz3.pk]))
    assert only_record() == ("staff", FULL, cadre_ids(placements))


def test_a_lead_sees_the_phones_of_their_batch_but_masked_numbers(
    client, lead_sz3, sz3, placements
):
    client.force_login(lead_sz3)
    page = client.get(reverse("lead-batch", args=[sz3.pk])).content.decode()
    assert "13912345678" in page
    assert placements[0].cadre.id_number not in page
    assert not AccessRecord.objects.exists()


def test_the_lead_of_another_batch_sees_no_phone(client, lead_sh5, sz3, placements):
    client.force_login(lead_sh5)
    assert client.get(reverse("lead-batch", args=[sz3.pk])).status_code == 404
    for url in ("/cadres/", "/placements/", "/cadres/export/?format=csv"):
        assert b"13912345678" not in body(client.get(url))


@pytest.mark.parametrize("url", ["/placements/export/", "/cadres/export/"])
def test_list_exports_are_logged(staff_login, placements, url):
    staff_login.get(url, {"format": "csv"})
    assert only_record() == ("staff", EXPORT, cadre_ids(placements))


def test_the_admin_export_is_logged(staff_login, placements):
    staff_login.get(reverse("admin:placements_placement_export"), {"format": "xlsx"})
    assert only_record() == ("staff", EXPORT, cadre_ids(placements))


def test_the_admin_export_actions_are_logged(staff_login, sz3, placements):
    staff_login.post(
        reverse("admin:placements_placement_changelist"),
        {"action": "export_selected_csv", "_selected_action": [placements[0].pk]},
    )
    assert only_record() == ("staff", EXPORT, [placements[0].cadre_id])
    staff_login.post(
        reverse("admin:cohorts_batch_changelist"),
        {"action": "export_batches", "_selected_action": [sz3.pk]},
    )
    assert AccessRecord.objects.count() == 2


def test_the_error_file_download_is_logged(staff_login, sz3, placements):
    rows = [person(1, 身份证号="123"), {**person(2), "姓名": placements[0].cadre.name}]
    upload = SimpleUploadedFile("r.csv", csv_bytes(table(rows)))
    token = staff_login.post(reverse("admin:placements_placement_import"), {"file": upload})
    staff_login.get(
        reverse("admin:placements_placement_import_errors", args=[token.context["token"]])
    )
    record = AccessRecord.objects.get()
    assert (record.who, record.kind) == ("staff", EXPORT) and "r.csv" in record.where


def test_the_export_command_logs_the_operator(placements, tmp_path):
    call_command("export_roster", output=str(tmp_path / "r.csv"), verbosity=0)
    record = AccessRecord.objects.get()
    assert record.who == f"{getpass.getuser()} (export_roster)" and record.user is None
    assert sorted(record.cadre_ids) == cadre_ids(placements)


def test_staff_read_the_log_and_cannot_change_it(staff_login, placements):
    staff_login.get("/placements/export/", {"format": "csv"})
    record = AccessRecord.objects.get()
    assert staff_login.get(reverse("admin:security_accessrecord_changelist")).status_code == 200
    change = reverse("admin:security_accessrecord_change", args=[record.pk])
    page = staff_login.get(change).content.decode()
    assert 'name="_save"' not in page
    assert f"{placements[0].cadre.name}（{placements[0].cadre_id}）" in page
    assert staff_login.post(change, {"who": "someone else"}).status_code == 403
    delete = reverse("admin:security_accessrecord_delete", args=[record.pk])
    assert staff_login.post(delete, {"post": "yes"}).status_code == 403
    assert AccessRecord.objects.get().who == "staff"


def test_leads_cannot_read_the_log(client, lead_sz3):
    client.force_login(lead_sz3)
    response = client.get(reverse("admin:security_accessrecord_changelist"))
    assert response.status_code == 302  # to the admin's login: leads are not admin users

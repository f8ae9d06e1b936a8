"""Large roster uploads in the background (rosters/uploads.py): the upload answers with a status
page, the check and the import run as tasks (inline here: no REDIS_URL), their state and preview
kept on the RosterUpload, their progress a small JSON endpoint."""

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from placements.models import Placement, RosterImport, RosterUpload
from rosters import tasks, uploads

from ..factories import LeadFactory, StaffFactory
from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:placements_placement_import")
CONFIRM = reverse("admin:placements_placement_import_confirm")
State = RosterUpload.State


@pytest.fixture(autouse=True)
def small_threshold(settings):
    """Files of more than one data row go to the background."""
    settings.ROSTER_BACKGROUND_ROWS = 1


def upload(client, rows=3, name="花名册.csv", data=None):
    data = data or csv_bytes(table([person(n) for n in range(1, rows + 1)]))
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def status(upload_):
    return reverse("admin:placements_placement_import_status", args=[upload_.token])


def progress(upload_):
    return reverse("admin:placements_placement_import_progress", args=[upload_.token])


def test_a_large_upload_answers_with_its_status_page(staff_client, sz3):
    response = upload(staff_client)
    kept = RosterUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/placements/placement/import/{kept.token}/"
    assert (kept.state, kept.row_count, kept.ok) == (State.CHECKED, 3, True)
    assert not Placement.objects.exists()


def test_a_small_upload_is_still_previewed_in_the_request(staff_client, sz3, settings):
    settings.ROSTER_BACKGROUND_ROWS = 2000
    response = upload(staff_client)
    assert response.status_code == 200
    assert response.context["counts"]["new"] == 3
    assert RosterUpload.objects.get().state == State.INLINE


def test_the_status_page_renders_the_stored_preview(staff_client, sz3):
    upload(staff_client)
    page = staff_client.get(status(RosterUpload.objects.get()))
    assert page.context["counts"]["new"] == 3
    assert [row.number for row in page.context["shown_rows"]] == [2, 3, 4]
    assert "确认导入" in page.content.decode()


def test_the_stored_preview_shows_row_errors_and_no_confirm(staff_client, sz3):
    data = csv_bytes(table([person(1), person(2, 职级="大官")]))
    upload(staff_client, data=data)
    kept = RosterUpload.objects.get()
    page = staff_client.get(status(kept)).content.decode()
    assert kept.ok is False
    assert "“大官”不是职级" in page
    assert "确认导入" not in page
    assert RosterImport.objects.get().outcome == "refused"


def test_progress_answers_json_with_the_state(staff_client, sz3):
    upload(staff_client)
    answer = staff_client.get(progress(RosterUpload.objects.get())).json()
    assert answer["state"] == "checked"
    assert answer["finished"] is True
    assert set(answer) >= {"state", "stalled", "finished", "done", "total", "text", "redirect"}


def test_progress_while_writing_shows_rows_written(staff_client, sz3):
    upload(staff_client)
    kept = RosterUpload.objects.get()
    RosterUpload.objects.filter(pk=kept.pk).update(state=State.WRITING, confirmed_at=timezone.now())
    uploads._Reporter(kept.token)("written", 2)
    answer = staff_client.get(progress(kept)).json()
    assert (answer["state"], answer["finished"], answer["done"], answer["total"]) == (
        "writing",
        False,
        2,
        3,
    )


def test_another_users_upload_is_not_found(client, staff_client, sz3):
    upload(staff_client)
    kept = RosterUpload.objects.get()
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(status(kept)).status_code == 404
    assert client.get(progress(kept)).status_code == 404
    assert client.post(CONFIRM, {"token": kept.token}).status_code == 404


def test_a_team_lead_is_refused(client, staff_client, sz3):
    upload(staff_client)
    kept = RosterUpload.objects.get()
    client.force_login(LeadFactory(is_staff=True))
    assert client.get(progress(kept)).status_code == 403


def test_confirm_imports_and_notifies_the_uploader(staff_client, admin_user, sz3):
    upload(staff_client)
    kept = RosterUpload.objects.get()
    response = staff_client.post(CONFIRM, {"token": kept.token})
    assert response["Location"] == status(kept)
    kept.refresh_from_db()
    assert kept.state == State.IMPORTED
    assert Placement.objects.count() == 3
    assert kept.roster_import.new_count == 3
    note = Notification.objects.get(user=admin_user, key=f"roster-upload:{kept.pk}:imported")
    assert note.kind == "import"
    page = staff_client.get(status(kept)).content.decode()
    assert f"?batch__id__exact={sz3.pk}" in page


def test_the_write_task_run_twice_writes_once(staff_client, sz3, monkeypatch):
    upload(staff_client)
    kept = RosterUpload.objects.get()
    queued = []
    monkeypatch.setattr(uploads, "enqueue", lambda task, *args, key: queued.append(args))
    uploads.upload_confirm(upload=kept)
    assert queued == [(kept.pk, 1)]
    tasks.upload_write(kept.pk, 1)
    tasks.upload_write(kept.pk, 1)
    assert Placement.objects.count() == 3
    assert RosterImport.objects.filter(outcome="imported").count() == 1


def test_a_crash_mid_import_leaves_nothing_and_confirming_again_works(
    staff_client, admin_user, sz3, monkeypatch
):
    upload(staff_client)
    kept = RosterUpload.objects.get()
    report = uploads._Reporter.__call__

    def crash(self, phase, rows):
        if phase == "written":
            raise RuntimeError("worker lost")
        report(self, phase, rows)

    monkeypatch.setattr(uploads._Reporter, "__call__", crash)
    staff_client.post(CONFIRM, {"token": kept.token})
    kept.refresh_from_db()
    assert kept.state == State.FAILED
    assert not Placement.objects.exists()
    assert not RosterImport.objects.filter(outcome="imported").exists()
    assert "再次确认" in staff_client.get(status(kept)).content.decode()
    failed = Notification.objects.get(user=admin_user, key=f"roster-upload:{kept.pk}:failed:1")
    assert "未写入任何数据" in failed.body
    monkeypatch.setattr(uploads._Reporter, "__call__", report)
    staff_client.post(CONFIRM, {"token": kept.token})
    kept.refresh_from_db()
    assert (kept.state, kept.confirmations) == (State.IMPORTED, 2)
    assert Placement.objects.count() == 3


def test_a_stalled_import_can_be_confirmed_again(staff_client, sz3):
    upload(staff_client)
    kept = RosterUpload.objects.get()
    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    RosterUpload.objects.filter(pk=kept.pk).update(
        state=State.WRITING, confirmed_at=two_minutes_ago, confirmations=1
    )
    answer = staff_client.get(progress(kept)).json()
    assert (answer["stalled"], answer["finished"]) == (True, True)
    assert "再次确认" in staff_client.get(status(kept)).content.decode()
    staff_client.post(CONFIRM, {"token": kept.token})
    assert Placement.objects.count() == 3


def test_a_running_import_is_not_confirmed_again(staff_client, sz3, monkeypatch):
    upload(staff_client)
    kept = RosterUpload.objects.get()
    RosterUpload.objects.filter(pk=kept.pk).update(
        state=State.WRITING, confirmed_at=timezone.now(), confirmations=1
    )
    assert uploads.upload_confirm(upload=kept) is False


def test_a_file_that_cannot_be_read_fails_and_says_why(staff_client, admin_user, sz3):
    data = csv_bytes([["甲", "乙"], ["1", "2"], ["3", "4"]])
    upload(staff_client, data=data)
    kept = RosterUpload.objects.get()
    assert kept.state == State.FAILED
    assert "表头" in kept.failure
    page = staff_client.get(status(kept)).content.decode()
    assert "表头" in page and "确认导入" not in page
    assert Notification.objects.filter(user=admin_user, kind="import").exists()


def test_the_import_page_and_the_records_list_uploads_in_progress(staff_client, sz3):
    upload(staff_client)
    link = status(RosterUpload.objects.get())
    assert link in staff_client.get(IMPORT).content.decode()
    assert link in staff_client.get("/admin/placements/rosterimport/").content.decode()


def test_uploads_forget_keeps_only_what_is_fresh_or_being_written(sz3, admin_user):
    old = timezone.now() - datetime.timedelta(days=2)

    def make(state, created_at, confirmed_at=None):
        kept = RosterUpload.objects.create(
            token=f"t-{RosterUpload.objects.count()}", user=admin_user, file_name="a.csv",
            data=b"x", state=state, confirmed_at=confirmed_at,
        )  # fmt: skip
        RosterUpload.objects.filter(pk=kept.pk).update(created_at=created_at)
        return kept.pk

    fresh = make(State.CHECKED, timezone.now())
    writing = make(State.WRITING, old, confirmed_at=timezone.now())
    for state in (State.INLINE, State.CHECKED, State.IMPORTED, State.FAILED):
        make(state, old)
    make(State.WRITING, old, confirmed_at=old)  # nothing for a day: gone too
    assert tasks.uploads_forget() == 5
    assert set(RosterUpload.objects.values_list("pk", flat=True)) == {fresh, writing}


@pytest.mark.django_db(transaction=True)
def test_confirming_a_stalled_upload_a_task_still_holds_answers_at_once(admin_user, sz3):
    """The import still runs (it holds the upload's row), only silent for long: confirming
    again is refused at once rather than waiting for it to end."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: its writers queue for the whole database")
    kept = RosterUpload.objects.create(
        token="a" * 32, user=admin_user, file_name="x.csv", data=b"", row_count=3,
        state=State.WRITING, confirmations=1,
        confirmed_at=timezone.now() - datetime.timedelta(minutes=2),
    )  # fmt: skip
    holding, done = threading.Event(), threading.Event()

    def task():
        with transaction.atomic():
            RosterUpload.objects.select_for_update().get(pk=kept.pk)
            holding.set()
            done.wait(10)
        connection.close()

    thread = threading.Thread(target=task)
    thread.start()
    holding.wait(10)
    try:
        assert uploads.upload_confirm(upload=kept) is False
    finally:
        done.set()
        thread.join()
    assert uploads.upload_confirm(upload=kept) is True  # once the task has let go

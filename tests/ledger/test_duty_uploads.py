"""Large duty-progress uploads in the background (ledger/uploads.py): the upload answers with a
status page, the import (read, check, write) runs as a task (inline here: no REDIS_URL), its
state kept on the DutyUpload, its progress a small JSON endpoint."""

import datetime
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cadreprog import background
from cohorts.terms import today
from ledger import tasks, uploads
from ledger.models import DutyUpload, ProgressEntry
from notifications.models import Notification

from ..factories import BatchFactory, CadreFactory, DutyFactory, LeadFactory, PlacementFactory
from .test_duty_import import csv_file, day

pytestmark = pytest.mark.django_db
State = DutyUpload.State
ROWS = [["李娜", "走访企业", day(), "3", ""], ["王强", "走访企业", day(2), "", "华润"]]


@pytest.fixture(autouse=True)
def small_threshold(settings):
    """Files of more than one data row go to the background."""
    settings.ROSTER_BACKGROUND_ROWS = 1


@pytest.fixture
def batch(shenzhen, lead_sz3):
    """A batch 20 days into its term, led by the lead of SZ-3, with 李娜 and 王强."""
    batch = BatchFactory(programme=shenzhen, number=9, start_date=today() - timedelta(days=19))
    batch.leads.add(lead_sz3)
    DutyFactory(programme=shenzhen, name="走访企业", cadence="counted", target=20)
    PlacementFactory(batch=batch, cadre=CadreFactory(name="李娜"))
    PlacementFactory(batch=batch, cadre=CadreFactory(name="王强"))
    return batch


@pytest.fixture
def lead_client(client, lead_sz3):
    client.force_login(lead_sz3)
    return client


def upload(client, batch, data=None):
    data = data or csv_file(*ROWS)
    return client.post(
        reverse("ledger-lead-duties-import", args=[batch.pk]),
        {"file": SimpleUploadedFile("进度.csv", data)},
    )


def status(kept):
    return reverse("ledger-lead-duties-upload", args=[kept.batch_id, kept.token])


def progress(kept):
    return reverse("ledger-lead-duties-upload-progress", args=[kept.batch_id, kept.token])


def test_a_large_upload_answers_with_its_status_page(lead_client, batch):
    response = upload(lead_client, batch)
    kept = DutyUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/lead/batches/{batch.pk}/duties/import/{kept.token}/"
    assert (kept.state, kept.written) == (State.IMPORTED, 2)
    assert ProgressEntry.objects.count() == 2
    page = lead_client.get(status(kept)).content.decode()
    assert "已导入2条任务进度" in page


def test_a_small_upload_is_still_imported_in_the_request(lead_client, batch, settings):
    settings.ROSTER_BACKGROUND_ROWS = 2000
    response = upload(lead_client, batch)
    assert response["Location"] == reverse("ledger-lead-duties", args=[batch.pk])
    assert ProgressEntry.objects.count() == 2
    assert not DutyUpload.objects.exists()


def test_a_file_with_an_error_writes_nothing_and_lists_it(lead_client, lead_sz3, batch):
    upload(lead_client, batch, csv_file(ROWS[0], ["赵六", "走访企业", day(), "1", ""]))
    kept = DutyUpload.objects.get()
    assert (kept.state, kept.problem_count) == (State.FAILED, 1)
    assert not ProgressEntry.objects.exists()
    page = lead_client.get(status(kept)).content.decode()
    assert "第4行，“姓名”列：深圳第9批没有名为赵六的队员。" in page
    failed = Notification.objects.get(user=lead_sz3, key=f"duty-upload:{kept.pk}:failed:1")
    assert (failed.kind, failed.url) == ("import", status(kept))
    assert "未导入" in failed.body


def test_the_uploader_is_notified_when_it_is_imported(lead_client, lead_sz3, batch):
    upload(lead_client, batch)
    kept = DutyUpload.objects.get()
    note = Notification.objects.get(user=lead_sz3, key=f"duty-upload:{kept.pk}:imported")
    assert note.kind == "import" and note.url == status(kept)


def test_progress_answers_json_as_the_roster_upload(lead_client, batch):
    upload(lead_client, batch)
    answer = lead_client.get(progress(DutyUpload.objects.get())).json()
    assert set(answer) == {"state", "stalled", "phase", "finished", "done", "total", "text",
                           "redirect"}  # fmt: skip
    assert (answer["state"], answer["finished"]) == ("imported", True)


def test_progress_while_importing_shows_rows_written(lead_client, batch):
    upload(lead_client, batch)
    kept = DutyUpload.objects.get()
    DutyUpload.objects.filter(pk=kept.pk).update(state=State.CHECKING, started_at=timezone.now())
    background.Reporter(uploads.PROGRESS, kept.token)("written", 2)
    answer = lead_client.get(progress(kept)).json()
    assert (answer["finished"], answer["done"], answer["total"]) == (False, 2, 3)
    assert answer["text"] == "已写入 2 / 3 行"


def test_another_lead_gets_404(client, lead_client, batch):
    upload(lead_client, batch)
    kept = DutyUpload.objects.get()
    client.force_login(LeadFactory(batches=[batch]))  # leads the batch too, but did not upload
    assert client.get(status(kept)).status_code == 404
    assert client.get(progress(kept)).status_code == 404
    assert client.post(status(kept)).status_code == 404


def test_the_uploader_who_no_longer_leads_the_batch_gets_404(lead_client, lead_sz3, batch):
    upload(lead_client, batch)
    kept = DutyUpload.objects.get()
    batch.leads.remove(lead_sz3)
    assert lead_client.get(status(kept)).status_code == 404
    assert lead_client.get(progress(kept)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, lead_client, batch):
    upload(lead_client, batch)
    kept = DutyUpload.objects.get()
    client.logout()
    for url in (status(kept), progress(kept)):
        assert client.get(url).url.startswith("/accounts/login/")


def queued_upload(lead_client, batch, monkeypatch):
    """An upload whose task is not run yet; returns it and the tasks queued."""
    queued = []
    monkeypatch.setattr(uploads, "enqueue", lambda task, *args, key: queued.append(args))
    upload(lead_client, batch)
    return DutyUpload.objects.get(), queued


def test_the_task_run_twice_writes_once(lead_client, lead_sz3, batch, monkeypatch):
    kept, queued = queued_upload(lead_client, batch, monkeypatch)
    assert queued == [(kept.pk,)]
    assert tasks.upload_import(kept.pk) == "imported"
    assert tasks.upload_import(kept.pk) == "imported"
    assert ProgressEntry.objects.count() == 2
    assert Notification.objects.filter(user=lead_sz3).count() == 1


def test_a_crash_mid_write_leaves_nothing_and_it_can_be_started_again(
    lead_client, lead_sz3, batch, monkeypatch
):
    report = background.Reporter.__call__

    def crash(self, phase, rows):
        if phase == "written":
            raise RuntimeError("worker lost")
        report(self, phase, rows)

    monkeypatch.setattr(background.Reporter, "__call__", crash)
    upload(lead_client, batch)
    kept = DutyUpload.objects.get()
    assert kept.state == State.FAILED
    assert not ProgressEntry.objects.exists()
    assert "未写入任何数据" in lead_client.get(status(kept)).content.decode()
    assert Notification.objects.filter(key=f"duty-upload:{kept.pk}:failed:1").exists()
    monkeypatch.setattr(background.Reporter, "__call__", report)
    assert lead_client.post(status(kept))["Location"] == status(kept)
    kept.refresh_from_db()
    assert (kept.state, kept.attempts) == (State.IMPORTED, 2)
    assert ProgressEntry.objects.count() == 2


def test_a_stalled_import_can_be_started_again(lead_client, batch, monkeypatch):
    kept, queued = queued_upload(lead_client, batch, monkeypatch)
    page = lead_client.get(status(kept)).content.decode()
    assert "data-progress-url" in page and "重新开始" not in page
    assert uploads.upload_restart(upload=kept) is False  # running, not stalled
    DutyUpload.objects.filter(pk=kept.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    background.progress_forget(uploads.PROGRESS, kept.token)
    answer = lead_client.get(progress(kept)).json()
    assert (answer["stalled"], answer["finished"]) == (True, True)
    assert "重新开始" in lead_client.get(status(kept)).content.decode()
    lead_client.post(status(kept))
    assert queued == [(kept.pk,), (kept.pk,)]


def test_an_imported_upload_is_not_started_again(lead_client, batch):
    upload(lead_client, batch)
    kept = DutyUpload.objects.get()
    assert uploads.upload_restart(upload=kept) is False
    assert ProgressEntry.objects.count() == 2


def test_the_duties_page_lists_the_leads_uploads_under_way(lead_client, batch, monkeypatch):
    kept, _queued = queued_upload(lead_client, batch, monkeypatch)
    page = lead_client.get(reverse("ledger-lead-duties", args=[batch.pk])).content.decode()
    assert status(kept) in page


def test_uploads_forget_keeps_only_what_is_fresh_or_being_imported(batch, lead_sz3):
    old = timezone.now() - datetime.timedelta(days=2)

    def make(state, created_at, started_at=None):
        kept = DutyUpload.objects.create(
            token=f"t-{DutyUpload.objects.count()}", user=lead_sz3, batch=batch,
            file_name="a.csv", data=b"x", state=state, started_at=started_at,
        )  # fmt: skip
        DutyUpload.objects.filter(pk=kept.pk).update(created_at=created_at)
        return kept.pk

    fresh = make(State.FAILED, timezone.now())
    running = make(State.CHECKING, old, started_at=timezone.now())
    for state in (State.IMPORTED, State.FAILED):
        make(state, old)
    make(State.CHECKING, old, started_at=old)  # nothing for a day: gone too
    assert tasks.uploads_forget() == 3
    assert set(DutyUpload.objects.values_list("pk", flat=True)) == {fresh, running}


def test_the_forgetting_runs_hourly(settings):
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["ledger.uploads_forget"]["schedule"] == 3600.0

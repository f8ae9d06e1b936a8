"""Exports of more than settings.EXPORT_BACKGROUND_ROWS rows: made by a task (inline here, as
without REDIS_URL), offered on /exports/<pk>/ to their asker for a day (rosters/prepared.py)."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from rosters import prepared
from rosters.exporting import write
from rosters.models import RosterExport
from rosters.tasks import export_make, exports_forget
from security.models import AccessRecord

from ..factories import PlacementFactory, StaffFactory
from ..helpers import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(settings):
    """Above two rows an export is made in the background."""
    settings.EXPORT_BACKGROUND_ROWS = 2


@pytest.fixture
def three(sz3):
    return PlacementFactory.create_batch(3, batch=sz3)


def ask(client, params=None, url="/placements/export/"):
    """Export as a big one: the redirect to the export's page, and the export."""
    response = client.get(url, {"format": "csv", **(params or {})})
    assert response.status_code == 302, response
    export = RosterExport.objects.latest("pk")
    assert response["Location"] == reverse("export-page", args=[export.pk])
    return export


def download(client, export):
    return client.get(reverse("export-download", args=[export.pk]))


def test_a_big_export_answers_a_page_that_offers_the_file_at_once(big, three, staff_client):
    response = staff_client.get("/placements/export/", {"format": "csv"}, follow=True)
    assert response["Content-Type"].startswith("text/html")
    export = RosterExport.objects.get()
    assert export.status == RosterExport.Status.READY and export.rows == 3
    assert reverse("export-download", args=[export.pk]) in response.content.decode()


def test_an_export_of_exactly_the_limit_is_still_direct(big, sz3, staff_client):
    PlacementFactory.create_batch(2, batch=sz3)
    response = staff_client.get("/placements/export/", {"format": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert not RosterExport.objects.exists()


def test_the_prepared_file_is_what_a_direct_export_gives_in_the_order_on_screen(
    settings, three, staff_client
):
    params = {"format": "csv", "o": "-name"}
    direct = body(staff_client.get("/placements/export/", params))
    settings.EXPORT_BACKGROUND_ROWS = 2
    response = download(staff_client, ask(staff_client, params))
    assert body(response) == direct
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert ".csv" in response["Content-Disposition"]


def test_an_xlsx_export_from_the_admin_is_prepared_too(big, three, staff_client):
    export = ask(staff_client, {"format": "xlsx"}, url="/admin/placements/placement/export/")
    assert export.format == "xlsx" and export.file_name.endswith(".xlsx")
    assert body(download(staff_client, export))[:2] == b"PK"  # a zip: the workbook


def test_another_user_gets_nothing_of_an_export(big, three, staff_client, client):
    export = ask(staff_client)
    client.force_login(StaffFactory(username="other"))
    for name in ("export-page", "export-progress", "export-download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404


def test_an_expired_export_is_refused_in_chinese(big, three, staff_client):
    export = ask(staff_client)
    RosterExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    response = download(staff_client, export)
    assert response.status_code == 410
    assert "保留一天" in response.content.decode()


def test_exports_forget_deletes_the_expired_ones_only(big, three, staff_client):
    old, new = ask(staff_client), ask(staff_client)
    RosterExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(1))
    assert exports_forget.apply().get() == 1
    assert list(RosterExport.objects.values_list("pk", flat=True)) == [new.pk]
    assert download(staff_client, old).status_code == 404


def test_a_ready_export_is_kept_a_day_from_when_it_is_ready(big, three, staff_client):
    export = ask(staff_client)
    export.refresh_from_db()
    assert export.expires_at - export.finished_at == timedelta(days=1)


def test_the_asker_is_notified_with_the_download_link(big, three, staff_client, admin_user):
    export = ask(staff_client)
    notification = Notification.objects.get(user=admin_user)
    assert notification.kind == Kind.EXPORT and notification.key == f"export:{export.pk}"
    assert notification.url == reverse("export-download", args=[export.pk])
    assert export.file_name in notification.title and "已" in notification.title


def test_running_the_task_twice_makes_one_file_and_one_notification(big, three, staff_client):
    export = ask(staff_client)
    with mock.patch.object(prepared, "write", wraps=prepared.write) as write:
        assert export_make.apply(args=[export.pk]).get() == "ready"
    write.assert_not_called()
    assert Notification.objects.filter(key=f"export:{export.pk}").count() == 1


def test_id_numbers_are_masked_for_a_user_without_the_permission(big, three, lead_sz3, client):
    assert not lead_sz3.has_perm("cohorts.view_full_id_number")
    client.force_login(lead_sz3)
    export = ask(client)
    text = body(download(client, export)).decode("utf-8-sig")
    assert not export.full_ids
    for placement in three:
        assert placement.cadre.masked_id_number in text
        assert placement.cadre.id_number not in text


def test_a_leads_export_holds_only_their_batches(big, sz3, sh5, lead_sz3, client):
    mine = PlacementFactory.create_batch(3, batch=sz3)
    PlacementFactory.create_batch(3, batch=sh5)
    client.force_login(lead_sz3)
    export = ask(client)
    assert sorted(export.placement_ids) == sorted(p.pk for p in mine)
    assert body(download(client, export)).decode("utf-8-sig").count("深圳第3批") == 3


def test_asking_and_each_download_are_in_the_access_log(big, three, staff_client):
    export = ask(staff_client)
    download(staff_client, export)
    asked, downloaded = AccessRecord.objects.order_by("pk")
    assert asked.where == export.file_name
    assert downloaded.where.startswith(reverse("export-download", args=[export.pk]))
    assert downloaded.cadre_ids == asked.cadre_ids == sorted(p.cadre_id for p in three)


def test_a_placement_deleted_meanwhile_is_left_out(big, three, staff_client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # asked now, made later
    with mock.patch.object(prepared, "enqueue"):
        export = ask(staff_client)
    three[0].delete()
    assert export_make.apply(args=[export.pk]).get() == "ready"
    export.refresh_from_db()
    assert export.rows == 2 and export.total == 3


def test_a_failure_says_why_in_chinese_and_is_notified(big, three, staff_client):
    with mock.patch.object(prepared, "write", side_effect=ValueError("boom")):
        export = ask(staff_client)
    export.refresh_from_db()
    assert export.status == RosterExport.Status.FAILED and "请重新导出" in export.error
    assert "失败" in Notification.objects.get(key=f"export:{export.pk}").title
    page = staff_client.get(reverse("export-page", args=[export.pk])).content.decode()
    assert export.error in page and "boom" not in page
    assert download(staff_client, export).status_code == 404


def test_a_database_fault_inline_fails_at_once_with_its_reason(big, three, staff_client):
    from django.db import OperationalError

    with mock.patch.object(prepared, "write", side_effect=OperationalError("gone away")):
        export = ask(staff_client)
    export.refresh_from_db()
    assert export.status == RosterExport.Status.FAILED and "数据库" in export.error


def test_a_waiting_export_shows_a_progress_bar_that_polls_its_endpoint(
    big, three, staff_client, admin_user
):
    export = RosterExport.objects.create(user=admin_user, file_name="x.csv", format="csv", total=3)
    prepared.progress_set(prepared.PROGRESS, export.pk, done=1)
    page = staff_client.get(reverse("export-page", args=[export.pk])).content.decode()
    assert f'data-progress-url="{reverse("export-progress", args=[export.pk])}"' in page
    assert "js/progress" in page
    state = staff_client.get(reverse("export-progress", args=[export.pk])).json()
    assert state == {"finished": False, "done": 1, "total": 3, "text": state["text"],
                     "redirect": ""}  # fmt: skip


def test_a_ready_exports_progress_is_finished(big, three, staff_client):
    export = ask(staff_client)
    state = staff_client.get(reverse("export-progress", args=[export.pk])).json()
    assert state["finished"] and state["done"] == state["total"] == 3


def test_a_file_with_full_id_numbers_is_refused_to_who_lost_the_permission(big, three, client):
    staff = StaffFactory(username="clerk")
    client.force_login(staff)
    export = ask(client)
    assert export.full_ids
    staff.groups.clear()  # the staff group gives 可查看完整身份证号
    assert download(client, export).status_code == 403


def test_the_page_and_the_progress_run_few_queries(
    big, three, staff_client, django_assert_num_queries
):
    export = ask(staff_client)
    # 1 the session, 2 the user, 3 the export (without its file and ids), 4 the bell's unread count
    with django_assert_num_queries(4):
        staff_client.get(reverse("export-page", args=[export.pk]))
    # the same without the bell: the JSON has no header
    with django_assert_num_queries(3):
        staff_client.get(reverse("export-progress", args=[export.pk]))


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_write_the_file_once(three, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("threads cannot share SQLite's in-memory test database")
    user = StaffFactory(username="asker", email="")
    export = RosterExport.objects.create(
        user=user, file_name="x.csv", format="csv", total=3, placement_ids=[p.pk for p in three]
    )
    writes = []

    def slow_write(*args):
        writes.append(1)
        time.sleep(0.4)  # the second run comes while the first holds the export
        return write(*args)

    monkeypatch.setattr(prepared, "write", slow_write)
    barrier, outcomes = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            outcomes.append(prepared.export_make(export.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == ["ready", "ready"] and len(writes) == 1
    assert Notification.objects.filter(key=f"export:{export.pk}").count() == 1

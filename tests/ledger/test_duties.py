"""Duties: recording progress (one cadre or many), copying a list into a batch, the lead's duty
page with its roll-ups, and the list of cadres behind on a duty with its export."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.terms import today
from ledger import services
from ledger.models import Duty, ProgressEntry

from ..factories import BatchFactory, CadreFactory, DutyFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(shenzhen, lead_sz3):
    """A batch 20 days into its term, led by the lead of SZ-3."""
    batch = BatchFactory(programme=shenzhen, number=9, start_date=today() - timedelta(days=19))
    batch.leads.add(lead_sz3)
    return batch


@pytest.fixture
def log(shenzhen):
    return DutyFactory(programme=shenzhen, name="学习日志", cadence=Duty.Cadence.DAILY)


@pytest.fixture
def lead_client(client, lead_sz3):
    client.force_login(lead_sz3)
    return client


def record(placements, duty, on=None, count=1):
    return services.progress_record(placements=placements, duty=duty, on=on or today(), count=count)


def record_days(placements, duty, days: int, batch=None):
    """One entry a day for the first `days` days of the term (a daily log kept)."""
    start = (batch or placements[0].batch).start_date
    for n in range(days):
        record(placements, duty, on=start + timedelta(days=n))


def test_one_entry_is_recorded_for_each_chosen_cadre(current, log):
    placements = PlacementFactory.create_batch(3, batch=current)
    record(placements, log)
    assert ProgressEntry.objects.filter(duty=log).count() == 3


def test_a_duty_of_another_programme_is_refused(current, shanghai):
    other = DutyFactory(programme=shanghai, name="走访企业")
    with pytest.raises(ValidationError, match="不是"):
        record([PlacementFactory(batch=current)], other)


def test_a_date_outside_the_term_is_refused(current, log):
    with pytest.raises(ValidationError, match="实训期"):
        record([PlacementFactory(batch=current)], log, on=current.start_date - timedelta(days=1))


def test_a_future_date_is_refused(current, log):
    with pytest.raises(ValidationError):
        record([PlacementFactory(batch=current)], log, on=today() + timedelta(days=1))


def test_nothing_is_recorded_when_one_cadre_fails(current, log, sz3):
    with pytest.raises(ValidationError):
        record([PlacementFactory(batch=current), PlacementFactory(batch=sz3)], log)
    assert not ProgressEntry.objects.exists()


def test_a_batch_with_its_own_list_no_longer_uses_the_programmes(current, log):
    own = DutyFactory(programme=None, batch=current, name="走访企业", cadence="counted", target=20)
    assert list(Duty.objects.for_batch(current)) == [own]


def test_copying_a_programmes_list_gives_the_batch_its_own(current, log):
    assert services.duties_copy(batch=current, source=current.programme) == 1
    assert Duty.objects.for_batch(current).get().batch == current


def test_copying_moves_recorded_progress_to_the_copy(current, log):
    record([PlacementFactory(batch=current)], log)
    services.duties_copy(batch=current, source=current.programme)
    assert ProgressEntry.objects.get().duty.batch == current


def test_copying_from_an_earlier_batch_keeps_what_the_batch_has(current, sz3):
    DutyFactory(programme=None, batch=sz3, name="走访企业", cadence="counted", target=20)
    DutyFactory(programme=None, batch=current, name="走访企业", cadence="counted", target=30)
    assert services.duties_copy(batch=current, source=sz3) == 0
    assert Duty.objects.for_batch(current).get().target == 30


# The lead's duty page


def test_the_lead_records_for_the_ticked_cadres(lead_client, current, log):
    chosen = PlacementFactory.create_batch(2, batch=current)
    PlacementFactory(batch=current)
    response = lead_client.post(
        reverse("ledger-lead-duties-record", args=[current.pk]),
        {"duty": log.pk, "date": today().isoformat(), "count": 1,
         "placements": [p.pk for p in chosen]},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(ProgressEntry.objects.values_list("placement", flat=True)) == {p.pk for p in chosen}


def test_recording_without_a_ticked_cadre_says_so(lead_client, current, log):
    response = lead_client.post(
        reverse("ledger-lead-duties-record", args=[current.pk]),
        {"duty": log.pk, "date": today().isoformat(), "count": 1},
    )
    assert response.status_code == 400
    assert "请先在名单中勾选队员" in response.content.decode()


def test_a_lead_cannot_record_for_another_batch(client, lead_sh5, current, log):
    client.force_login(lead_sh5)
    placement = PlacementFactory(batch=current)
    response = client.post(
        reverse("ledger-lead-duties-record", args=[current.pk]),
        {"duty": log.pk, "date": today().isoformat(), "count": 1, "placements": [placement.pk]},
    )
    assert response.status_code == 404
    assert not ProgressEntry.objects.exists()


def test_the_page_shows_each_cadres_progress_on_the_chosen_duty(lead_client, current, log):
    placement = PlacementFactory(batch=current, cadre=CadreFactory(name="李娜"))
    record_days([placement], log, 5)
    page = lead_client.get(reverse("ledger-lead-duties", args=[current.pk])).content.decode()
    assert "李娜" in page and "5 / 100" in page


def test_the_roll_up_counts_who_is_behind(lead_client, current, log):
    keeping_up, _behind = PlacementFactory.create_batch(2, batch=current)
    record_days([keeping_up], log, 19)  # days 1 to 19 are over
    page = lead_client.get(reverse("ledger-lead-duties", args=[current.pk])).content.decode()
    assert "2人中1人进度正常" in page and "1人落后" in page


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_runs_the_same_queries_whatever_the_size(
    lead_client, current, log, size, django_assert_num_queries
):
    for placement in PlacementFactory.create_batch(size, batch=current):
        record([placement], log)
    DutyFactory(programme=current.programme, name="学习心得", cadence="weekly")
    # 1 session, 2 user, 3-4 permissions (user's, groups'), 5 batch, 6 placements with cadres,
    # 7 the batch's duties, 8 progress summed per cadre and duty, 9 the lead's large uploads
    # under way (ledger/uploads.py), 10 the bell's unread count
    with django_assert_num_queries(10):
        lead_client.get(reverse("ledger-lead-duties", args=[current.pk]))


# Behind on a duty


def behind_url(batch, duty, export=""):
    view = "ledger-behind-export" if export else "ledger-behind"
    return (
        reverse(view)
        + f"?batch={batch.code}&duty={duty.name}"
        + (f"&format={export}" if export else "")
    )


def test_the_list_shows_only_who_is_behind(lead_client, current, log):
    ahead = PlacementFactory(batch=current, cadre=CadreFactory(name="王强"))
    PlacementFactory(batch=current, cadre=CadreFactory(name="赵敏"))
    record_days([ahead], log, 19)
    page = lead_client.get(behind_url(current, log)).content.decode()
    assert "赵敏" in page and "王强" not in page


def test_the_export_escapes_a_name_a_spreadsheet_would_run(lead_client, current, log):
    PlacementFactory(batch=current, cadre=CadreFactory(name="=1+1"), group="=cmd")
    response = lead_client.get(behind_url(current, log, export="csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1:3] == ["'=1+1", "'=cmd"]


def test_the_xlsx_export_lists_the_same_rows(lead_client, current, log):
    from openpyxl import load_workbook

    PlacementFactory.create_batch(2, batch=current)
    response = lead_client.get(behind_url(current, log, export="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3


def test_a_lead_of_another_batch_gets_no_list(client, lead_sh5, current, log):
    client.force_login(lead_sh5)
    assert client.get(behind_url(current, log)).status_code == 404


def test_staff_copy_a_list_into_a_batch_in_the_admin(staff_client, current, log):
    response = staff_client.post(
        reverse("admin:ledger_duty_copy"), {"batch": current.pk, "programme": current.programme_id}
    )
    assert response.status_code == 302
    assert Duty.objects.for_batch(current).get().batch == current


def test_the_admin_copy_needs_exactly_one_source(staff_client, current, sz3):
    response = staff_client.post(
        reverse("admin:ledger_duty_copy"),
        {"batch": current.pk, "programme": current.programme_id, "source_batch": sz3.pk},
    )
    assert "二选一" in response.content.decode()


def test_staff_add_an_entry_in_the_admin_under_their_name(staff_client, admin_user, current, log):
    placement = PlacementFactory(batch=current)
    response = staff_client.post(
        reverse("admin:ledger_progressentry_add"),
        {"placement": placement.pk, "duty": log.pk, "date": today().isoformat(), "count": 1},
    )
    assert response.status_code == 302
    assert ProgressEntry.objects.get().recorded_by == admin_user


def test_the_admin_refuses_an_entry_outside_the_term(staff_client, current, log):
    placement = PlacementFactory(batch=current)
    day = (current.start_date - timedelta(days=3)).isoformat()
    response = staff_client.post(
        reverse("admin:ledger_progressentry_add"),
        {"placement": placement.pk, "duty": log.pk, "date": day, "count": 1},
    )
    assert "不在" in response.content.decode() and not ProgressEntry.objects.exists()


def test_the_export_is_written_to_the_access_log(lead_client, lead_sz3, current, log):
    from security.models import AccessRecord

    behind = PlacementFactory(batch=current)
    lead_client.get(behind_url(current, log, export="csv"))
    record = AccessRecord.objects.get()
    assert (record.user, record.cadre_ids) == (lead_sz3, [behind.cadre_id])


# A cadre's own term (fix 1), withdrawn cadres (fix 2), per-period duties (fix 4)


def test_a_cadre_who_started_late_is_not_behind_for_days_before_their_start(
    lead_client, current, log
):
    on_time = PlacementFactory(batch=current, cadre=CadreFactory(name="王强"))
    PlacementFactory(batch=current, cadre=CadreFactory(name="赵敏"), start_date=today())
    record_days([on_time], log, 19)
    page = lead_client.get(behind_url(current, log)).content.decode()
    assert "赵敏" not in page
    duties = lead_client.get(reverse("ledger-lead-duties", args=[current.pk])).content.decode()
    assert "2人中2人进度正常" in duties


def test_a_withdrawn_cadre_is_neither_behind_nor_counted(lead_client, current, log):
    PlacementFactory(batch=current, cadre=CadreFactory(name="赵敏"), status="withdrawn")
    kept = PlacementFactory(batch=current)
    record_days([kept], log, 19)
    assert "赵敏" not in lead_client.get(behind_url(current, log)).content.decode()
    page = lead_client.get(reverse("ledger-lead-duties", args=[current.pk])).content.decode()
    assert "1人中1人进度正常" in page and "已退出" in page
    csv_rows = lead_client.get(behind_url(current, log, export="csv")).content.decode("utf-8-sig")
    assert "赵敏" not in csv_rows


def test_the_dashboard_roll_up_leaves_out_the_withdrawn_and_reads_own_dates(current, log):
    from ledger import statistics

    PlacementFactory(batch=current, status="withdrawn")
    PlacementFactory(batch=current, start_date=today())
    ((_batch, (rollup,)),) = statistics.current_batches_duties([current])
    assert (rollup.cadres, rollup.lagging) == (1, 0)


def test_the_dashboard_roll_up_counts_as_the_lead_page_does(current, log, shenzhen):
    from ledger import statistics

    visits = DutyFactory(programme=shenzhen, name="走访企业", cadence="counted", target=20)
    keeping, late, own = PlacementFactory.create_batch(3, batch=current)
    PlacementFactory.create_batch(2, batch=current)  # nothing recorded
    own.start_date = current.start_date + timedelta(days=5)
    own.save()
    record_days([keeping], log, 19)
    record_days([late], log, 3)
    record([own, keeping], visits, count=7)
    placements = list(current.placements.all())
    _duties, _done, expected = statistics.batch_duties(current, placements)
    ((_batch, rollups),) = statistics.current_batches_duties([current])

    def figures(rollups):
        return [(r.duty.pk, r.cadres, r.total, r.done, r.standings) for r in rollups]

    assert figures(rollups) == figures(expected) and rollups[0].lagging == 4


def test_a_daily_log_is_recorded_once_a_day(current, log):
    placement = PlacementFactory(batch=current)
    record([placement], log)
    with pytest.raises(ValidationError, match="已记录"):
        record([placement], log)
    assert ProgressEntry.objects.count() == 1


def test_a_form_sent_twice_records_once(lead_client, current, log):
    placement = PlacementFactory(batch=current)
    data = {"duty": log.pk, "date": today().isoformat(), "count": 1, "placements": [placement.pk]}
    url = reverse("ledger-lead-duties-record", args=[current.pk])
    assert lead_client.post(url, data).status_code == 302
    assert lead_client.post(url, data).status_code == 400
    assert ProgressEntry.objects.count() == 1


def test_a_daily_log_takes_no_count_above_one(lead_client, current, log):
    placement = PlacementFactory(batch=current)
    response = lead_client.post(
        reverse("ledger-lead-duties-record", args=[current.pk]),
        {"duty": log.pk, "date": today().isoformat(), "count": 100, "placements": [placement.pk]},
    )
    assert response.status_code == 400 and not ProgressEntry.objects.exists()
    assert "数量最多为1" in response.content.decode()


def test_a_counted_target_may_have_two_entries_a_day(current):
    visits = DutyFactory(programme=current.programme, name="走访企业", cadence="counted", target=20)
    placement = PlacementFactory(batch=current)
    record([placement], visits, count=3)
    record([placement], visits, count=2)
    assert ProgressEntry.objects.count() == 2

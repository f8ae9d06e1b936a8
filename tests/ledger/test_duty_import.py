"""Duty progress from a spreadsheet: every row or none, each error beside its row, in Chinese;
the command's exit codes; the lead's upload."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from cohorts.terms import today
from ledger.importing import import_progress
from ledger.models import ProgressEntry

from ..factories import BatchFactory, CadreFactory, DutyFactory, PlacementFactory

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "任务", "日期", "数量", "备注"]


@pytest.fixture
def batch(shenzhen, lead_sz3):
    batch = BatchFactory(programme=shenzhen, number=9, start_date=today() - timedelta(days=19))
    batch.leads.add(lead_sz3)
    DutyFactory(programme=shenzhen, name="走访企业", cadence="counted", target=20)
    PlacementFactory(batch=batch, cadre=CadreFactory(name="李娜"))
    PlacementFactory(batch=batch, cadre=CadreFactory(name="王强"))
    return batch


def csv_file(*rows, header=HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([["任务进度表"], header, *rows])
    return out.getvalue().encode(encoding)


def day(n=1):
    return (today() - timedelta(days=n)).isoformat()


def test_every_row_becomes_an_entry(batch):
    result = import_progress(
        csv_file(["李娜", "走访企业", day(), "3", ""], ["王强", "走访企业", day(2), "", "华润"]),
        "进度.csv",
        batch=batch,
    )
    assert result.ok, result.problems
    assert sorted(ProgressEntry.objects.values_list("count", flat=True)) == [1, 3]


def test_a_gbk_file_reads_as_well(batch):
    data = csv_file(["李娜", "走访企业", day(), "2", "备注"], encoding="gbk")
    assert import_progress(data, "进度.csv", batch=batch).ok


def test_an_xlsx_file_reads_as_well(batch):
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["李娜", "走访企业", today() - timedelta(days=1), 2, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert import_progress(buffer.getvalue(), "进度.xlsx", batch=batch).ok


def test_one_bad_row_writes_nothing_and_names_its_row(batch):
    result = import_progress(
        csv_file(["李娜", "走访企业", day(), "2", ""], ["赵六", "走访企业", day(), "1", ""]),
        "进度.csv",
        batch=batch,
    )
    assert not ProgressEntry.objects.exists()
    assert [str(p) for p in result.problems] == ["第4行，“姓名”列：深圳第9批没有名为赵六的队员。"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["李娜", "金点子", day(), "1", ""], "没有名为“金点子”的任务"),
        (["李娜", "走访企业", "明天", "1", ""], "不是日期"),
        (["李娜", "走访企业", day(-1), "1", ""], "日期不能晚于今天"),
        (["李娜", "走访企业", day(40), "1", ""], "日期须在实训期内"),
        (["李娜", "走访企业", day(), "两次", ""], "不是数量"),
        (["李娜", "", day(), "1", ""], "缺少任务名称"),
    ],
)  # fmt: skip
def test_each_error_says_what_is_wrong_in_chinese(batch, row, message):
    result = import_progress(csv_file(row), "进度.csv", batch=batch)
    assert message in str(result.problems[0])


def test_two_cadres_of_one_name_need_the_id_number(batch):
    PlacementFactory(batch=batch, cadre=CadreFactory(name="李娜"))
    result = import_progress(
        csv_file(["李娜", "走访企业", day(), "1", ""]), "进度.csv", batch=batch
    )
    assert "请填写身份证号" in str(result.problems[0])


def test_a_missing_column_is_named(batch):
    result = import_progress(
        csv_file(["李娜", day()], header=["姓名", "日期"]), "进度.csv", batch=batch
    )
    assert "任务" in str(result.problems[0])


def test_a_row_of_another_batch_is_refused_on_a_batch_upload(batch, sh5):
    data = csv_file(["SH-5", "李娜", "走访企业", day(), "1"], header=["批次", *HEADER[:4]])
    result = import_progress(data, "进度.csv", batch=batch)
    assert "此文件用于深圳第9批" in str(result.problems[0])


# The command


def write(tmp_path, data, name="进度.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_command_imports_and_exits_0(batch, tmp_path):
    path = write(tmp_path, csv_file(["李娜", "走访企业", day(), "2", ""]))
    call_command("import_duty_progress", path, "--batch", batch.code, stdout=io.StringIO())
    assert ProgressEntry.objects.count() == 1


def test_a_dry_run_writes_nothing(batch, tmp_path):
    path = write(tmp_path, csv_file(["李娜", "走访企业", day(), "2", ""]))
    call_command(
        "import_duty_progress", path, "--batch", batch.code, "--dry-run", stdout=io.StringIO()
    )
    assert not ProgressEntry.objects.exists()


def test_a_file_with_errors_exits_1(batch, tmp_path):
    path = write(tmp_path, csv_file(["赵六", "走访企业", day(), "2", ""]))
    with pytest.raises(SystemExit) as exit:
        call_command(
            "import_duty_progress", path, "--batch", batch.code,
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert exit.value.code == 1


def test_an_unknown_batch_is_a_usage_error(tmp_path):
    path = write(tmp_path, csv_file())
    with pytest.raises(CommandError) as error:
        call_command("import_duty_progress", path, "--batch", "SZ-99")
    assert error.value.returncode == 2


# The lead's upload


def test_the_lead_uploads_a_file(client, lead_sz3, batch):
    client.force_login(lead_sz3)
    upload = SimpleUploadedFile("进度.csv", csv_file(["李娜", "走访企业", day(), "2", ""]))
    response = client.post(reverse("ledger-lead-duties-import", args=[batch.pk]), {"file": upload})
    assert response.status_code == 302
    assert ProgressEntry.objects.get().recorded_by == lead_sz3


def test_a_refused_upload_lists_its_errors(client, lead_sz3, batch):
    client.force_login(lead_sz3)
    upload = SimpleUploadedFile("进度.csv", csv_file(["赵六", "走访企业", day(), "2", ""]))
    response = client.post(reverse("ledger-lead-duties-import", args=[batch.pk]), {"file": upload})
    assert response.status_code == 400
    assert "没有名为赵六的队员" in response.content.decode()


def test_an_upload_over_the_row_limit_is_refused_unread(client, lead_sz3, batch, settings):
    settings.ROSTER_UPLOAD_MAX_ROWS = 1
    client.force_login(lead_sz3)
    rows = [["李娜", "走访企业", day(), "2", ""], ["李娜", "走访企业", day(2), "1", ""]]
    upload = SimpleUploadedFile("进度.csv", csv_file(*rows))
    response = client.post(reverse("ledger-lead-duties-import", args=[batch.pk]), {"file": upload})
    assert response.status_code == 400
    assert not ProgressEntry.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, lead_sz3, batch, settings):
    settings.ROSTER_UPLOAD_MAX_BYTES = 10
    client.force_login(lead_sz3)
    upload = SimpleUploadedFile("进度.csv", csv_file(["李娜", "走访企业", day(), "2", ""]))
    response = client.post(reverse("ledger-lead-duties-import", args=[batch.pk]), {"file": upload})
    assert response.status_code == 400
    assert "上限为" in response.content.decode()


# Counts (fix 3), duplicates (fix 4), batches (fixes 6 and 7), notes and dates


def test_a_superscript_two_is_no_count_and_no_crash(batch):
    result = import_progress(
        csv_file(["李娜", "走访企业", day(), "²", ""]), "进度.csv", batch=batch
    )
    assert "不是数量" in str(result.problems[0]) and not ProgressEntry.objects.exists()


def test_a_full_width_count_reads(batch):
    assert import_progress(
        csv_file(["李娜", "走访企业", day(), "３", ""]), "进度.csv", batch=batch
    ).ok
    assert ProgressEntry.objects.get().count == 3


@pytest.fixture
def log(batch):
    return DutyFactory(programme=batch.programme, name="学习日志", cadence="daily")


def test_the_same_days_log_twice_in_a_file_is_refused(batch, log):
    row = ["李娜", "学习日志", day(), "1", ""]
    result = import_progress(csv_file(row, row), "进度.csv", batch=batch)
    assert [str(p) for p in result.problems] == [
        f"第4行，“日期”列：李娜的{day()}学习日志也在第3行。"
    ]
    assert not ProgressEntry.objects.exists()


def test_a_file_imported_twice_is_refused_the_second_time(batch, log):
    data = csv_file(["李娜", "学习日志", day(), "", ""])
    assert import_progress(data, "进度.csv", batch=batch).ok
    result = import_progress(data, "进度.csv", batch=batch)
    assert "已记录" in str(result.problems[0]) and ProgressEntry.objects.count() == 1


def test_a_daily_log_of_count_five_is_refused(batch, log):
    result = import_progress(
        csv_file(["李娜", "学习日志", day(), "5", ""]), "进度.csv", batch=batch
    )
    assert "数量最多为1" in str(result.problems[0])


def test_a_batch_written_in_chinese_numerals_is_found(batch):
    data = csv_file(["深圳第九批", "李娜", "走访企业", day(), "1"], header=["批次", *HEADER[:4]])
    assert import_progress(data, "进度.csv").ok


def test_only_the_named_batchs_cadres_are_read(batch, sz3, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PlacementFactory.create_batch(3, batch=sz3)
    data = csv_file(["SZ-9", "李娜", "走访企业", day(), "1"], header=["批次", *HEADER[:4]])
    with CaptureQueriesContext(connection) as queries:
        assert import_progress(data, "进度.csv").ok
    read = [q["sql"] for q in queries if 'FROM "placements_placement"' in q["sql"]]
    assert len(read) == 1 and f"IN ({batch.pk})" in read[0]


def test_an_overlong_note_is_reported_not_cut(batch):
    result = import_progress(
        csv_file(["李娜", "走访企业", day(), "1", "很" * 201]), "进度.csv", batch=batch
    )
    assert "201" in str(result.problems[0]) and not ProgressEntry.objects.exists()


def test_a_bad_date_is_told_how_to_write_a_day(batch):
    result = import_progress(
        csv_file(["李娜", "走访企业", "下周", "1", ""]), "进度.csv", batch=batch
    )
    assert "2020-04-15" in str(result.problems[0]) and "1985" not in str(result.problems[0])

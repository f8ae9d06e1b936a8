"""Issue 15's spellings through `import_roster --json`: each read into the normal form stored, or
refused with its own message in the JSON's errors. One parametrised test per section."""

import datetime
import json
from contextlib import suppress

import pytest
from django.core.management import call_command

from cohorts.models import Cadre
from placements.models import Placement
from placements.ranks import Rank

from ..factories import make_id_number
from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db


def import_json(tmp_path, capsys, rows) -> dict:
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(table(rows)))
    with suppress(SystemExit):  # exit 1 when the file has errors; the JSON is printed all the same
        call_command("import_roster", str(path), "--json")
    return json.loads(capsys.readouterr().out.splitlines()[-1])


def assert_imported(out: dict):
    assert out["errors"] == [] and out["new"] == 1, out


@pytest.mark.parametrize(
    "written, rank",
    [
        ("巡视员", Rank.BUREAU_CHIEF),
        ("副巡视员", Rank.BUREAU_DEPUTY),
        ("调研员", Rank.DIVISION_CHIEF),
        ("副调研员", Rank.DIVISION_DEPUTY),
        ("主任科员", Rank.SECTION_CHIEF),
        ("副主任科员", Rank.SECTION_DEPUTY),
        ("处级正职", Rank.DIVISION_CHIEF),
        ("科级副职", Rank.SECTION_DEPUTY),
        ("正县处级", Rank.DIVISION_CHIEF),
        ("正厅局级", Rank.BUREAU_CHIEF),
        ("正处级（一级调研员）", Rank.DIVISION_CHIEF),
        ("副处级/三级调研员", Rank.DIVISION_DEPUTY),
        ("正处级干部", Rank.DIVISION_CHIEF),
        ("正处级。", Rank.DIVISION_CHIEF),
        ("-", Rank.OTHER),
        ("/", Rank.OTHER),
    ],
)
def test_rank_spelling_imports_as_its_rank(sz3, tmp_path, capsys, written, rank):
    assert_imported(import_json(tmp_path, capsys, [person(1, 职级=written)]))
    assert Placement.objects.get().rank == rank


def errors(out: dict) -> list[str]:
    return [error["message"] for error in out["errors"]]


@pytest.mark.parametrize(
    "written, born",
    [
        ("1985-10-01 00:00:00", datetime.date(1985, 10, 1)),
        ("1985年10月份", datetime.date(1985, 10, 1)),
        ("1985.10.", datetime.date(1985, 10, 1)),
        ("1985。10", datetime.date(1985, 10, 1)),
        ("85.10", datetime.date(1985, 10, 1)),
        ("85年10月", datetime.date(1985, 10, 1)),
        ("一九八五年十月", datetime.date(1985, 10, 1)),
        ("851001", datetime.date(1985, 10, 1)),
        ("02.03", datetime.date(2002, 3, 1)),  # 18 when SZ-3 starts (2020-04-15)
        ("02.10", datetime.date(1902, 10, 1)),  # 2002 would make a 17-year-old
    ],
)
def test_birth_month_spelling_imports_as_its_date(sz3, tmp_path, capsys, written, born):
    row = person(1, 出生年月=written, 身份证号="")
    assert_imported(import_json(tmp_path, capsys, [row]))
    assert Cadre.objects.get().birth_date == born


@pytest.mark.parametrize(
    "written, message",
    [
        ("2985.10", "“2985.10”得出的出生年份是 2985 年，距今不足 16 年，请核对年份。"),
        ("1085.10", "“1085.10”得出的出生年份是 1085 年，早于 1900 年，请核对年份。"),
        ("0985.10", "“0985.10”得出的出生年份是 985 年，早于 1900 年，请核对年份。"),
    ],
)
def test_birth_year_out_of_range_is_refused_in_the_json(sz3, tmp_path, capsys, written, message):
    out = import_json(tmp_path, capsys, [person(1, 出生年月=written, 身份证号="")])
    assert errors(out) == [message]
    assert not Cadre.objects.exists()


@pytest.mark.parametrize(
    "written",
    ["2020-05-06 00:00:00", "2020年5月6日", "2020年5月6号", "2020年5月6日（周三）", "2020.05.06."],
)
def test_start_date_spelling_imports_as_its_day(sz3, tmp_path, capsys, written):
    # A day after the batch's start (a start on the batch's own start is stored as none).
    assert_imported(import_json(tmp_path, capsys, [person(1, 开始日期=written)]))
    assert Placement.objects.get().start_date == datetime.date(2020, 5, 6)


@pytest.mark.parametrize(
    "written, stored",
    [
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("86-13812345678", "13812345678"),
        ("+86 (0)532 8888 6666", "0532-88886666"),
        ("0532 8888 6666", "0532-88886666"),
        ("0532-8888-6666", "0532-88886666"),
        ("0532.8888.6666", "0532-88886666"),
        ("0532—8888—6666", "0532-88886666"),
        ("０５３２－８８８８６６６６", "0532-88886666"),
        ("0532-88886666转123", "0532-88886666-123"),
        ("0532-88886666 ext 123", "0532-88886666-123"),
    ],
)
def test_phone_spelling_imports_as_its_normal_form(sz3, tmp_path, capsys, written, stored):
    assert_imported(import_json(tmp_path, capsys, [person(1, 手机号码=written)]))
    assert Cadre.objects.get().phone == stored


@pytest.mark.parametrize(
    "written, message",
    [
        (
            "12012345678",
            "12012345678 不是在用的手机号码：没有运营商使用 120 开头的号段。请检查是否输入有误。",
        ),
        (
            "14012345678",
            "14012345678 不是在用的手机号码：没有运营商使用 140 开头的号段。请检查是否输入有误。",
        ),
        (
            "53288886666",
            "53288886666 像是被 Excel 去掉了开头 0 的固定电话。请把该列设为文本格式，并连同区号"
            "重新输入，如 0532-88886666。",
        ),
    ],
)
def test_phone_refusal_is_in_the_json(sz3, tmp_path, capsys, written, message):
    out = import_json(tmp_path, capsys, [person(1, 手机号码=written)])
    assert errors(out) == [message]
    assert not Cadre.objects.exists()


@pytest.mark.parametrize(
    "written, code",
    [
        ("沪第五批", "SH-5"),
        ("深三批", "SZ-3"),
        ("深圳第三期", "SZ-3"),
        ("深圳3批", "SZ-3"),
        ("SZ3", "SZ-3"),
        ("SZ 3", "SZ-3"),
        ("SZ—3", "SZ-3"),
        ("第5批（上海）", "SH-5"),
    ],
)
def test_batch_name_imports_into_its_batch(sz3, sh5, tmp_path, capsys, written, code):
    assert_imported(import_json(tmp_path, capsys, [person(1, 批次=written)]))
    assert Placement.objects.get().batch.code == code


@pytest.mark.parametrize("region", ["990101", "000000"])
def test_id_number_of_no_province_is_refused_in_the_json(sz3, tmp_path, capsys, region):
    number = make_id_number(datetime.date(1985, 3, 12), region=region)
    out = import_json(tmp_path, capsys, [person(1, 身份证号=number, 出生年月="1985.03")])
    assert errors(out) == [
        f"身份证号 {number} 以 {region[:2]} 开头，这不是任何省级行政区的代码，请核对前几位数字。"
    ]
    assert not Cadre.objects.exists()

"""Roster import: formats, headers, values, whole-file checks, matching, all or nothing."""

import datetime
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from cohorts.models import Cadre
from placements.models import HostUnit, Placement, RosterImport, RosterImportChange
from rosters.importing import import_roster

from ..factories import (
    BatchFactory,
    CadreFactory,
    HostUnitFactory,
    PlacementFactory,
    ProgrammeFactory,
)
from ..roster_files import csv_bytes, person, table, xls_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(data, name="roster.csv", **options):
    return import_roster(data, name, **options)


def messages(result) -> list[str]:
    return [str(problem) for problem in result.problems]


def only_error(result):
    assert len(result.problems) == 1, messages(result)
    return result.problems[0]


# Formats and encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_imports(sz3, encoding):
    result = run(csv_bytes(table([person(1), person(2)]), encoding))
    assert result.ok, messages(result)
    names = sorted(Cadre.objects.values_list("name", flat=True))
    assert names == sorted([person(1)["姓名"], person(2)["姓名"]])


def test_gb18030_keeps_a_character_that_gbk_lacks(sz3):
    result = run(csv_bytes(table([person(1, 姓名="王䶮")]), "gb18030"))
    assert result.ok, messages(result)
    assert Cadre.objects.get().name == "王䶮"


def test_utf16_tab_separated_text_from_excel_imports(sz3):
    assert run(csv_bytes(table([person(1)]), "utf-16", delimiter="\t")).ok


def test_xlsx_imports(sz3):
    result = run(xlsx_bytes(table([person(1)])), "roster.xlsx")
    assert result.ok, messages(result)
    assert Placement.objects.get().batch == sz3


def test_xls_imports(sz3):
    result = run(xls_bytes(table([person(1)])), "roster.xls")
    assert result.ok, messages(result)
    assert Cadre.objects.get().name == person(1)["姓名"]


def test_xlsx_date_cell_is_a_birth_date(sz3):
    row = person(1, 身份证号="", 出生年月=datetime.datetime(1983, 5, 9))
    assert run(xlsx_bytes(table([row])), "r.xlsx").ok
    assert Cadre.objects.get().birth_date == datetime.date(1983, 5, 9)


def test_xls_date_serial_number_is_a_birth_date(sz3):
    row = person(1, 身份证号="", 出生年月=datetime.date(1983, 5, 9))
    assert run(xls_bytes(table([row]), dates_as_numbers=True), "r.xls").ok
    assert Cadre.objects.get().birth_date == datetime.date(1983, 5, 9)


def test_xlsx_formula_is_stored_as_its_text(sz3):
    rows = table([person(1, 备注="x")])
    rows[1][-1] = "=1+1"
    assert run(xlsx_bytes(rows), "r.xlsx").ok
    assert Placement.objects.get().notes == "=1+1"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "photo.csv"),
        (b"PK\x03\x04garbage", "r.xlsx"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(sz3, data, name):
    problem = only_error(run(data, name))
    assert problem.row is None
    assert "xlsx" in problem.message or "CSV" in problem.message


def test_csv_content_named_xlsx_is_refused(sz3):
    message = only_error(run(csv_bytes(table([person(1)])), "roster.xlsx")).message
    assert "roster.xlsx" in message


def test_empty_file_is_refused(sz3):
    assert only_error(run(b"", "r.csv")).message == "文件是空的。"


def test_header_without_people_is_refused(sz3):
    assert "没有" in only_error(run(csv_bytes(table([])))).message


# Header


def test_title_rows_above_the_header_keep_the_spreadsheet_row_numbers(sz3):
    rows = [["第三批赴深圳体悟实训干部花名册"], *table([person(1), person(2, 职级="大官")])]
    problem = only_error(run(csv_bytes(rows)))
    assert (problem.row, problem.column) == (4, "职级")
    assert "大官" in problem.message


def test_row_numbers_without_title_start_at_two(sz3):
    problem = only_error(run(csv_bytes(table([person(1, 职级="大官")]))))
    assert problem.row == 2


def test_serial_number_column_is_ignored_and_unknown_columns_are_listed(sz3):
    rows = table([person(1) | {"序号": "1", "籍贯": "山东"}])
    result = run(csv_bytes(rows))
    assert result.ok, messages(result)
    assert result.ignored_columns == ["籍贯"]


def test_headers_match_with_spaces_full_width_spaces_and_english(sz3):
    header = ["batch", "姓 名", "身份证号\u3000", " home_unit "]
    result = run(csv_bytes([header, ["SZ-3", "王伟", person(1)["身份证号"], "市委办公厅"]]))
    assert result.ok, messages(result)
    assert Placement.objects.get().home_unit == "市委办公厅"


def test_footer_and_blank_rows_are_skipped(sz3):
    rows = [*table([person(1)]), [], ["合计", "1人"], ["填表人：张三", "", "审核人：李四"]]
    result = run(csv_bytes(rows))
    assert result.ok, messages(result)
    assert result.count("new") == 1


def test_every_sheet_with_a_header_is_read(sz3):
    first, second = table([person(1)]), table([person(2)])
    result = run(xlsx_bytes(first, [["说明：本表由区市填报"]], second), "r.xlsx")
    assert result.ok, messages(result)
    assert Placement.objects.count() == 2


def test_errors_on_several_sheets_name_the_sheet(sz3):
    data = xlsx_bytes(
        table([person(1)]), table([person(2, 性别="未知")]), titles=["市南区", "崂山区"]
    )
    problem = only_error(run(data, "r.xlsx"))
    assert (problem.sheet, problem.row, problem.column) == ("崂山区", 2, "性别")


def test_missing_required_column_is_named(sz3):
    rows = [["批次", "姓名", "身份证号"], ["SZ-3", "王伟", person(1)["身份证号"]]]
    problem = only_error(run(csv_bytes(rows)))
    assert problem.column == "工作单位"
    assert "工作单位" in problem.message


def test_batch_column_is_required_without_batch_option(sz3):
    rows = table([person(1)])
    without_batch = [r[1:] for r in rows]
    assert only_error(run(csv_bytes(without_batch))).column == "批次"
    assert run(csv_bytes(without_batch), batch=sz3).ok


# Values


@pytest.mark.parametrize(
    "written", ["SZ-3", "sz-3", "深圳第3批", "深圳第三批", "第三批赴深圳体悟实训"]
)
def test_each_spelling_of_a_batch_names_it(sz3, shanghai, written):
    BatchFactory(programme=shanghai, number=3)
    result = run(csv_bytes(table([person(1, 批次=written)])))
    assert result.ok, messages(result)
    assert Placement.objects.get().batch == sz3


def test_unknown_batch_is_named_as_written(sz3):
    problem = only_error(run(csv_bytes(table([person(1, 批次="深圳第九批")]))))
    assert "深圳第九批" in problem.message
    assert problem.column == "批次"


def test_batch_in_file_must_agree_with_batch_option(sz3, shenzhen):
    other = BatchFactory(programme=shenzhen, number=4, start_date=datetime.date(2021, 1, 1))
    assert "SZ-3" in only_error(run(csv_bytes(table([person(1)])), batch=other)).message


def test_spaces_inside_names_are_removed(sz3):
    assert run(csv_bytes(table([person(1, 姓名="王　伟")]))).ok
    assert Cadre.objects.get().name == "王伟"


def test_full_width_digits_in_id_number_and_phone_are_read(sz3):
    number = person(1)["身份证号"]
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    result = run(csv_bytes(table([person(1, 身份证号=wide, 手机号码="１３８ ００００ ０１２３")])))
    assert result.ok, messages(result)
    cadre = Cadre.objects.get()
    assert (cadre.id_number, cadre.phone) == (number, "13800000123")


@pytest.mark.parametrize("written", ["1985.03", "1985年3月", "1985-03", "1985/3", "198503"])
def test_birth_month_spellings_without_id_store_the_first_of_the_month(sz3, written):
    assert run(csv_bytes(table([person(1, 身份证号="", 出生年月=written)]))).ok
    assert Cadre.objects.get().birth_date == datetime.date(1985, 3, 1)


@pytest.mark.parametrize("written", ["1985-03-12", "1985/3/12", "1985年3月12日", "1985.03.12"])
def test_birth_day_spellings_are_read(sz3, written):
    assert run(csv_bytes(table([person(1, 身份证号="", 出生年月=written)]))).ok
    assert Cadre.objects.get().birth_date == datetime.date(1985, 3, 12)


def test_birth_month_agreeing_with_id_number_stores_the_id_numbers_day(sz3):
    row = person(1)
    assert run(csv_bytes(table([row]))).ok
    number = row["身份证号"]
    assert Cadre.objects.get().birth_date == datetime.date(
        int(number[6:10]), int(number[10:12]), int(number[12:14])
    )


def test_birth_month_contradicting_id_number_is_an_error(sz3):
    problem = only_error(run(csv_bytes(table([person(1, 出生年月="1970.01")]))))
    assert problem.column == "出生年月"
    assert "1970.01" in problem.message


def test_gender_contradicting_id_number_is_an_error(sz3):
    assert only_error(run(csv_bytes(table([person(1, 性别="女")])))).column == "性别"


def test_id_number_turned_into_a_number_by_excel_is_refused(sz3):
    rows = table([person(1)])
    rows[1][4] = 370285197306178000
    problem = only_error(run(xlsx_bytes(rows), "r.xlsx"))
    assert "文本" in problem.message
    assert not Cadre.objects.exists()


@pytest.mark.parametrize("written", ["3.70285197306178E+17", "370285197306178000"])
def test_id_number_written_by_excel_as_a_number_is_refused(sz3, written):
    problem = only_error(run(csv_bytes(table([person(1, 身份证号=written)]))))
    assert problem.column == "身份证号"
    assert "文本" in problem.message


def test_invalid_id_number_is_refused_with_the_reason(sz3):
    number = person(1)["身份证号"]
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert "校验" in only_error(run(csv_bytes(table([person(1, 身份证号=wrong)])))).message


def test_same_id_number_twice_names_both_rows(sz3):
    number = person(1)["身份证号"]
    result = run(
        csv_bytes(
            table(
                [person(1), person(2), person(3, 身份证号=number, 出生年月=person(1)["出生年月"])]
            )
        )
    )
    assert [(p.row, p.message) for p in result.problems] == [
        (2, "同一身份证号也出现在本文件第4行。"),
        (4, "同一身份证号也出现在本文件第2行。"),
    ]


@pytest.mark.parametrize(
    ("written", "rank", "tier"),
    [("正处", "division_chief", "division"), ("一级调研员", "division_chief", "division"),
     ("科员", "staff", "staff"), ("处级", "", "division"), ("企业人员", "other", "none")],
)  # fmt: skip
def test_rank_spellings_and_tier_only_values(sz3, written, rank, tier):
    assert run(csv_bytes(table([person(1, 职级=written)]))).ok
    placement = Placement.objects.get()
    assert (placement.rank, placement.rank_tier) == (rank, tier)


def test_unknown_rank_is_named(sz3):
    problem = only_error(run(csv_bytes(table([person(1, 职级="大科长")]))))
    assert (problem.column, "大科长" in problem.message) == ("职级", True)


def test_category_is_read_from_its_chinese_name(sz3):
    assert run(csv_bytes(table([person(1, 干部类别="驻青单位")]))).ok
    assert Placement.objects.get().category == "central_unit"


def test_unknown_category_lists_the_choices(sz3):
    message = only_error(run(csv_bytes(table([person(1, 干部类别="外星单位")])))).message
    assert "外星单位" in message and "党政群机关" in message


def test_unknown_host_unit_is_created_and_reported(sz3):
    result = run(csv_bytes(table([person(1, 实训单位="深圳新单位有限公司")])))
    assert result.new_host_units == ["深圳新单位有限公司"]
    assert Placement.objects.get().host_unit.name == "深圳新单位有限公司"


def test_host_unit_written_differently_matches_the_known_one(sz3):
    known = HostUnitFactory(name="华润（集团）有限公司")
    result = run(csv_bytes(table([person(1, 实训单位="华润 (集团)有限公司")])))
    assert result.new_host_units == []
    assert Placement.objects.get().host_unit == known


def test_new_host_unit_resembling_a_known_one_is_flagged(sz3):
    HostUnitFactory(name="腾讯集团")
    HostUnitFactory(name="华润置地有限公司")
    result = run(csv_bytes(table([person(1, 实训单位="腾讯科技（深圳）有限公司")])))
    assert result.resembling_host_units == {"腾讯科技（深圳）有限公司": ["腾讯集团"]}


def test_empty_host_unit_means_not_placed_yet(sz3):
    assert run(csv_bytes(table([person(1, 实训单位="")]))).ok
    assert Placement.objects.get().host_unit is None


def test_dates_equal_to_the_batch_term_are_not_stored(sz3):
    row = person(1, 开始日期=f"{sz3.term.start}", 结束日期=f"{sz3.term.end}")
    assert run(csv_bytes(table([row]))).ok
    assert Placement.objects.values_list("start_date", "end_date").get() == (None, None)


def test_dates_inside_the_term_are_stored(sz3):
    row = person(1, 开始日期="2020/5/1")
    assert run(csv_bytes(table([row]))).ok
    assert Placement.objects.get().start_date == datetime.date(2020, 5, 1)


def test_dates_outside_the_term_are_an_error(sz3):
    problem = only_error(run(csv_bytes(table([person(1, 结束日期="2021-01-01")]))))
    assert problem.column == "结束日期"


def test_overlap_with_another_batch_of_the_same_cadre_is_an_error(sz3, shanghai):
    sh = BatchFactory(programme=shanghai, number=1, start_date=datetime.date(2020, 5, 1))
    cadre = CadreFactory(id_number=person(1)["身份证号"])
    PlacementFactory(cadre=cadre, batch=sh)
    assert "上海" in only_error(run(csv_bytes(table([person(1)])))).message


def test_too_long_text_is_an_error(sz3):
    problem = only_error(run(csv_bytes(table([person(1, 职务="长" * 101)]))))
    assert (problem.column, "100" in problem.message) == ("职务", True)


# All or nothing, idempotence, matching


def test_one_bad_row_writes_nothing(sz3):
    result = run(csv_bytes(table([person(1), person(2, 实训单位="新单位"), person(3, 性别="?")])))
    assert not result.ok
    assert (Cadre.objects.count(), Placement.objects.count(), HostUnit.objects.count()) == (0, 0, 0)


def test_importing_twice_changes_nothing(sz3):
    data = csv_bytes(table([person(1), person(2)]))
    run(data)
    second = run(data)
    assert (second.count("new"), second.count("updated"), second.count("unchanged")) == (0, 0, 2)
    assert Placement.objects.count() == 2


def test_corrected_file_updates_in_place(sz3):
    run(csv_bytes(table([person(1)])))
    placement = Placement.objects.get()
    result = run(csv_bytes(table([person(1, 职务="处长", 职级="正处级")])))
    assert result.count("updated") == 1
    placement.refresh_from_db()
    assert (placement.position, placement.rank, placement.version) == ("处长", "division_chief", 2)


def test_update_is_recorded_with_before_and_after(sz3, admin_user):
    run(csv_bytes(table([person(1)])))
    run(csv_bytes(table([person(1, 职务="处长")])), name="更正.csv", user=admin_user)
    change = RosterImportChange.objects.get(action="updated")
    assert change.fields == {"position": ["副处长", "处长"]}
    assert (change.roster_import.file_name, change.roster_import.user) == ("更正.csv", admin_user)
    assert change.placement == Placement.objects.get()


def test_import_record_counts_rows(sz3):
    run(csv_bytes(table([person(1)])))
    result = run(csv_bytes(table([person(1), person(2)])))
    record = result.roster_import
    assert (record.outcome, record.new_count, record.unchanged_count) == ("imported", 1, 1)
    assert list(record.batches.all()) == [sz3]


def test_refused_import_is_recorded_with_its_errors(sz3):
    run(csv_bytes(table([person(1, 性别="?")])))
    record = RosterImport.objects.get()
    assert (record.outcome, record.error_count, record.errors[0]["row"]) == ("refused", 1, 2)


def test_dry_run_writes_nothing_and_is_not_recorded(sz3):
    result = run(csv_bytes(table([person(1)])), dry_run=True)
    assert result.count("new") == 1
    assert not Placement.objects.exists() and not RosterImport.objects.exists()


def test_blank_cell_keeps_the_stored_value(sz3):
    run(csv_bytes(table([person(1)])))
    result = run(csv_bytes(table([person(1, 实训单位="", 职务="")])))
    assert result.count("unchanged") == 1
    assert Placement.objects.get().host_unit is not None


def test_person_without_id_number_matches_by_name_birth_and_home_unit(sz3):
    run(csv_bytes(table([person(1, 身份证号="")])))
    result = run(csv_bytes(table([person(1, 身份证号="", 职务="处长")])))
    assert result.count("updated") == 1
    assert Cadre.objects.count() == 1


def test_id_number_added_later_completes_the_same_person(sz3):
    run(csv_bytes(table([person(1, 身份证号="")])))
    result = run(csv_bytes(table([person(1)])))
    assert result.count("updated") == 1
    assert Cadre.objects.get().id_number == person(1)["身份证号"]


def test_ambiguous_match_without_id_number_is_an_error(sz3, shenzhen):
    other = BatchFactory(programme=shenzhen, number=1, start_date=datetime.date(2019, 4, 1))
    for _ in (1, 2):
        cadre = CadreFactory(name="王伟", id_number=None, birth_date=None)
        PlacementFactory(cadre=cadre, batch=other, home_unit="市委办公厅")
    row = person(1, 姓名="王伟", 身份证号="", 出生年月="", 工作单位="市委办公厅")
    problem = only_error(run(csv_bytes(table([row]))))
    assert "2" in problem.message and "身份证号" in problem.message


def test_same_cadre_in_a_second_batch_gets_a_second_placement(sz3, shenzhen):
    BatchFactory(programme=shenzhen, number=5, start_date=datetime.date(2021, 4, 1))
    run(csv_bytes(table([person(1)])))
    assert run(csv_bytes(table([person(1, 批次="SZ-5")]))).count("new") == 1
    assert Cadre.objects.count() == 1 and Placement.objects.count() == 2


def test_query_count_does_not_grow_with_rows(sz3, django_assert_max_num_queries):
    ProgrammeFactory(code="SH", city="上海")
    rows = [person(n, 实训单位=f"深圳单位{n % 7}") for n in range(1, 61)]
    # savepoint, batches, programmes, cadres by ID, placements by name, placements of the
    # matched, host units, 3 bulk inserts (host units, cadres, placements), the import record,
    # its batches (select + insert), its changes, release savepoint, and a little slack.
    with django_assert_max_num_queries(18):
        result = run(csv_bytes(table(rows)))
    assert result.ok, messages(result)


# Files as they come back from real districts


def test_same_id_number_on_two_sheets_names_the_other_sheet(sz3):
    data = xlsx_bytes(table([person(1)]), table([person(1)]), titles=["市南区", "崂山区"])
    messages_ = sorted(p.message for p in run(data, "r.xlsx").problems)
    assert messages_ == [
        "同一身份证号也出现在本文件第2（崂山区）行。",
        "同一身份证号也出现在本文件第2（市南区）行。",
    ]


def test_sheet_with_an_incomplete_header_is_refused_even_beside_a_good_one(sz3):
    bad = table([person(2)])
    bad[0][bad[0].index("工作单位")] = "工作单位名称"
    data = xlsx_bytes(table([person(1)]), bad, titles=["市南区", "崂山区"])
    problem = only_error(run(data, "r.xlsx"))
    assert (problem.sheet, problem.column) == ("崂山区", "工作单位")


def test_second_header_for_the_same_column_is_ignored_not_merged(sz3):
    rows = table([person(1) | {"联系电话": "0532-88886666"}])
    result = run(csv_bytes(rows))
    assert result.ignored_columns == ["联系电话"]
    assert Cadre.objects.get().phone == person(1)["手机号码"]


def test_rows_numbered_in_advance_but_empty_are_skipped(sz3):
    rows = [["序号", *table([person(1)])[0]], ["1", *table([person(1)])[1]], ["2"], ["3"]]
    result = run(csv_bytes(rows))
    assert result.ok, messages(result)
    assert result.count("new") == 1


@pytest.mark.parametrize(
    "footer", ["填报单位（盖章）：", "联系人：张三", "以上共计1人", "制表：组织部"]
)
def test_more_footer_rows_are_skipped(sz3, footer):
    assert run(csv_bytes([*table([person(1)]), [footer]])).ok


def test_too_long_name_is_an_error(sz3):
    assert only_error(run(csv_bytes(table([person(1, 姓名="王" * 51)])))).column == "姓名"


def test_month_formatted_date_cell_is_compared_as_a_month(sz3):
    row = person(1)
    rows = table([row])
    born = datetime.datetime.strptime(row["出生年月"], "%Y.%m")
    rows[1][rows[0].index("出生年月")] = born  # the 1st of the month, shown as 1980.02
    workbook = load_workbook(io.BytesIO(xlsx_bytes(rows)))
    workbook.active.cell(row=2, column=4).number_format = "yyyy.mm"
    data = io.BytesIO()
    workbook.save(data)
    assert run(data.getvalue(), "r.xlsx").ok


def test_wrong_size_record_in_an_xlsx_does_not_hide_its_rows(sz3):
    data = xlsx_bytes(table([person(1)]))
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', parts[sheet])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    assert run(out.getvalue(), "r.xlsx").count("new") == 1


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("r.xls", lambda data: data[:-100]),
        ("r.xls", lambda data: data[:8] + bytes(len(data) - 8)),
        ("r.xlsx", lambda data: data[: len(data) // 2]),
    ],
    ids=["xls-truncated", "xls-zeroed", "xlsx-truncated"],
)
def test_damaged_workbooks_get_a_message_not_a_traceback(sz3, name, damage):
    make = xls_bytes if name.endswith("xls") else xlsx_bytes
    problem = only_error(run(damage(make(table([person(1)]))), name))
    assert "另存为 .xlsx" in problem.message


def test_bom_before_gbk_bytes_is_read(sz3):
    assert run(b"\xef\xbb\xbf" + csv_bytes(table([person(1)]), "gbk")).ok


def test_id_number_does_not_match_a_person_whose_birth_date_it_contradicts(sz3, shenzhen):
    other = BatchFactory(programme=shenzhen, number=1, start_date=datetime.date(2019, 4, 1))
    stranger = CadreFactory(name="赵无号", id_number=None, birth_date=datetime.date(1975, 1, 5))
    PlacementFactory(cadre=stranger, batch=other, home_unit="市委办公厅")
    row = person(1, 姓名="赵无号", 工作单位="市委办公厅", 出生年月="")
    assert run(csv_bytes(table([row]))).count("new") == 1
    stranger.refresh_from_db()
    assert stranger.birth_date == datetime.date(1975, 1, 5)

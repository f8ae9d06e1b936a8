"""The blank roster template: drop-down lists and input hints."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from cohorts.terms import today
from rosters import workbooks

from ..factories import BatchFactory

pytestmark = pytest.mark.django_db


def template():
    return load_workbook(io.BytesIO(workbooks.blank_template()))


def validations(workbook) -> dict:
    """{header: the validation of its column}."""
    sheet = workbook["花名册"]
    letters = {cell.column_letter: cell.value for cell in sheet[1]}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
        found[letters[letter]] = validation
    return found


def choices(workbook, header) -> list[str]:
    """The values the list of `header` offers, read from the sheet its formula names."""
    formula = validations(workbook)[header].formula1
    sheet_name, cells = formula.split("!")
    return [c.value for (c,) in workbook[sheet_name.strip("'")][cells.replace("$", "")]]


def test_batch_list_offers_the_batches_in_progress_and_to_come_not_ended_ones(shenzhen):
    BatchFactory(programme=shenzhen, number=1, start_date=datetime.date(2020, 4, 1))
    BatchFactory(programme=shenzhen, number=6, start_date=today() - datetime.timedelta(days=40))
    BatchFactory(programme=shenzhen, number=7, start_date=today() + datetime.timedelta(days=14))
    assert choices(template(), "批次") == ["深圳第6批", "深圳第7批"]


@pytest.mark.parametrize(
    ("header", "example"),
    [("性别", "女"), ("职级", "副处级"), ("干部类别", "党政群机关"), ("政治面貌", "中共党员"),
     ("学历", "大学本科")],
)  # fmt: skip
def test_columns_with_a_drop_down_list(header, example):
    workbook = template()
    validation = validations(workbook)[header]
    assert validation.type == "list"
    assert str(validation.sqref).endswith("1001")  # the rows typed in later too
    assert example in choices(workbook, header)


def test_gender_refuses_other_text_and_the_other_lists_only_warn():
    found = validations(template())
    assert found["性别"].errorStyle == "stop"
    assert found["职级"].errorStyle == "warning"  # 副处 and 正处 import too


@pytest.mark.parametrize("header", ["身份证号", "手机号码"])
def test_id_and_phone_columns_show_an_input_hint(header):
    validation = validations(template())[header]
    assert validation.showInputMessage
    assert "文本格式" in validation.prompt


def test_the_lists_sheet_is_hidden():
    assert template()["选项"].sheet_state == "hidden"

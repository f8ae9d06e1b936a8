"""Workbooks the admin hands to staff: the blank roster template, and their own file with an
错误说明 column beside the rows that failed, so they fix the spreadsheet they already have.

The template offers drop-down lists (data validation) for 批次 (the batches not yet ended),
性别, 职级, 干部类别, 政治面貌 and 学历, read from a hidden sheet 选项 so that no list is cut at
Excel's 255 characters; all but 性别 only warn on other text, since the import reads other
spellings too (SZ-3, 副处, 本科). The ID and phone columns show an input hint when selected."""

import io
import re
from datetime import date, datetime

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cohorts.batchnames import BatchNames
from cohorts.models import Batch
from cohorts.terms import TermStatus
from placements import ranks
from placements.models import Category

from . import columns
from .importing import ImportResult

_FORBIDDEN_IN_TITLES = re.compile(r"[/\\:?\[\]*]")
TEXT = "@"  # Excel's number format "text": digits stay as typed
BOLD = Font(bold=True)
REQUIRED = PatternFill("solid", fgColor="FDE8E7")
ERROR = PatternFill("solid", fgColor="FFF4CE")
EXAMPLE = {
    "batch": "深圳第3批", "name": "王伟", "gender": "男", "birth_date": "1985.03",
    "id_number": "37021219850312001X", "home_unit": "市发展和改革委员会", "position": "副处长",
    "rank": "副处级", "category": "党政群机关", "district": "市南区", "group": "第一组",
    "ethnicity": "汉族", "political_status": "中共党员", "education": "研究生",
    "host_unit": "深圳市创新投资集团有限公司", "host_role": "投资经理助理",
    "start_date": "", "end_date": "", "phone": "13800000000", "notes": columns.EXAMPLE_MARK,
}  # fmt: skip
HINTS = {
    "batch": "SZ-3、深圳第3批 或 第三批赴深圳体悟实训；用 --batch 或在页面上选定批次时可不填",
    "birth_date": "1985.03、1985年3月 或 1985-03-12；有身份证号时以身份证号为准",
    "id_number": "请保持“文本”格式，否则 Excel 会丢失末几位",
    "rank": "正处级、副处、一级调研员、科员……；只知层级时可填 处级、科级",
    "host_unit": "不填表示尚未安排；新单位会自动建立",
    "start_date": "不填即批次的实训期",
    "end_date": "不填即批次的实训期",
    "phone": "请保持“文本”格式",
}


TEMPLATE_ROWS = 1000  # rows below the header that carry the text format and the lists
POLITICAL_STATUSES = [
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民革党员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
    "无党派人士",
    "群众",
]  # fmt: skip  (GB/T 4762)
EDUCATIONS = ["博士研究生", "硕士研究生", "研究生", "大学本科", "大学专科", "中专", "高中"]
PROMPTS = {
    "id_number": ("身份证号", "18 位，末位可为 X；本列为文本格式，请直接输入，不要加空格或撇号"),
    "phone": ("手机号码", "11 位手机号；本列为文本格式，请直接输入"),
}


def template_choices() -> dict[str, list[str]]:
    """The drop-down lists of the blank template, by column key; 批次 as 深圳第3批, the batches
    in progress, planned or not yet scheduled."""
    names = BatchNames()
    batches = [
        names.written(batch)
        for batch in Batch.objects.select_related("programme")
        if batch.term_status != TermStatus.COMPLETED
    ]
    with translation.override("zh-hans"):
        ranks_ = [str(label) for value, label in ranks.Rank.choices if value != ranks.Rank.OTHER]
        tiers = [str(label) for _value, label in ranks.Tier.choices]
        categories = [str(label) for _value, label in Category.choices]
    return {
        "batch": batches,
        "gender": ["男", "女"],
        "rank": ranks_ + [t for t in tiers if t not in ranks_],
        "category": categories,
        "political_status": POLITICAL_STATUSES,
        "education": EDUCATIONS,
    }


def _add_choices(workbook, sheet):
    """A hidden sheet 选项 with one list per column, and a validation per roster column."""
    options = workbook.create_sheet("选项")
    options.sheet_state = "hidden"
    letters = {column.key: get_column_letter(i) for i, column in enumerate(columns.COLUMNS, 1)}
    last = TEMPLATE_ROWS + 1
    for index, (key, values) in enumerate(template_choices().items(), start=1):
        letter = get_column_letter(index)
        # Not the column's own header: the import would take this sheet for a roster.
        options.cell(row=1, column=index, value=f"{columns.BY_KEY[key].header}可选值")
        for row, value in enumerate(values, start=2):
            options.cell(row=row, column=index, value=value).data_type = "s"
        if not values:
            continue  # no batch to come: an empty list would refuse every entry
        strict = key == "gender"
        validation = DataValidation(
            type="list",
            formula1=f"'选项'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=columns.BY_KEY[key].header,
            error="请从列表中选择" if strict else "不在列表中；确定要用这个写法吗？",
        )
        validation.add(f"{letters[key]}2:{letters[key]}{last}")
        sheet.add_data_validation(validation)
    for key, (title, prompt) in PROMPTS.items():
        hint = DataValidation(
            allow_blank=True, showInputMessage=True, promptTitle=title, prompt=prompt
        )
        hint.add(f"{letters[key]}2:{letters[key]}{last}")
        sheet.add_data_validation(hint)


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def blank_template() -> bytes:
    """The roster's headers, ID and phone columns formatted as text, drop-down lists and input
    hints, and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns.COLUMNS, start=1):
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = BOLD
        if column.required:
            header.fill = REQUIRED
        if column.key in HINTS:
            header.comment = Comment(HINTS[column.key], "cadreprog")
        example = sheet.cell(row=2, column=index, value=EXAMPLE[column.key])
        example.data_type = "s"
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, 2.2 * len(EXAMPLE[column.key]) // 1.5)
        if column.as_text:
            # The whole column, so that rows typed in later keep their digits too.
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = TEXT
    _add_choices(workbook, sheet)
    return _save(workbook)


def with_errors(result: ImportResult) -> bytes:
    """Each sheet that was read, as read, with 错误说明 beside every row that has a problem."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    problems = _problems_by_row(result)
    for table in result.tables:
        sheet = workbook.create_sheet(_sheet_title(table.sheet.name))
        text_columns = {i for i, c in table.columns.items() if c.as_text}
        width = max((len(r) for r in table.sheet.rows), default=0)
        for number, cells in enumerate(table.sheet.rows, start=1):
            for index, value in enumerate(cells):
                as_text = index in text_columns and number > table.header_row + 1
                value = _cell_value(str(value) if as_text and value is not None else value)
                cell = sheet.cell(row=number, column=index + 1, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # =1+1 stays text in the copy too
                if as_text:
                    cell.number_format = TEXT
            found = problems.get((table.sheet.name if len(result.tables) > 1 else "", number))
            if number == table.header_row + 1:
                header = sheet.cell(row=number, column=width + 1, value=columns.ERROR_HEADER)
                header.font = BOLD
            elif found:
                cell = sheet.cell(row=number, column=width + 1, value="\n".join(found))
                cell.fill = ERROR
                cell.alignment = Alignment(wrap_text=True)
        sheet.column_dimensions[get_column_letter(width + 1)].width = 60
    if not workbook.worksheets:
        sheet = workbook.create_sheet(columns.ERROR_HEADER)
        for number, problem in enumerate(result.problems, start=1):
            sheet.cell(row=number, column=1, value=str(problem))
    elif result.file_problems:
        first = workbook.worksheets[0]
        first.insert_rows(1)
        first.cell(row=1, column=1, value="；".join(str(p) for p in result.file_problems))
    return _save(workbook)


def _sheet_title(name: str) -> str:
    """A sheet's name as XLSX can hold it: none of / \\ : ? [ ] * (a file from another program
    may have them), at most 31 characters; openpyxl numbers a name that repeats."""
    return (_FORBIDDEN_IN_TITLES.sub("_", name).strip("'") or "花名册")[:31]


def _problems_by_row(result: ImportResult) -> dict:
    found = {}
    for problem in result.problems:
        if problem.row:
            label = f"{problem.column}：{problem.message}" if problem.column else problem.message
            found.setdefault((problem.sheet, problem.row), []).append(label)
    return found


def _cell_value(value):
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
    if isinstance(value, date | int | float) or value is None:
        return value
    return str(value)

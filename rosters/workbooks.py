"""Workbooks the admin hands to staff: the blank roster template, and their own file with an
错误说明 column beside the rows that failed, so they fix the spreadsheet they already have."""

import io
import re
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import columns
from .importing import ImportResult

_FORBIDDEN_IN_TITLES = re.compile(r"[/\\:?\[\]*]")
TEXT = "@"  # Excel's number format "text": digits stay as typed
BOLD = Font(bold=True)
REQUIRED = PatternFill("solid", fgColor="FDE8E7")
ERROR = PatternFill("solid", fgColor="FFF4CE")
EXAMPLE = {
    "batch": "SZ-3", "name": "王伟", "gender": "男", "birth_date": "1985.03",
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


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def blank_template() -> bytes:
    """The roster's headers, ID and phone columns formatted as text, and one example row."""
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
            for row in range(2, 1001):
                sheet.cell(row=row, column=index).number_format = TEXT
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

"""Roster files made in the tests, in every format and encoding districts send."""

import csv
import datetime
import io

import xlwt
from openpyxl import Workbook

from .factories import make_id_number

HEADER = ["批次", "姓名", "性别", "出生年月", "身份证号", "工作单位", "职务", "职级", "干部类别",
          "区市", "实训单位", "实训岗位", "手机号码", "备注"]  # fmt: skip


def person(n=1, **values) -> dict:
    """One valid roster row for batch SZ-3 (its values by header), changed by `values`."""
    born = datetime.date(1980, 1, 1) + datetime.timedelta(days=37 * n)
    row = {
        "批次": "SZ-3",
        "姓名": f"王{'伟芳娜敏静丽强磊军洋'[n % 10]}{'一二三四五六七八九十'[n // 10 % 10]}",
        "性别": "男",
        "出生年月": f"{born:%Y.%m}",
        "身份证号": make_id_number(born, male=True, serial=n),
        "工作单位": "市发展和改革委员会",
        "职务": "副处长",
        "职级": "副处级",
        "干部类别": "党政群机关",
        "区市": "市南区",
        "实训单位": "深圳市创新投资集团有限公司",
        "实训岗位": "投资经理助理",
        "手机号码": f"1380000{n:04d}",
        "备注": "",
    }
    row.update(values)
    return row


def many_people(rows: int) -> list[dict]:
    """`rows` different people for SZ-3 (unique ID numbers, born 1970 and on)."""
    people = []
    for n in range(rows):
        born = datetime.date(1970, 1, 1) + datetime.timedelta(days=n // 100)
        surname, given = "王李张刘陈杨赵黄周吴"[n % 10], "伟芳娜敏静丽强磊军洋"[n // 10 % 10]
        people.append(
            person(
                1,
                姓名=f"{surname}{given}{'一二三四五六七八九十'[n // 100 % 10]}",
                出生年月=f"{born:%Y.%m}",
                身份证号=make_id_number(born, male=True, serial=n % 100),
            )
        )
    return people


def table(rows: list[dict], header=None) -> list[list]:
    if header is None:
        header = list(rows[0]) if rows else HEADER
    return [header] + [[row.get(h, "") for h in header] for row in rows]


def csv_bytes(rows: list[list], encoding="utf-8", delimiter=",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(*sheets: list[list], titles=None) -> bytes:
    """An XLSX workbook; each sheet a list of rows of values (str, int, float, date, None)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, rows in enumerate(sheets):
        sheet = workbook.create_sheet(titles[index] if titles else f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xls_bytes(rows: list[list], dates_as_numbers=False) -> bytes:
    """An Excel 97 workbook; with dates_as_numbers, date cells lose their date format."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date) and not dates_as_numbers:
                sheet.write(r, c, value, date_style)
            elif isinstance(value, datetime.date):
                sheet.write(r, c, (value - datetime.date(1899, 12, 30)).days)
            else:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

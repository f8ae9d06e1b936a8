"""The roster (花名册): its columns, shared by the import, the export and the blank template.

One row per cadre in a batch. Headers are matched after removing spaces (full-width too),
in Chinese or by their English alias; a few other spellings that districts use are accepted.
"""

import functools
from dataclasses import dataclass

from django.utils import translation

from cohorts.models import Gender
from placements import ranks
from placements.models import Category, PlacementStatus
from spreadsheets.tables import header_key


@dataclass(frozen=True)
class Column:
    key: str  # the English alias, also the name used in code
    header: str  # the Chinese header the export writes
    required: bool = False
    spellings: tuple[str, ...] = ()  # other headers seen in rosters
    as_text: bool = False  # written as a text cell, so Excel keeps every digit


COLUMNS = [
    Column("batch", "批次", spellings=("批次名称", "实训批次")),
    Column("name", "姓名", required=True),
    Column("gender", "性别"),
    Column("birth_date", "出生年月", spellings=("出生日期", "出生年月日")),
    Column(
        "id_number", "身份证号", spellings=("身份证号码", "公民身份号码", "身份证"), as_text=True
    ),
    Column("home_unit", "工作单位", required=True, spellings=("单位", "现工作单位")),
    Column("position", "职务", spellings=("现任职务",)),
    Column("rank", "职级", spellings=("职级层次",)),
    Column("category", "干部类别", spellings=("类别", "单位类别")),
    Column("district", "区市", spellings=("所在区市",)),
    Column("group", "小组", spellings=("组别", "所在小组")),
    Column("ethnicity", "民族"),
    Column("political_status", "政治面貌"),
    Column("education", "学历", spellings=("文化程度",)),
    Column("host_unit", "实训单位", spellings=("实训企业", "挂职单位")),
    Column("host_role", "实训岗位", spellings=("岗位",)),
    Column("start_date", "开始日期"),
    Column("end_date", "结束日期"),
    Column("phone", "手机号码", spellings=("手机", "手机号", "联系电话", "联系方式"), as_text=True),
    Column("notes", "备注"),
]
BY_KEY = {column.key: column for column in COLUMNS}
# Columns only the export writes: 序号 first, 状态 before 备注. The import reads neither (a
# status is recorded by the team lead, not by a roster) and does not list them as ignored.
SERIAL_HEADER = "序号"
STATUS_HEADER = "状态"
EXPORT_ONLY = frozenset({SERIAL_HEADER, STATUS_HEADER})


def export_headers() -> list[str]:
    headers = [column.header for column in COLUMNS]
    headers.insert(headers.index(BY_KEY["notes"].header), STATUS_HEADER)
    return [SERIAL_HEADER, *headers]


# Width of each column in the XLSX export (Excel's units, about one Latin character each).
WIDTHS = {SERIAL_HEADER: 6, "姓名": 10, "性别": 6, "出生年月": 12, "身份证号": 21, "工作单位": 30,
          "职务": 18, "职级": 10, "干部类别": 12, "区市": 10, "小组": 10, "民族": 8,
          "政治面貌": 12, "学历": 10, "实训单位": 30, "实训岗位": 18, "开始日期": 12,
          "结束日期": 12, "手机号码": 14, STATUS_HEADER: 12, "备注": 30}  # fmt: skip
ERROR_HEADER = "错误说明"
# The 备注 of the blank template's example row: the import skips a row that carries it.
EXAMPLE_MARK = "示例行，导入前请删除"
_HEADERS = {
    header_key(spelling): column
    for column in COLUMNS
    for spelling in (column.header, column.key, *column.spellings)
}


def column_for_header(text) -> Column | None:
    return _HEADERS.get(header_key(text))


# Cell values, both ways. Rosters are Chinese whatever language the user reads the site in.


@functools.cache
def labels(choices_class) -> dict[str, str]:
    """Value to Chinese label of a TextChoices class (read once)."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices_class.choices}


def gender_label(value: str) -> str:
    return labels(Gender).get(value, "")


def category_label(value: str) -> str:
    return labels(Category).get(value, "")


def status_label(value: str) -> str:
    return labels(PlacementStatus).get(value, "")


def rank_label(rank: str, tier: str) -> str:
    """正处级; 处级 when only the tier is known; empty for no rank."""
    if rank:
        return "" if rank == ranks.Rank.OTHER else labels(ranks.Rank)[rank]
    return labels(ranks.Tier).get(tier, "")


def parse_gender(text: str) -> str:
    """'M' or 'F' for 男/女 (or M/F, male/female); ValueError otherwise."""
    key = header_key(text)
    spellings = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
    if key in spellings:
        return spellings[key]
    raise ValueError(text)


def parse_category(text: str) -> str:
    """The category value for 党政群机关, its English label or its code; ValueError otherwise."""
    try:
        return _category_spellings()[header_key(text)]
    except KeyError:
        raise ValueError(text) from None


@functools.cache
def _category_spellings() -> dict[str, str]:
    with translation.override("en"):
        english = {value: str(label) for value, label in Category.choices}
    return {
        header_key(spelling): value
        for value in Category.values
        for spelling in (value, english[value], category_label(value))
    }


def category_spellings() -> str:
    return "、".join(category_label(value) for value in Category.values)

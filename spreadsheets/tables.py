"""Finding the table in a sheet as Chinese offices write it: a title or two above the header
row, column titles spelled several ways, footers below (合计, 填表人, 注：…).

The header row is the first of the sheet's first HEAD_ROWS rows that names at least two known
columns; `column_for(cell)` says which column a header cell names, if any.
"""

import re
from dataclasses import dataclass, field
from itertools import islice

from django.utils.translation import gettext as _

from cohorts.text import halfwidth

from . import cells, reading
from .problems import Problem

HEAD_ROWS = 20
FOOTER_WORDS = ("合计", "总计", "共计", "小计", "以上", "填表人", "审核人", "制表人", "制表",
                "填报人", "填报单位", "填表日期", "填报日期", "审核", "负责人", "联系人", "盖章",
                "注：", "注:", "备注：", "备注:", "说明")  # fmt: skip
# Headers of no column, which are no reason to mention them as ignored either.
IGNORED_HEADERS = {"序号", "编号", "no", "no."}


def header_key(text) -> str:
    """序 号 → 序号, ' Name ' → name: what two spellings of one header share."""
    return re.sub(r"[\s*＊]+", "", halfwidth(str(text or ""))).casefold()


@dataclass
class Header:
    index: int  # of the header row among the rows searched
    columns: dict  # cell index → column (anything with a .key)
    headers: dict  # column key → the file's header text
    ignored: list[str] = field(default_factory=list)  # headers of no known column

    def missing(self, needed, sheet: str = "") -> list[Problem]:
        """A problem for each needed column (with .key and .header) the header lacks."""
        return [
            Problem(
                _("The required column %(column)s is missing.") % {"column": column.header},
                self.index + 1,
                column.header,
                sheet,
            )
            for column in needed
            if column.key not in self.headers
        ]


def find_header(rows, column_for, quiet=frozenset()) -> Header | None:
    """The header among `rows` (the first HEAD_ROWS of a sheet), or None. Headers in `quiet`
    (as header_key writes them) are skipped without being reported as ignored."""
    for index, cells_ in enumerate(islice(rows, HEAD_ROWS)):
        found, headers, ignored = {}, {}, []
        for i, cell in enumerate(cells_):
            column = column_for(cell)
            if column and column.key not in headers:
                found[i], headers[column.key] = column, cells.text(cell)
            elif not reading.is_blank(cell) and header_key(cell) not in IGNORED_HEADERS | quiet:
                ignored.append(cells.text(cell))  # unknown, or a second header for one column
        if len(found) >= 2:
            return Header(index, found, headers, ignored)
    return None


def is_footer(cells_) -> bool:
    """A footer row: one of its first three filled cells starts with a footer word."""
    filled = 0
    for c in cells_:
        if reading.is_blank(c):
            continue
        if cells.text(c).startswith(FOOTER_WORDS):
            return True
        filled += 1
        if filled == 3:
            return False
    return False

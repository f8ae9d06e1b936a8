"""Problems and results of a spreadsheet import, shared by the roster and duty-progress imports.

A Problem is said where the spreadsheet shows it: sheet, row (the spreadsheet's own numbering),
column (the file's header). An import's result carries the problems of the file as a whole and
those of its rows; it is ok when there are none, and reads as JSON in one shape for every
import command: its own counts, then "errors" and "dry_run".
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Problem:
    """An error, where the spreadsheet shows it: sheet, row (its own numbering), column."""

    message: str
    row: int | None = None
    column: str = ""
    sheet: str = ""

    def as_dict(self) -> dict:
        found = {"row": self.row, "column": self.column, "message": self.message}
        return found | ({"sheet": self.sheet} if self.sheet else {})

    def __str__(self):
        where = []
        if self.sheet:
            where.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{'，'.join(where)}：{self.message}" if where else self.message


@dataclass
class ImportResultBase(ABC):
    """What an import did: `rows` (each with its `problems`) and the file's own problems."""

    file_name: str
    dry_run: bool
    rows: list = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.file_problems + [p for row in self.rows for p in row.problems]

    @property
    def ok(self) -> bool:
        return not self.problems

    @abstractmethod
    def counts(self) -> dict:
        """The import's own figures, first in its JSON."""

    def as_json(self) -> dict:
        return self.counts() | {
            "errors": [problem.as_dict() for problem in self.problems],
            "dry_run": self.dry_run,
        }

"""Roster export: the import's columns, so that an exported file imports again unchanged.

CSV is UTF-8 with a BOM (Excel opens it as UTF-8); ID numbers and phones are text in both
formats. A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) keeps its text
behind a leading apostrophe ('=1+1), which the import removes again; in XLSX every cell is also
a string cell, never a formula. For a user without 可查看完整身份证号 the ID number is masked and
the date of birth is its month (cohorts/privacy.py); the import takes both back.
"""

import csv
import tempfile
from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cohorts import privacy
from placements.models import Placement
from security.services import export_record
from spreadsheets.formulas import CONTENT_TYPES, FORMATS, escape_formula  # noqa: F401

from . import columns


def can_see_full_id_numbers(user) -> bool:
    """The command line (no user) acts with full rights; on the web it takes a permission."""
    return privacy.shows_full_id(user)


def roster_queryset(placements):
    return placements.select_related("cadre", "batch__programme", "host_unit")


def roster_row(placement: Placement, full_ids: bool) -> list:
    """The cells of one placement, in the order of columns.COLUMNS; without `full_ids`, the ID
    number masked and the date of birth as its month (1985.10), as the import reads them."""
    cadre, term = placement.cadre, placement.term
    values = {
        "batch": placement.batch.code,
        "name": cadre.name,
        "gender": columns.gender_label(cadre.gender),
        "birth_date": cadre.birth_date if full_ids else privacy.birth_month(cadre.birth_date),
        "id_number": (cadre.id_number if full_ids else cadre.masked_id_number) or "",
        "home_unit": placement.home_unit,
        "position": placement.position,
        "rank": columns.rank_label(placement.rank, placement.rank_tier),
        "category": columns.category_label(placement.category),
        "district": placement.district,
        "group": placement.group,
        "ethnicity": cadre.ethnicity,
        "political_status": cadre.political_status,
        "education": cadre.education,
        "host_unit": placement.host_unit.name if placement.host_unit else "",
        "host_role": placement.role,
        "start_date": term.start,
        "end_date": term.end,
        "phone": cadre.phone,
        "notes": placement.notes,
    }
    return [values[column.key] for column in columns.COLUMNS]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Line:
    """What csv.writer writes to: it hands the line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


class CsvChunks:
    """The CSV export as UTF-8 (byte-order mark first), a chunk of rows at a time: memory stays
    flat however many rows there are, and a web download starts before the last row is read.
    After iterating, `rows` is the number of rows written (the header not counted)."""

    def __init__(self, placements, full_ids: bool, rows_per_chunk: int = 1000):
        self.placements, self.full_ids, self.rows_per_chunk = placements, full_ids, rows_per_chunk
        self.rows = 0

    def __iter__(self) -> Iterator[bytes]:
        writer = csv.writer(_Line())
        lines = ["\ufeff" + writer.writerow([column.header for column in columns.COLUMNS])]
        # A tab before an ID number or phone makes Excel keep it as text (all 18 digits); the
        # import trims it away again.
        text_columns = [column.as_text for column in columns.COLUMNS]
        for placement in roster_queryset(self.placements).iterator(chunk_size=2000):
            values = roster_row(placement, self.full_ids)
            lines.append(
                writer.writerow(
                    [
                        "\t" + _text(v) if as_text and v else escape_formula(_text(v))
                        for v, as_text in zip(values, text_columns, strict=True)
                    ]
                )
            )
            self.rows += 1
            if len(lines) >= self.rows_per_chunk:
                yield "".join(lines).encode()
                lines = []
        if lines:
            yield "".join(lines).encode()


def write_xlsx(placements, out: BinaryIO, full_ids: bool) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns.COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for placement in roster_queryset(placements).iterator(chunk_size=2000):
        sheet.append([_xlsx_cell(sheet, v) for v in roster_row(placement, full_ids)])
        count += 1
    workbook.save(out)
    return count


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=escape_formula(_text(value)))
    # Every value as a string cell: ID numbers keep their digits, =1+1 is never a formula.
    cell.data_type = "s"
    return cell


def write(placements, out, fmt: str, full_ids: bool) -> int:
    """Write the roster of `placements` to the binary stream `out`; the number of rows."""
    if fmt == "xlsx":
        return write_xlsx(placements, out, full_ids)
    chunks = CsvChunks(placements, full_ids)
    for chunk in chunks:
        out.write(chunk)
    return chunks.rows


def export_response(placements, *, fmt: str, user, filename: str) -> HttpResponseBase:
    """An HTTP download of the roster of `placements`, ID numbers masked and dates of birth by
    month unless permitted."""
    # Every export holds personal data: the access log says who took which cadres' rows.
    export_record(placements, user=user, where=f"{filename}.{fmt}")
    full_ids = can_see_full_id_numbers(user)
    if fmt == "csv":
        response = StreamingHttpResponse(CsvChunks(placements, full_ids))
    else:
        # A workbook is a zip, written whole; it spills to a temporary file above 10 MB.
        spool = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
        write_xlsx(placements, spool, full_ids)
        spool.seek(0)
        response = FileResponse(spool)
    response["Content-Type"] = CONTENT_TYPES[fmt]
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response

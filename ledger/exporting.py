"""The list of cadres behind on a duty as CSV or XLSX, escaped as the roster export escapes."""

import csv
import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from spreadsheets.formulas import CONTENT_TYPES, FORMATS, escape_formula

__all__ = ["FORMATS", "behind_response"]


def behind_rows(placements, *, batch, duty):
    yield [_("batch"), pgettext("person", "name"), _("group"), _("host unit"), _("duty"), _("done"),
           _("expected by now"), _("target by the term's end")]  # fmt: skip
    for p in placements:
        host = p.host_unit.name if p.host_unit else ""
        total = duty.total(p.term_within(batch.term))
        yield [batch.code, p.cadre.name, p.group, host, duty.name, p.done, p.expected, total]


def behind_response(placements, *, batch, duty, fmt: str) -> HttpResponse:
    """`placements` from statistics.behind: each with .done and .expected in their own term."""
    rows = behind_rows(placements, batch=batch, duty=duty)
    buffer = io.BytesIO()
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Behind"))
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
        workbook.save(buffer)
    else:
        text = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([_text(value) for value in row])
        text.flush()
        text.detach()
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    filename = f"{batch.code}-{duty.name}-{_('behind')}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _text(value) -> str:
    return value if isinstance(value, int) else escape_formula(str(value))


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=_text(value))
    if not isinstance(value, int):
        cell.data_type = "s"  # a name such as =1+1 stays text, never a formula
    return cell

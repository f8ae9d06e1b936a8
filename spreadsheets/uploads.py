"""Spreadsheets uploaded through the web (rosters, duty progress): refused before they are read
when they are not spreadsheets or too large. A web upload is anyone's; the command line, the
operator's, has no such limit."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import reading


def checked_upload(upload):
    """The upload, or a ValidationError saying in the user's language why it is refused."""
    if not upload.name.lower().endswith(reading.SUFFIXES):
        raise forms.ValidationError(_("Give a .csv, .xlsx or .xls file."))
    limit = settings.ROSTER_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    return upload


# Rows a district's file has besides its data: a header, titles above it, notes and footers.
OTHER_ROWS = 10


def data_rows(data: bytes) -> int:
    """About how many data rows the file has (its rows but a header), cheaply, without parsing
    it (reading.count_rows)."""
    limit = settings.ROSTER_UPLOAD_MAX_ROWS + OTHER_ROWS
    return max(reading.count_rows(data, beyond=limit) - 1, 0)


def in_background(rows: int) -> bool:
    """Whether an upload of about `rows` data rows is read in the background (more than
    ROSTER_BACKGROUND_ROWS). One clearly beyond the upload limit is not: it is refused at once,
    in the request; one just at it (its titles and footers counted) is read, and the reading
    tells."""
    limit = settings.ROSTER_UPLOAD_MAX_ROWS + OTHER_ROWS
    return settings.ROSTER_BACKGROUND_ROWS < rows <= limit

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

"""Phone numbers as rosters write them: mobiles (11 digits from 1) or landlines with area code."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import halfwidth

MOBILE = re.compile(r"1[0-9]{10}")
LANDLINE = re.compile(r"0[0-9]{2,3}-[0-9]{7,8}(-[0-9]{1,6})?")


def normalise(value: str) -> str:
    """Full-width digits to ASCII; spaces and separators dropped from mobiles; +86 removed."""
    value = halfwidth(value).strip()
    compact = re.sub(r"[\s\-()（）]", "", value)
    if compact.startswith("+86"):
        compact = compact[3:]
    if MOBILE.fullmatch(compact):
        return compact
    # Landline: area code, number and optional extension, joined by hyphens.
    parts = [p for p in re.split(r"[\s\-()（）]+", value) if p]
    if len(parts) == 1 and re.fullmatch(r"0[0-9]{9,11}", compact):
        # Written without a separator: 010 and 02x are the only 3-digit area codes.
        split = 3 if compact[1] in "12" else 4
        parts = [compact[:split], compact[split:]]
    return "-".join(parts)


def validate(value: str) -> None:
    if MOBILE.fullmatch(value) or LANDLINE.fullmatch(value):
        return
    raise ValidationError(
        _(
            "%(value)s is not a phone number: give a mobile number (11 digits starting with 1) "
            "or a landline with its area code, such as 0532-88886666."
        ),
        code="phone",
        params={"value": value},
    )

"""Phone numbers as rosters write them, stored in one normal form.

Accepted: mobiles and landlines with +86, 0086, 86 or 86- in front, a (0) after it, split with
spaces, hyphens, dots, em dashes or full-width separators, with an extension (转123, ext 123).
Stored: an 11-digit mobile (13812345678), or a landline as area code, number and extension joined
by hyphens (0532-88886666, 0532-88886666-123). Refused, each with its own message: an 11-digit
number on a prefix no network uses (120…, 140…), and a landline whose leading 0 Excel dropped.

normalise(normalise(x)) == normalise(x): models normalise on every save.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import halfwidth

MOBILE = re.compile(r"1[0-9]{10}")
LANDLINE = re.compile(r"0[0-9]{2,3}-[0-9]{7,8}(-[0-9]{1,6})?")
# Separators between digit groups: spaces, hyphens, dots, brackets, dashes of every width, ・.
_SEPARATORS = re.compile(r"[\s\-.·()\[\]\u2010-\u2015\u2212\u30fb]+")
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*([0-9]{1,6})\s*$", re.IGNORECASE)
_COUNTRY = re.compile(r"(?:\+|00)86")
# A landline without its leading 0: 10-digit Beijing (10…) or 2x numbers, 10 or 11 digits elsewhere.
_LOST_ZERO = re.compile(r"(?:10|2[0-9])[0-9]{8}|[3-9][0-9]{9,10}")


def normalise(value: str) -> str:
    """The normal form of a number that reads as one; anything else trimmed and half-width."""
    value = halfwidth(value).strip()
    written, extension = value, ""
    if match := _EXTENSION.search(written):
        written, extension = written[: match.start()], match[1]
    compact = _SEPARATORS.sub("", written)
    international = bool(_COUNTRY.match(compact))
    if international:
        compact = _COUNTRY.sub("", compact, count=1)
    elif compact.startswith("86") and _is_number(compact[2:]):
        compact, international = compact[2:], True  # 86 13812345678, 86-532-88886666
    if not compact.isdigit():
        return value
    if international and compact.startswith("01") and MOBILE.fullmatch(compact[1:]):
        compact = compact[1:]  # +86 (0)138…: a mobile has no trunk 0
    if MOBILE.fullmatch(compact) and not extension:
        return compact
    if international and compact[:1] in "23456789":
        compact = "0" + compact  # +86 532 …: the number written for calls from abroad
    if re.fullmatch(r"0[0-9]{9,11}", compact):
        # 010 and 02x are the only 3-digit area codes; all others have 4 digits.
        split = 3 if compact[1] in "12" else 4
        return "-".join(filter(None, [compact[:split], compact[split:], extension]))
    return value


def _is_number(rest: str) -> bool:
    """Whether what follows a leading 86 is a whole mobile or landline (so 86 is the country)."""
    return bool(MOBILE.fullmatch(rest) or re.fullmatch(r"0?[2-9][0-9]{8,10}|0?10[0-9]{8}", rest))


_ALLOCATED = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def is_allocated_mobile(number: str) -> bool:
    """Whether an 11-digit number lies in a block that a network uses for mobiles.

    The blocks are libphonenumber's metadata for CN (the `phonenumbers` package, pinned in
    requirements.txt; its PhoneNumberMetadata.xml follows MIIT's 电信网码号资源 allocations:
    13x, 145, 147, 15x but 154, 162, 165–167, 170–173, 175–178, 18x, 19x but 194 …). Upgrading
    the package brings new allocations.

    The number is looked up as the CN national number it is, without phonenumbers.parse: four
    times as fast (an import checks every row's phone), and parse takes 11xx00… for a call
    abroad and raises. What parse would read differently, a leading carrier code (11xx, 12xx,
    179xx), is no mobile either way (tests/cohorts/test_phone_blocks.py compares the two).
    """
    if not MOBILE.fullmatch(number):
        return False
    national = phonenumbers.PhoneNumber(country_code=86, national_number=int(number))
    return phonenumbers.number_type(national) in _ALLOCATED


def validate(value: str) -> None:
    if LANDLINE.fullmatch(value):
        return
    if MOBILE.fullmatch(value):
        if is_allocated_mobile(value):
            return
        raise ValidationError(
            _(
                "%(value)s is not a mobile number in use: no network gives out numbers "
                "starting %(prefix)s. Please check it for a typing error."
            ),
            code="phone_prefix",
            params={"value": value, "prefix": value[:3]},
        )
    if _LOST_ZERO.fullmatch(_SEPARATORS.sub("", value)):
        raise ValidationError(
            _(
                "%(value)s looks like a landline whose leading 0 Excel dropped. Set the column's "
                "format to text and type the number again with its area code, such as "
                "0532-88886666."
            ),
            code="phone_lost_zero",
            params={"value": value},
        )
    raise ValidationError(
        _(
            "%(value)s is not a phone number: give a mobile number (11 digits starting with 1) "
            "or a landline with its area code, such as 0532-88886666."
        ),
        code="phone",
        params={"value": value},
    )

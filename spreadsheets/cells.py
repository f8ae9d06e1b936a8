"""What a roster's cells mean: text, dates, birth months, ID numbers, phones.

Each parser takes a cell as the reader gives it (str, int, float, datetime or None) and returns
a value or raises CellError with a message for the user.
"""

import re
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cohorts import idnumbers, phones
from cohorts.text import halfwidth

from .formulas import unescape_formula
from .reading import Month

_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
# Masked as exported now (370212***********2) or before (370212********3792).
_MASKED_ID = re.compile(r"[0-9]{6}\*+[0-9]{0,3}[0-9X]")
_MONTH = re.compile(r"([0-9]{4})\s*[./\-年]\s*([0-9]{1,2})\s*月?")
_DAY = re.compile(r"([0-9]{4})\s*[./\-年]\s*([0-9]{1,2})\s*[./\-月]\s*([0-9]{1,2})\s*日?")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included); serials from 1954 to 2119.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(20000, 80000)

MONTH, DAY = "month", "day"


class CellError(ValueError):
    pass


def text(value) -> str:
    """A cell as text, trimmed, with the export's formula escape removed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, Month):
        return f"{value:%Y.%m}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_formula(str(value).strip())


def full_date(value) -> date:
    """A day: a date cell, 2020-04-15, 2020/4/15, 2020年4月15日, 20200415, an Excel serial."""
    parsed, precision = _date(value)
    if precision != DAY:
        raise CellError(
            _("%(value)s is not a full date; write it as 2020-04-15.") % {"value": text(value)}
        )
    return parsed


def birth_month(value) -> tuple[date, str]:
    """(date, MONTH or DAY): 1985.03 and 1985年3月 name a month, 1985-03-12 a day."""
    if isinstance(value, float) and 1900 < value < 2100 and not value.is_integer():
        # A number cell: Excel shows 1985.10 as 1985.1, so the fraction is the month.
        month = round((value - int(value)) * 100)
        if 1 <= month <= 12:
            return date(int(value), month, 1), MONTH
    return _date(value)


def _date(value) -> tuple[date, str]:
    if isinstance(value, Month):
        return value, MONTH
    if isinstance(value, datetime):
        return value.date(), DAY
    if isinstance(value, date):
        return value, DAY
    if isinstance(value, int | float) and int(value) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(value)), DAY
    written = halfwidth(text(value))
    try:
        if match := _DAY.fullmatch(written):
            return date(int(match[1]), int(match[2]), int(match[3])), DAY
        if match := _MONTH.fullmatch(written):
            return date(int(match[1]), int(match[2]), 1), MONTH
        if re.fullmatch(r"[0-9]{8}", written):
            return date(int(written[:4]), int(written[4:6]), int(written[6:])), DAY
        if re.fullmatch(r"[0-9]{6}", written):
            return date(int(written[:4]), int(written[4:]), 1), MONTH
    except ValueError:
        pass
    raise CellError(
        _("%(value)s is not a date; write it as 1985.03, 1985年3月 or 1985-03-12.")
        % {"value": written}
    )


def is_masked_id_number(value: str) -> bool:
    return bool(_MASKED_ID.fullmatch(value))


def id_number(value) -> str:
    """A valid, normalised ID number, or a masked one (370212***********2) to be matched."""
    if isinstance(value, int | float):
        raise CellError(
            _(
                "Excel has turned the ID number into a number (%(value)s) and lost digits. Set "
                "the column's format to text and type the number again."
            )
            % {"value": value}
        )
    number = idnumbers.normalise(text(value))
    if _SCIENTIFIC.fullmatch(number):
        raise CellError(
            _(
                "%(value)s is an ID number that Excel has shown as a number in scientific "
                "notation, and its last digits are lost. Set the column's format to text and "
                "type the number again."
            )
            % {"value": number}
        )
    if is_masked_id_number(number):
        return number
    lost_digits = number.isdigit() and len(number) == 18 and number.endswith("000")
    if lost_digits and not idnumbers.is_valid(number):
        raise CellError(
            _(
                "%(value)s ends in 000 and fails its check: Excel has probably stored it as "
                "a number and lost the last digits. Set the column's format to text and "
                "type the number again."
            )
            % {"value": number}
        )
    try:
        idnumbers.validate(number)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return number


def phone(value) -> str:
    number = phones.normalise(text(value))
    try:
        phones.validate(number)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return number


def same_birth(born: date, precision: str, other: date) -> bool:
    """Whether a birth date read at `precision` (MONTH or DAY) agrees with `other`."""
    if precision == MONTH:
        return (born.year, born.month) == (other.year, other.month)
    return born == other

"""What a roster's cells mean: text, dates, birth months, ID numbers, phones.

Each parser takes a cell as the reader gives it (str, int, float, datetime or None) and returns
a value or raises CellError with a message for the user.
"""

import re
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cohorts import idnumbers, phones
from cohorts.terms import today
from cohorts.text import halfwidth

from .formulas import unescape_formula
from .reading import Month

_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
# Masked as exported now (370212***********2) or before (370212********3792).
_MASKED_ID = re.compile(r"[0-9]{6}\*+[0-9]{0,3}[0-9X]")
# A year of 4 digits, or of 2 in a birth month (85.10, 85年10月), read by _century.
_MONTH = re.compile(r"([0-9]{4}|[0-9]{2})\s*[./\-年]\s*([0-9]{1,2})\s*(月份?|\.)?")
_DAY = re.compile(
    r"([0-9]{4}|[0-9]{2})\s*[./\-年]\s*([0-9]{1,2})\s*[./\-月]\s*([0-9]{1,2})\s*[日.]?"
)
# Six digits in a birth month: 198510 is a year and month, 851001 a two-digit year, month and day.
_YYYYMM = re.compile(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])")
_YYMMDD = re.compile(r"[0-9]{6}")
# What follows a date and says nothing more: a time of day (system exports write 00:00:00) or
# the weekday, as in 2020年4月15日（周三）.
_TIME = re.compile(r"\s+[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$")
_WEEKDAY = re.compile(r"\s*\(?\s*(周|星期|礼拜)[一二三四五六日天]\s*\)?$")
_CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_CHINESE_NUMBER = re.compile(r"[〇零○一二三四五六七八九十]+")
# A birth year: 1900 or later, and at least 16 years ago (a cadre is an adult).
EARLIEST_BIRTH_YEAR = 1900
YOUNGEST_AGE = 16
# A two-digit year is of the 2000s only when that makes the person 18 at the batch's start.
ADULT_AGE = 18
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included); serials from 1954 to 2119.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(20000, 80000)

MONTH, DAY = "month", "day"


class CellError(ValueError):
    pass


def text(value) -> str:
    """A cell as text, trimmed, with the export's formula escape removed."""
    if type(value) is str:  # most cells: the checks below are for the others
        return unescape_formula(value.strip())
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


def birth_month(value, *, on: date | None = None) -> tuple[date, str]:
    """(date, MONTH or DAY): 1985.03 and 1985年3月 name a month, 1985-03-12 a day.

    Also 1985年10月份, 1985.10., 一九八五年十月 and two-digit years (85.10, 851001): of the 1900s
    unless the 2000s make the person at least 18 on `on` (the batch's start; today if None).
    A year before 1900 or less than 16 years ago is refused.
    """
    born, precision = _birth_month(value, on or today())
    if born.year < EARLIEST_BIRTH_YEAR:
        raise CellError(
            _("%(value)s gives the birth year %(year)d, before 1900: check the year.")
            % {"value": text(value), "year": born.year}
        )
    if born > _years_before(today(), YOUNGEST_AGE):
        raise CellError(
            _("%(value)s gives the birth year %(year)d, less than 16 years ago: check the year.")
            % {"value": text(value), "year": born.year}
        )
    return born, precision


def _birth_month(value, on: date) -> tuple[date, str]:
    if isinstance(value, float) and 1900 < value < 2100 and not value.is_integer():
        # A number cell: Excel shows 1985.10 as 1985.1, so the fraction is the month.
        month = round((value - int(value)) * 100)
        if 1 <= month <= 12:
            return date(int(value), month, 1), MONTH
    if isinstance(value, str):
        written = _plain(value)
        if _YYMMDD.fullmatch(written) and not _YYYYMM.fullmatch(written):
            value = f"{written[:2]}.{written[2:4]}.{written[4:]}"  # 851001: 1985-10-01, not 8510
    return _date(value, on=on)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _century(year: str, month: int, day: int, on: date | None) -> int:
    """A 4-digit year as written; a 2-digit one (only in a birth month) as _birth_month says."""
    if len(year) == 4:
        return int(year)
    if on is None:
        raise ValueError(year)
    born = date(2000 + int(year), month, day)
    return born.year if born <= _years_before(on, ADULT_AGE) else 1900 + int(year)


def _plain(written: str) -> str:
    """Half-width, 。 as a dot, 号 as 日, Chinese numerals as digits; no time, no weekday."""
    written = halfwidth(written).strip().replace("。", ".").replace("号", "日")
    written = _TIME.sub("", _WEEKDAY.sub("", written))
    return _CHINESE_NUMBER.sub(_chinese_number, written)


def _chinese_number(match) -> str:
    """一九八五 → 1985 digit by digit; 十 → 10, 十二 → 12, 二十五 → 25."""
    numerals = match[0]
    if "十" not in numerals:
        return "".join(str(_CHINESE_DIGITS[c]) for c in numerals)
    tens, _sep, units = numerals.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return numerals
    return str(_CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(units, 0))


def _date(value, *, on: date | None = None) -> tuple[date, str]:
    if isinstance(value, Month):
        return value, MONTH
    if isinstance(value, datetime):
        return value.date(), DAY
    if isinstance(value, date):
        return value, DAY
    if isinstance(value, int | float) and int(value) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(value)), DAY
    written = _plain(text(value))
    try:
        if match := _DAY.fullmatch(written):
            month, day = int(match[2]), int(match[3])
            return date(_century(match[1], month, day, on), month, day), DAY
        if match := _MONTH.fullmatch(written):
            month = int(match[2])
            return date(_century(match[1], month, 1, on), month, 1), MONTH
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


def looks_cut_by_excel(value) -> bool:
    """Whether an ID number cell is one that Excel stored as a number and cut short: a number
    cell, scientific notation, or 18 digits ending in 000 that fail their check."""
    if isinstance(value, int | float):
        return True
    number = idnumbers.normalise(text(value))
    if _SCIENTIFIC.fullmatch(number):
        return True
    return _ends_in_000(number) and not idnumbers.is_valid(number)


def _ends_in_000(number: str) -> bool:
    return number.isdigit() and len(number) == 18 and number.endswith("000")


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
    if _ends_in_000(number) and not idnumbers.is_valid(number):
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

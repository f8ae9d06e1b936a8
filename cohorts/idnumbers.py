"""Resident ID numbers (居民身份证号码, GB 11643-1999).

18 characters: a 6-digit region code, the birth date as YYYYMMDD, a 3-digit sequence whose last
digit is odd for men and even for women, and a MOD 11-2 check character (0-9 or X). The region's
first two digits are a province's code (GB/T 2260); a number on any other is refused, whatever its
check character says.
"""

from datetime import date
from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .terms import today
from .text import halfwidth

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = date(1900, 1, 1)
# The provinces' codes of GB/T 2260 (中华人民共和国行政区划代码, as the Ministry of Civil Affairs
# publishes them): 11-15 北京 to 内蒙古, 21-23 辽宁 to 黑龙江, 31-37 上海 to 山东, 41-46 河南 to
# 海南, 50-54 重庆 to 西藏, 61-65 陕西 to 新疆, 71 台湾, 81 香港, 82 澳门.
PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55),
     *range(61, 66), 71, 81, 82]
)  # fmt: skip


def normalise(value: str) -> str:
    """Full-width digits to ASCII, spaces removed, a trailing x upper-cased."""
    return "".join(halfwidth(value).split()).upper()


def check_char(first17: str) -> str:
    try:  # ASCII digits as bytes, weighed in C: an import checks every row's number twice
        total = sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - _ASCII_ZEROS
    except UnicodeEncodeError:  # another script's digits, which int() reads too
        total = sum(map(mul, map(int, first17), _WEIGHTS))
    return _CHECK_CHARS[total % 11]


_ASCII_ZEROS = ord("0") * sum(_WEIGHTS)  # what "0"'s code adds, weighed, to each digit


def birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender(number: str) -> str:
    """'M' or 'F', from the 17th digit."""
    return "M" if int(number[16]) % 2 else "F"


def validate(number: str) -> None:
    """Raise ValidationError, saying what is wrong, unless `number` is a valid normalised ID."""
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; %(number)s has %(count)d."),
            code="id_length",
            params={"number": number, "count": len(number)},
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X: %(number)s is not."),
            code="id_characters",
            params={"number": number},
        )
    if int(number[:2]) not in PROVINCES:
        raise ValidationError(
            _(
                "The ID number %(number)s starts with %(code)s, which is no province's code: "
                "check its first digits."
            ),
            code="id_region",
            params={"number": number, "code": number[:2]},
        )
    try:
        born = birth_date(number)
    except ValueError:
        born = None
    # today() looks up the time zone; only a birth in the last year can lie in the future.
    if (
        born is None
        or born < EARLIEST_BIRTH
        or (born.year >= date.today().year - 1 and born > today())
    ):
        raise ValidationError(
            _("Digits 7 to 14 of the ID number %(number)s are not a valid birth date."),
            code="id_birth_date",
            params={"number": number},
        )
    expected = check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _(
                "The ID number %(number)s fails its check: the last character should be "
                "%(expected)s. Please check it for a typing error."
            ),
            code="id_check",
            params={"number": number, "expected": expected},
        )


def is_valid(number: str) -> bool:
    try:
        validate(number)
    except ValidationError:
        return False
    return True


def mask(number: str | None) -> str:
    """370212***********2: the region and the check character only, for everyone without
    可查看完整身份证号 (cohorts/privacy.py says why). The birth date and the sequence digits stay
    hidden; the length stays 18, so a masked number reads as an ID number."""
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 7) + number[-1]


def fits_mask(number: str | None, masked: str) -> bool:
    """Whether `masked` (this mask, or the 370212********3792 of files exported before) could
    stand for `number`: as long, and equal wherever it shows a character."""
    return (
        bool(number)
        and len(number) == len(masked)
        and all(m in ("*", n) for m, n in zip(masked, number, strict=True))
    )

"""Who sees a cadre's ID number and date of birth in full, and what everyone else sees of them.

The rule (issue 13): for a user without 可查看完整身份证号 (cohorts.view_full_id_number), all that
is shown of a cadre together — pages, exports, history, error files, JSON — must leave at least
100 possible ID numbers, even with the 6-digit region guessed from the district. Digits 7 to 14
of the number are the birth date, so such a user reads:

- the ID number masked (`idnumbers.mask`): the region and the check character, 370212***********2;
- the date of birth as year and month, as rosters write 出生年月 (1985.10, or 1985年10月 on pages
  that write dates in words), never the day;
- lists sorted by date of birth in order of the month only, so the order tells no day either.

What is left with region, gender, year and month known: every day of the month and the 500
sequences of that gender, of which one in 11 has the check character shown — 28 × 500 / 11 ≈ 1,270
numbers in a February (tests/site/test_id_rebuild.py rebuilds them from everything a lead can
reach).

Every page, export, form and sort that shows a birth date or an ID number asks `shows_full_id`;
the command line (no user) acts with full rights.
"""

from datetime import date

from django.utils.formats import date_format

from . import idnumbers

PERMISSION = "cohorts.view_full_id_number"
# The fields that give the ID number away, and what of them a user without PERMISSION reads.
HIDDEN_FIELDS = ("id_number", "birth_date")


def shows_full_id(user) -> bool:
    """Whether `user` sees full ID numbers and birth dates; None is the command line."""
    return user is None or user.has_perm(PERMISSION)


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def birth_month(value) -> str:
    """1985.10: the 出生年月 of a roster, for a date or an ISO string ("" for none)."""
    born = _as_date(value)
    return f"{born:%Y.%m}" if born else ""


def birth_month_words(value) -> str:
    """1985年10月 (October 1985 in English): the year and month in the language's words."""
    born = _as_date(value)
    return date_format(born, "YEAR_MONTH_FORMAT") if born else ""


def hidden(field: str, value) -> str:
    """A value of one of HIDDEN_FIELDS as anyone may read it (history, import changes)."""
    if field == "id_number":
        return idnumbers.mask(str(value)) if value else ""
    return birth_month_words(value)

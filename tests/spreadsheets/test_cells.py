"""Issue 15's dates as rosters write them: birth months and the term's start and end days."""

import datetime

import pytest

from spreadsheets import cells

D = datetime.date


@pytest.mark.parametrize(
    "written, born, precision",
    [
        ("1985-10-01 00:00:00", D(1985, 10, 1), cells.DAY),
        ("1985年10月份", D(1985, 10, 1), cells.MONTH),
        ("1985.10.", D(1985, 10, 1), cells.MONTH),
        ("1985。10", D(1985, 10, 1), cells.MONTH),
        ("85.10", D(1985, 10, 1), cells.MONTH),
        ("85年10月", D(1985, 10, 1), cells.MONTH),
        ("一九八五年十月", D(1985, 10, 1), cells.MONTH),
        ("一九八五年十月十二日", D(1985, 10, 12), cells.DAY),
        ("851001", D(1985, 10, 1), cells.DAY),
        ("198510", D(1985, 10, 1), cells.MONTH),
    ],
)
def test_birth_month_spelling_is_read(written, born, precision):
    assert cells.birth_month(written) == (born, precision)


@pytest.mark.parametrize(
    "written, start, born",
    [
        ("85.10", D(2020, 4, 15), D(1985, 10, 1)),
        ("02.03", D(2020, 4, 15), D(2002, 3, 1)),  # 18 at the start: of the 2000s
        ("02.10", D(2020, 4, 15), D(1902, 10, 1)),  # 17 at the start if 2002: of the 1900s
    ],
)
def test_two_digit_year_is_of_the_2000s_only_for_an_adult_at_the_start(written, start, born):
    assert cells.birth_month(written, on=start)[0] == born


@pytest.mark.parametrize(
    "written, message",
    [
        ("2985.10", "“2985.10”得出的出生年份是 2985 年，距今不足 16 年，请核对年份。"),
        ("1085.10", "“1085.10”得出的出生年份是 1085 年，早于 1900 年，请核对年份。"),
        ("0985.10", "“0985.10”得出的出生年份是 985 年，早于 1900 年，请核对年份。"),
        ("1899.12", "“1899.12”得出的出生年份是 1899 年，早于 1900 年，请核对年份。"),
    ],
)
def test_birth_year_out_of_range_is_refused(written, message):
    with pytest.raises(cells.CellError, match=message):
        cells.birth_month(written)


def test_birth_less_than_16_years_ago_is_refused():
    recent = cells.today() - datetime.timedelta(days=15 * 366)
    with pytest.raises(cells.CellError, match="距今不足 16 年"):
        cells.birth_month(f"{recent:%Y.%m}")


@pytest.mark.parametrize(
    "written",
    [
        "2020-04-15 00:00:00",
        "2020年4月15日",
        "2020年4月15号",
        "2020年4月15日（周三）",
        "2020-04-15(星期三)",
        "2020.04.15.",
    ],
)
def test_full_date_spelling_is_read(written):
    assert cells.full_date(written) == D(2020, 4, 15)


def test_full_date_does_not_take_a_two_digit_year():
    with pytest.raises(cells.CellError):
        cells.full_date("20.04.15")

import pytest

from cohorts.text import MAX_NUMBER, whole_number


@pytest.mark.parametrize(
    "text, number",
    [("12", 12), ("0", 0), (str(MAX_NUMBER), MAX_NUMBER), (7, 7)],
)
def test_ascii_digits_a_database_holds_are_a_number(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize("text", ["", "²", "١٢", "１２", "-1", "1.5", " 1", str(MAX_NUMBER + 1)])
def test_anything_else_is_none(text):
    assert whole_number(text) is None

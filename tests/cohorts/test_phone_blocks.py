"""phones.is_allocated_mobile reads an 11-digit number as a CN national number without
phonenumbers.parse: it answers as parse-then-classify does for every number parse reads."""

import phonenumbers

from cohorts import phones

ALLOCATED = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def parsed_is_mobile(number: str) -> bool | None:
    """The answer through phonenumbers.parse; None where parse refuses the number."""
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in ALLOCATED


def test_every_five_digit_prefix_answers_as_parse_does():
    # Each block is decided by at most its first seven digits (1740x, 1610x the longest
    # prefixes); five suffixes per five-digit prefix, 0…0 to 9…9, cover the sub-blocks.
    for prefix in range(10000, 20000):
        for suffix in ("000000", "055555", "412345", "999999", "600123"):
            number = f"{prefix}{suffix}"
            expected = parsed_is_mobile(number)
            if expected is not None:
                assert phones.is_allocated_mobile(number) == expected, number


def test_seven_digit_blocks_answer_as_parse_does():
    for prefix in ("17400", "17405", "17406", "16100", "16101", "16109"):
        for middle in range(100):
            number = f"{prefix}{middle:02d}1234"
            assert phones.is_allocated_mobile(number) == parsed_is_mobile(number), number


def test_a_number_parse_takes_for_a_call_abroad_is_no_mobile():
    assert parsed_is_mobile("11696002456") is None
    assert not phones.is_allocated_mobile("11696002456")

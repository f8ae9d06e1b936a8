"""Resident ID numbers (GB 11643): validation, masking, and what a Cadre takes from them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cohorts import idnumbers
from cohorts.models import Cadre

from ..factories import CadreFactory, make_id_number
from ..helpers import validation_errors

VALID = "370212198503123798"  # born 1985-03-12, 17th digit 9: a man
VALID_X = "37021219850312300X"  # born 1985-03-12, 17th digit 0: a woman


def _error(number):
    with pytest.raises(ValidationError) as info:
        idnumbers.validate(number)
    return info.value


def test_valid_number_passes():
    idnumbers.validate(VALID)
    assert idnumbers.is_valid(VALID)


def test_valid_number_ending_in_x_passes():
    assert idnumbers.is_valid(VALID_X)


def test_wrong_check_character_names_the_expected_one():
    error = _error(VALID[:17] + "1")
    assert error.code == "id_check"
    assert error.params["expected"] == "8"
    assert "8" in error.messages[0].replace(VALID[:17] + "1", "")


def test_lower_case_x_is_not_valid_until_normalised():
    assert not idnumbers.is_valid(VALID_X.lower())
    assert idnumbers.normalise(VALID_X.lower()) == VALID_X


def test_full_width_digits_and_spaces_are_normalised():
    full_width = "３７０２１２ １９８５０３１２ ３７９８"
    assert idnumbers.normalise(full_width) == VALID


@pytest.mark.parametrize("number", [VALID[:17], VALID + "0"])
def test_wrong_length_is_refused(number):
    error = _error(number)
    assert error.code == "id_length"
    assert str(len(number)) in error.messages[0].replace(number, "")


def test_letter_inside_the_number_is_refused():
    assert _error("3702121985O3123798").code == "id_characters"


def test_impossible_birth_date_is_refused():
    first17 = "37021219850230123"  # 30 February 1985
    assert _error(first17 + idnumbers.check_char(first17)).code == "id_birth_date"


def test_future_birth_date_is_refused():
    first17 = "37021221000101123"
    assert _error(first17 + idnumbers.check_char(first17)).code == "id_birth_date"


def test_birth_date_and_gender_read_from_the_number():
    assert idnumbers.birth_date(VALID) == date(1985, 3, 12)
    assert idnumbers.gender(VALID) == "M"
    assert idnumbers.gender(VALID_X) == "F"


def test_mask_keeps_region_and_check_character_only():
    assert idnumbers.mask(VALID) == "370212***********8"  # birth date and sequence hidden


def test_a_number_fits_its_mask_and_the_mask_of_files_exported_before():
    assert idnumbers.fits_mask(VALID, "370212***********8")
    assert idnumbers.fits_mask(VALID, "370212********3798")


def test_a_number_does_not_fit_another_mask():
    assert not idnumbers.fits_mask(VALID, "370212***********X")
    assert not idnumbers.fits_mask(VALID, "370212********3788")
    assert not idnumbers.fits_mask(VALID, "370212**********8")  # one star short
    assert not idnumbers.fits_mask(None, "370212***********8")


def test_mask_of_nothing_is_empty():
    assert idnumbers.mask(None) == ""
    assert idnumbers.mask("") == ""


# --- On the Cadre model ----------------------------------------------------------------------


@pytest.mark.django_db
def test_lower_case_x_is_stored_upper_case():
    cadre = Cadre(name="王芳", id_number=VALID_X.lower())
    cadre.full_clean()
    cadre.save()
    cadre.refresh_from_db()
    assert cadre.id_number == VALID_X


@pytest.mark.django_db
def test_full_width_id_number_is_stored_as_ascii():
    cadre = Cadre(name="王伟", id_number="３７０２１２１９８５０３１２３７９８")
    cadre.full_clean()
    cadre.save()
    cadre.refresh_from_db()
    assert cadre.id_number == VALID


@pytest.mark.django_db
def test_masked_id_number_on_cadre():
    assert Cadre(name="王伟", id_number=VALID).masked_id_number == "370212***********8"


@pytest.mark.django_db
def test_invalid_id_number_is_an_error_on_id_number():
    cadre = Cadre(name="王伟", id_number=VALID[:17] + "1")
    errors = validation_errors(cadre)
    assert list(errors) == ["id_number"]


@pytest.mark.django_db
def test_nineteen_characters_is_an_error_on_id_number():
    cadre = Cadre(name="王伟", id_number=VALID + "0")
    errors = validation_errors(cadre)
    assert list(errors) == ["id_number"]


@pytest.mark.django_db
def test_birth_date_and_gender_filled_from_id_on_save():
    cadre = CadreFactory(id_number=VALID)
    cadre.refresh_from_db()
    assert cadre.birth_date == date(1985, 3, 12)
    assert cadre.gender == Cadre.Gender.MALE


@pytest.mark.django_db
def test_female_id_gives_female_gender():
    cadre = CadreFactory(id_number=make_id_number(date(1990, 6, 1), male=False))
    assert cadre.gender == Cadre.Gender.FEMALE
    assert cadre.generation == "90后"


@pytest.mark.django_db
def test_stated_gender_contradicting_id_is_an_error_on_gender():
    cadre = Cadre(name="王伟", id_number=VALID, gender=Cadre.Gender.FEMALE)
    errors = validation_errors(cadre)
    assert list(errors) == ["gender"]


@pytest.mark.django_db
def test_stated_birth_month_contradicting_id_is_an_error_on_birth_date():
    cadre = Cadre(name="王伟", id_number=VALID, birth_date=date(1985, 4, 12))
    errors = validation_errors(cadre)
    assert list(errors) == ["birth_date"]
    assert "1985-03" in errors["birth_date"][0]


@pytest.mark.django_db
def test_stated_birth_year_contradicting_id_is_an_error_on_birth_date():
    cadre = Cadre(name="王伟", id_number=VALID, birth_date=date(1986, 3, 12))
    errors = validation_errors(cadre)
    assert list(errors) == ["birth_date"]


@pytest.mark.django_db
def test_same_month_other_day_is_accepted_and_replaced_by_the_id_date():
    cadre = Cadre(name="王伟", id_number=VALID, birth_date=date(1985, 3, 1))
    cadre.full_clean()
    cadre.save()
    cadre.refresh_from_db()
    assert cadre.birth_date == date(1985, 3, 12)


@pytest.mark.django_db
def test_id_number_is_unique():
    CadreFactory(id_number=VALID)
    duplicate = Cadre(name="王伟", id_number=VALID)
    errors = validation_errors(duplicate)
    assert "id_number" in errors
    with pytest.raises(IntegrityError):
        duplicate.save()


@pytest.mark.django_db
def test_lower_case_x_duplicate_is_caught():
    CadreFactory(id_number=VALID_X)
    assert "id_number" in validation_errors(Cadre(name="王芳", id_number=VALID_X.lower()))


@pytest.mark.django_db
def test_many_cadres_may_have_no_id_number():
    first = CadreFactory(id_number=None)
    second = Cadre(name="李明", id_number="")
    second.full_clean()
    second.save()
    assert Cadre.objects.filter(id_number__isnull=True).count() == 2
    assert first.birth_date is None


@pytest.mark.django_db
def test_empty_id_number_is_stored_as_null():
    cadre = CadreFactory(id_number="")
    assert Cadre.objects.filter(pk=cadre.pk, id_number__isnull=True).exists()


@pytest.mark.django_db
def test_database_refuses_17_characters_written_by_update():
    cadre = CadreFactory()
    with pytest.raises(IntegrityError):
        Cadre.objects.filter(pk=cadre.pk).update(id_number=VALID[:17])


@pytest.mark.django_db
def test_database_refuses_17_characters_written_by_bulk_create():
    with pytest.raises(IntegrityError):
        Cadre.objects.bulk_create([Cadre(name="王伟", id_number=VALID[:17])])


# Issue 15: the region's first two digits are a province's code (GB/T 2260).
PROVINCES = [
    "11",
    "15",
    "21",
    "23",
    "31",
    "37",
    "41",
    "46",
    "50",
    "54",
    "61",
    "65",
    "71",
    "81",
    "82",
]


@pytest.mark.parametrize("province", PROVINCES)
def test_a_number_of_each_province_passes(province):
    idnumbers.validate(make_id_number(region=f"{province}0101"))


@pytest.mark.parametrize("region", ["990101", "000000", "100101", "160101", "240101", "720101"])
def test_a_region_of_no_province_is_refused_whatever_the_check_character(region):
    error = _error(make_id_number(region=region))
    assert error.code == "id_region"
    assert error.params["code"] == region[:2]

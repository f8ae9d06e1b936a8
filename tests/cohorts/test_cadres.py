"""Cadres: names as rosters write them, generations as the press writes them, phone numbers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cohorts import phones
from cohorts.models import Cadre, generation_of, generation_range
from cohorts.text import normalise_name

from ..factories import CadreFactory
from ..helpers import validation_errors

# --- Names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, stored",
    [
        ("王　伟", "王伟"),  # full-width space
        (" 李 明 ", "李明"),
        ("欧阳  娜娜", "欧阳娜娜"),
        ("  John   Smith ", "John Smith"),
        ("John\u3000Smith", "John Smith"),
    ],
)
def test_normalise_name(written, stored):
    assert normalise_name(written) == stored


@pytest.mark.django_db
def test_cadre_name_is_normalised_on_save():
    cadre = CadreFactory(name="王　伟")
    cadre.refresh_from_db()
    assert cadre.name == "王伟"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "　", "   "])
def test_empty_name_is_refused(name):
    cadre = Cadre(name=name)
    errors = validation_errors(cadre)
    assert "name" in errors


@pytest.mark.django_db
def test_database_refuses_empty_name():
    with pytest.raises(IntegrityError):
        Cadre.objects.bulk_create([Cadre(name="")])


# --- Generations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "born, label",
    [
        (date(1985, 6, 1), "80后"),
        (date(1969, 12, 31), "60后"),
        (date(1970, 1, 1), "70后"),
        (date(1990, 1, 1), "90后"),
        (date(2001, 5, 4), "00后"),
    ],
)
def test_generation_of(born, label):
    assert generation_of(born) == label


def test_no_birth_date_has_no_generation():
    assert generation_of(None) == ""


def test_generation_range():
    assert generation_range("80后") == (date(1980, 1, 1), date(1989, 12, 31))


@pytest.mark.parametrize("label", ["60后", "70后", "80后", "90后"])
def test_generation_range_round_trips(label):
    first, last = generation_range(label)
    assert generation_of(first) == label
    assert generation_of(last) == label


def test_unknown_generation_label_raises():
    with pytest.raises(KeyError):
        generation_range("30后")


@pytest.mark.django_db
def test_cadre_generation_comes_from_the_id_number():
    cadre = CadreFactory(id_number="370212198503123798")
    assert cadre.generation == "80后"


# --- Phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["138", "145", "158", "166", "178", "188", "199"])
def test_mobile_on_an_allocated_prefix_is_valid(prefix):
    phones.validate(f"{prefix}12345678")


@pytest.mark.parametrize(
    "written, stored",
    [
        ("13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0532-88886666", "0532-88886666"),
        ("0532 88886666", "0532-88886666"),
        ("（0532）88886666", "0532-88886666"),
        ("053288886666", "0532-88886666"),
        ("01012345678", "010-12345678"),
        ("0532-88886666-123", "0532-88886666-123"),
    ],
)
def test_phone_normalise(written, stored):
    assert phones.normalise(written) == stored
    phones.validate(stored)


# Issue 15: country codes, (0), split local numbers, dots and dashes, extensions.
@pytest.mark.parametrize(
    "written, stored",
    [
        ("+8613812345678", "13812345678"),
        ("0086 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("86-13812345678", "13812345678"),
        ("+86 532 8888 6666", "0532-88886666"),
        ("0086-532-88886666", "0532-88886666"),
        ("86-532-88886666", "0532-88886666"),
        ("+86 (0)532 8888 6666", "0532-88886666"),
        ("(0)532 8888 6666", "0532-88886666"),
        ("0532 8888 6666", "0532-88886666"),
        ("0532-8888-6666", "0532-88886666"),
        ("0532.8888.6666", "0532-88886666"),
        ("0532—8888—6666", "0532-88886666"),
        ("138.1234.5678", "13812345678"),
        ("０５３２－８８８８－６６６６", "0532-88886666"),
        ("0532-88886666转123", "0532-88886666-123"),
        ("0532 8888 6666 ext 123", "0532-88886666-123"),
        ("010 8888 6666", "010-88886666"),
    ],
)
def test_phone_spelling_is_normalised(written, stored):
    assert phones.normalise(written) == stored
    phones.validate(stored)


@pytest.mark.parametrize("stored", ["13812345678", "0532-88886666", "0532-88886666-123"])
def test_a_normal_form_stays_as_it_is(stored):
    assert phones.normalise(stored) == stored


@pytest.mark.parametrize(
    "number", ["12012345678", "10012345678", "12912345678", "14012345678", "14412345678"]
)
def test_mobile_on_a_prefix_no_network_uses_is_refused(number):
    with pytest.raises(ValidationError) as info:
        phones.validate(phones.normalise(number))
    assert info.value.code == "phone_prefix"


@pytest.mark.parametrize("number", ["53288886666", "532-8888-6666", "2188886666", "1088886666"])
def test_landline_that_lost_its_leading_zero_is_refused(number):
    with pytest.raises(ValidationError) as info:
        phones.validate(phones.normalise(number))
    assert info.value.code == "phone_lost_zero"


@pytest.mark.parametrize("number", ["1381234567", "138123456789", "88886666", "0532-123"])
def test_invalid_phone_is_refused(number):
    with pytest.raises(ValidationError) as info:
        phones.validate(phones.normalise(number))
    assert info.value.code == "phone"


@pytest.mark.django_db
def test_cadre_full_width_mobile_is_stored_as_ascii():
    cadre = Cadre(name="王伟", phone="１３８ １２３４ ５６７８")
    cadre.full_clean()
    cadre.save()
    cadre.refresh_from_db()
    assert cadre.phone == "13812345678"


@pytest.mark.django_db
def test_cadre_landline_without_hyphen_is_accepted():
    cadre = Cadre(name="王伟", phone="053288886666")
    cadre.full_clean()
    assert cadre.phone == "0532-88886666"


@pytest.mark.django_db
def test_cadre_ten_digit_mobile_is_refused_with_a_message():
    cadre = Cadre(name="王伟", phone="1381234567")
    errors = validation_errors(cadre)
    assert list(errors) == ["phone"]
    assert "1381234567" in errors["phone"][0]


@pytest.mark.django_db
def test_cadre_without_phone_is_fine():
    cadre = Cadre(name="王伟")
    cadre.full_clean()
    assert cadre.phone == ""


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "stored"), [("男", "M"), ("女", "F"), (" M ", "M")])
def test_gender_as_rosters_write_it(given, stored):
    cadre = Cadre(name="李明", gender=given)
    cadre.full_clean()
    assert cadre.gender == stored


@pytest.mark.django_db
def test_an_unknown_gender_is_a_validation_error_not_a_crash():
    cadre = Cadre(name="李明", gender="X", id_number="370212198503123798")
    errors = validation_errors(cadre)
    assert "gender" in errors

"""Placements: one per cadre per batch, inside the batch's term; host units and batches."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils import translation

from cohorts.models import Batch, Programme
from cohorts.terms import Term
from placements.models import HostUnit, Placement, host_unit_key

from ..factories import BatchFactory, CadreFactory, HostUnitFactory, PlacementFactory
from ..helpers import validation_errors

pytestmark = pytest.mark.django_db

START = date(2020, 4, 15)
DAY_100 = date(2020, 7, 23)


# --- One placement per cadre per batch -------------------------------------------------------


def test_second_placement_in_the_same_batch_fails_full_clean():
    first = PlacementFactory()
    second = Placement(cadre=first.cadre, batch=first.batch)
    assert NON_FIELD_ERRORS in validation_errors(second)


def test_database_refuses_a_second_placement_in_the_same_batch():
    first = PlacementFactory()
    with pytest.raises(IntegrityError):
        PlacementFactory(cadre=first.cadre, batch=first.batch)


# --- Dates -----------------------------------------------------------------------------------


def test_own_dates_equal_to_the_batch_term_are_stored_as_null():
    placement = PlacementFactory(batch__start_date=START, start_date=START, end_date=DAY_100)
    placement.refresh_from_db()
    assert (placement.start_date, placement.end_date) == (None, None)


def test_postponing_the_batch_moves_a_placement_without_own_dates():
    placement = PlacementFactory(batch__start_date=START, start_date=START, end_date=DAY_100)
    batch = placement.batch
    batch.start_date = date(2020, 5, 1)
    batch.full_clean()
    batch.save()
    placement = Placement.objects.get(pk=placement.pk)
    assert placement.term == Term(date(2020, 5, 1), date(2020, 8, 8))


def test_own_dates_inside_the_term_are_kept():
    own = Term(START + timedelta(days=10), START + timedelta(days=60))
    placement = PlacementFactory(batch__start_date=START, start_date=own.start, end_date=own.end)
    placement.full_clean()
    placement.refresh_from_db()
    assert placement.term == own


@pytest.mark.parametrize(
    "start, end",
    [
        (START - timedelta(days=1), None),
        (None, DAY_100 + timedelta(days=1)),
        (DAY_100 + timedelta(days=1), DAY_100 + timedelta(days=2)),
    ],
)
def test_dates_outside_the_batch_term_are_refused(start, end):
    placement = PlacementFactory.build(
        batch=BatchFactory(start_date=START),
        cadre=CadreFactory(),
        host_unit=None,
        start_date=start,
        end_date=end,
    )
    assert NON_FIELD_ERRORS in validation_errors(placement)


def test_own_dates_in_an_unscheduled_batch_are_refused():
    placement = PlacementFactory.build(
        batch=BatchFactory(start_date=None), cadre=CadreFactory(), host_unit=None, start_date=START
    )
    assert NON_FIELD_ERRORS in validation_errors(placement)


def test_end_before_start_is_refused():
    placement = PlacementFactory.build(
        batch=BatchFactory(start_date=START),
        cadre=CadreFactory(),
        host_unit=None,
        start_date=START + timedelta(days=20),
        end_date=START + timedelta(days=10),
    )
    assert "end_date" in validation_errors(placement)


def test_own_start_after_the_batch_end_is_an_order_error():
    placement = PlacementFactory.build(
        batch=BatchFactory(start_date=START),
        cadre=CadreFactory(),
        host_unit=None,
        start_date=DAY_100 + timedelta(days=5),
    )
    assert "end_date" in validation_errors(placement)


def test_database_refuses_end_before_start():
    placement = PlacementFactory(batch__start_date=START)
    with pytest.raises(IntegrityError):
        Placement.objects.filter(pk=placement.pk).update(
            start_date=START + timedelta(days=20), end_date=START + timedelta(days=10)
        )


# --- A cadre in two batches ------------------------------------------------------------------


def test_overlapping_batches_for_one_cadre_are_refused(shenzhen, shanghai):
    first = PlacementFactory(batch=BatchFactory(programme=shenzhen, start_date=START))
    later = BatchFactory(programme=shanghai, start_date=DAY_100)  # shares the last day
    second = Placement(cadre=first.cadre, batch=later)
    errors = validation_errors(second)
    assert NON_FIELD_ERRORS in errors
    assert first.cadre.name in errors[NON_FIELD_ERRORS][0]


def test_back_to_back_batches_for_one_cadre_are_fine(shenzhen, shanghai):
    first = PlacementFactory(batch=BatchFactory(programme=shenzhen, start_date=START))
    later = BatchFactory(programme=shanghai, start_date=DAY_100 + timedelta(days=1))
    Placement(cadre=first.cadre, batch=later).full_clean()


def test_own_end_date_can_avoid_an_overlap(shenzhen, shanghai):
    first = PlacementFactory(
        batch=BatchFactory(programme=shenzhen, start_date=START),
        end_date=date(2020, 5, 31),
    )
    later = BatchFactory(programme=shanghai, start_date=date(2020, 6, 1))
    Placement(cadre=first.cadre, batch=later).full_clean()


def test_other_cadres_in_overlapping_batches_are_fine(shenzhen, shanghai):
    PlacementFactory(batch=BatchFactory(programme=shenzhen, start_date=START))
    later = BatchFactory(programme=shanghai, start_date=START)
    Placement(cadre=CadreFactory(), batch=later).full_clean()


# --- Protection ------------------------------------------------------------------------------


def test_batch_with_placements_cannot_be_deleted():
    placement = PlacementFactory()
    with pytest.raises(ProtectedError):
        placement.batch.delete()


def test_host_unit_with_placements_cannot_be_deleted():
    placement = PlacementFactory()
    with pytest.raises(ProtectedError):
        placement.host_unit.delete()


def test_cadre_with_placements_cannot_be_deleted():
    placement = PlacementFactory()
    with pytest.raises(ProtectedError):
        placement.cadre.delete()


# --- Host units ------------------------------------------------------------------------------


def test_bracket_and_space_variants_share_a_name_key():
    assert host_unit_key("华润（集团）有限公司") == host_unit_key("华润 (集团) 有限公司")


def test_name_key_is_saved():
    unit = HostUnitFactory(name="华润（集团）有限公司")
    assert unit.name_key == "华润(集团)有限公司"


def test_second_spelling_of_a_host_unit_fails_full_clean_on_name():
    HostUnitFactory(name="华润（集团）有限公司")
    errors = validation_errors(HostUnit(name="华润 (集团) 有限公司"))
    assert "华润（集团）有限公司" in errors["name"][0]


def test_database_refuses_a_second_spelling_of_a_host_unit():
    HostUnitFactory(name="华润（集团）有限公司")
    with pytest.raises(IntegrityError):
        HostUnit.objects.create(name="华润 (集团) 有限公司")


def test_host_unit_name_spaces_are_squeezed():
    unit = HostUnitFactory(name="  平安证券　 深圳分公司 ")
    assert unit.name == "平安证券 深圳分公司"


def test_host_unit_can_be_saved_again_without_a_twin_error():
    unit = HostUnitFactory(name="腾讯集团")
    unit.full_clean()


# --- Programmes and batches ------------------------------------------------------------------


def test_batch_code(sz3):
    assert sz3.code == "SZ-3"


def test_batch_str_is_chinese(sz3):
    assert str(sz3) == "深圳第3批"


def test_programme_create_with_only_code_name_city():
    programme = Programme.objects.create(code="SH", name="赴上海专业实训", city="上海")
    programme.refresh_from_db()
    assert programme.kind == Programme.Kind.EXPERIENTIAL


def test_batch_create_with_only_programme_number_start_date(shanghai):
    batch = Batch.objects.create(programme=shanghai, number=5, start_date=date(2021, 10, 17))
    assert batch.code == "SH-5"
    assert batch.term.end == date(2022, 1, 24)


def test_postponing_a_batch_past_a_placement_own_dates_is_refused(sz3):
    PlacementFactory(
        batch=sz3, start_date=START + timedelta(days=5), end_date=START + timedelta(days=50)
    )
    sz3.start_date = START + timedelta(days=10)
    sz3.postponed, sz3.postponement_reason = True, "新冠肺炎疫情"
    errors = validation_errors(sz3)
    assert NON_FIELD_ERRORS in errors


def test_clearing_the_start_of_a_batch_with_own_dated_placements_is_refused(sz3):
    PlacementFactory(batch=sz3, end_date=START + timedelta(days=50))
    sz3.start_date = None
    assert NON_FIELD_ERRORS in validation_errors(sz3)


def test_shortening_a_batch_below_a_placement_own_end_is_refused(sz3):
    PlacementFactory(batch=sz3, end_date=START + timedelta(days=50))
    sz3.term_days = 30
    assert NON_FIELD_ERRORS in validation_errors(sz3)


def test_postponing_a_batch_that_still_contains_own_dates_is_fine(sz3):
    PlacementFactory(
        batch=sz3, start_date=START + timedelta(days=20), end_date=START + timedelta(days=50)
    )
    sz3.start_date = START + timedelta(days=10)
    sz3.postponed, sz3.postponement_reason = True, "新冠肺炎疫情"
    sz3.full_clean()


def test_postponed_batch_needs_a_reason(sz3):
    sz3.postponed = True
    assert "postponement_reason" in validation_errors(sz3)


def test_programme_code_is_upper_cased_by_validation():
    programme = Programme(code=" sz ", name="赴深圳体悟实训", city="深圳")
    programme.full_clean()
    assert programme.code == "SZ"


@pytest.mark.parametrize("code", ["sz", "S-Z", ""])
def test_database_refuses_a_programme_code_batch_codes_cannot_use(code):
    with pytest.raises(IntegrityError):
        Programme.objects.create(code=code, name="x", city="x")


def test_moving_a_batch_onto_another_batch_of_its_cadres_is_refused(shenzhen, shanghai):
    sz = BatchFactory(programme=shenzhen, start_date=START)
    sh = BatchFactory(programme=shanghai, start_date=START + timedelta(days=200))
    cadre = CadreFactory()
    PlacementFactory(cadre=cadre, batch=sz)
    PlacementFactory(cadre=cadre, batch=sh)
    sh.start_date = START + timedelta(days=50)
    assert "重叠" in " ".join(validation_errors(sh)[NON_FIELD_ERRORS])


def test_a_date_that_failed_to_parse_is_reported_not_raised(sz3):
    placement = PlacementFactory.build(batch=sz3, start_date="2020-13-01")
    assert "start_date" in validation_errors(placement)


def test_batch_with_an_unparsed_start_date_is_reported_not_raised(sz3):
    sz3.start_date = "someday"
    assert "start_date" in validation_errors(sz3)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("SZ-3", ("SZ", 3)), (" sz-12 ", ("SZ", 12)), ("SZ-²", None), ("SZ3", None), ("", None)],
)
def test_batch_codes_are_parsed_strictly(text, parsed):
    assert Batch.parse_code(text) == parsed


def test_batches_are_found_by_code(sz3):
    assert list(Batch.objects.by_code("sz-3")) == [sz3]
    assert not Batch.objects.by_code("深圳第3批").exists()


def test_host_unit_contact_phone_is_normalised_and_validated():
    unit = HostUnit(name="腾讯集团", contact_phone="１３８ ００１３ ８０００")
    unit.full_clean()
    assert unit.contact_phone == "13800138000"
    assert "contact_phone" in validation_errors(HostUnit(name="平安证券", contact_phone="12345"))


def test_a_host_unit_name_that_lengthens_when_normalised_is_stored():
    unit = HostUnitFactory(name="㍿" * 100)
    assert unit.name_key == "株式会社" * 100


def test_status_display_is_the_label_in_the_language_shown():
    placement = Placement(status=Placement.Status.ON_SITE)
    assert placement.get_status_display() == "已到岗"
    with translation.override("en"):
        assert placement.get_status_display() == str(Placement.Status.ON_SITE.label)
    assert Placement(status="lost").get_status_display() == "lost"  # a value no choice names

"""The pinyin the search matches (cohorts/pinyin.py), stored by normalise() and by the migrations
for the rows stored before."""

import importlib

import pytest
from django.apps import apps

from cohorts.models import Cadre
from cohorts.pinyin import is_pinyin, person_pinyin, unit_pinyin
from placements.models import HostUnit

from ..factories import CadreFactory, HostUnitFactory


def test_a_name_gives_its_full_pinyin_and_initials():
    assert person_pinyin("王浩") == ("wanghao", "wh")


def test_a_surname_is_read_as_a_surname():
    assert person_pinyin("曾国藩") == ("zengguofan", "zgf")


def test_only_the_first_character_is_read_as_a_surname():
    assert person_pinyin("任重") == ("renzhong", "rz")  # 重 is chong as a surname only


def test_u_umlaut_is_written_v_as_typed():
    assert person_pinyin("吕伟") == ("lvwei", "lw")


def test_a_latin_name_is_kept_whole_in_lower_case():
    assert person_pinyin("John Smith") == ("johnsmith", "johnsmith")


def test_a_unit_name_is_read_as_words():
    assert unit_pinyin("招商银行") == ("zhaoshangyinhang", "zsyh")  # 行 as in 银行, not xing


def test_brackets_and_spaces_are_dropped_letters_and_digits_kept():
    assert unit_pinyin("58同城（IBM 中国）") == ("58tongchengibmzhongguo", "58tcibmzg")


def test_a_character_without_a_reading_is_left_out():
    assert person_pinyin("王\u3402浩") == ("wanghao", "wh")  # 㐂, which pypinyin cannot read


@pytest.mark.parametrize(
    ("word", "pinyin"),
    [
        ("tx", True),
        ("TengXun", True),
        ("王浩", False),
        ("0532", False),
        ("wh1", False),
        ("é", False),
    ],
)
def test_only_ascii_letters_may_be_pinyin(word, pinyin):
    assert is_pinyin(word) is pinyin


@pytest.mark.django_db
def test_saving_a_cadre_stores_the_pinyin_of_the_name():
    cadre = CadreFactory(name="王浩")
    cadre.refresh_from_db()
    assert (cadre.name_pinyin, cadre.name_initials) == ("wanghao", "wh")


@pytest.mark.django_db
def test_saving_a_host_unit_stores_the_pinyin_of_its_name():
    unit = HostUnitFactory(name="腾讯")
    unit.refresh_from_db()
    assert (unit.name_pinyin, unit.name_initials) == ("tengxun", "tx")


@pytest.mark.django_db
def test_the_migration_fills_the_cadres_stored_before():
    CadreFactory(name="王浩")
    Cadre.objects.update(name_pinyin="", name_initials="")
    importlib.import_module("cohorts.migrations.0007_pinyin_search").fill_pinyin(apps, None)
    assert Cadre.objects.values_list("name_pinyin", "name_initials").get() == ("wanghao", "wh")


@pytest.mark.django_db
def test_the_migration_fills_the_host_units_stored_before():
    HostUnitFactory(name="腾讯")
    HostUnit.objects.update(name_pinyin="", name_initials="")
    importlib.import_module("placements.migrations.0006_pinyin_search").fill_pinyin(apps, None)
    assert HostUnit.objects.values_list("name_pinyin", "name_initials").get() == ("tengxun", "tx")


def test_a_compound_surname_is_read_as_a_whole():
    from cohorts.pinyin import person_pinyin

    assert person_pinyin("尉迟敬德") == ("yuchijingde", "ycjd")

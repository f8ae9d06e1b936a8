"""Names in the order Chinese users expect: ICU's pinyin collation, surnames read as surnames,
and the database sorting the stored key as Python does."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from cohorts.models import Cadre
from cohorts.text import pinyin_sort_key

from ..factories import CadreFactory

ICU_LIST = Path(__file__).with_name("icu_pinyin_order.txt")


def icu_order() -> list[str]:
    lines = ICU_LIST.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def in_order(*names):
    return sorted(names, key=pinyin_sort_key) == list(names)


def test_order_is_the_checked_in_icu_list():
    names = icu_order()
    assert sorted(reversed(names), key=pinyin_sort_key) == names


def test_homophone_surnames_stay_apart():
    assert sorted(["余波", "于海", "于波", "余海"], key=pinyin_sort_key) == [
        "于波",
        "于海",
        "余波",
        "余海",
    ]


def test_name_before_its_extension():
    assert in_order("陈博", "陈博涛")


def test_u_umlaut_between_u_and_uan():
    assert in_order("卢", "吕", "栾", "罗")


def test_neutral_tone_last():
    assert in_order("妈", "麻", "马", "骂", "吗")


def test_digits_before_and_latin_after_chinese():
    assert in_order("3号", "王3", "王芳", "Anna")


@pytest.mark.parametrize(
    "surname, reading",
    [
        ("尉", "wei04"), ("种", "chong02"), ("祭", "zhai04"), ("员", "yun04"), ("秘", "bi04"),
        ("纪", "ji03"), ("华", "hua04"), ("都", "du01"), ("隗", "wei03"), ("阚", "kan04"),
        ("句", "gou01"), ("能", "nai04"), ("折", "she02"), ("薄", "bo02"), ("乜", "nie04"),
        ("粘", "nian02"),
        # right before, kept
        ("曾", "zeng01"), ("单", "shan04"), ("仇", "qiu02"), ("区", "ou01"), ("解", "xie04"),
        ("查", "zha01"), ("朴", "piao02"),
    ],
)  # fmt: skip
def test_surname_reading(surname, reading):
    assert pinyin_sort_key(surname + "明") == f"{reading}{surname}ming02明"


@pytest.mark.parametrize(
    "name, key",
    [
        ("尉迟恭", "yu04尉chi02迟gong01恭"),
        ("单于飞", "chan02单yu02于fei01飞"),
        ("长孙无忌", "zhang03长sun01孙wu02无ji04忌"),
        ("万俟卨", "mo04万qi02俟xie04卨"),
        ("令狐冲", "ling02令hu02狐chong01冲"),
        ("澹台灭明", "tan02澹tai02台mie04灭ming02明"),
        ("诸葛亮", "zhu01诸ge03葛liang04亮"),
    ],
)
def test_compound_surname(name, key):
    assert pinyin_sort_key(name) == key


def test_reading_only_in_the_surname():
    """尉 is Wei alone, Yu in 尉迟; in a given name it keeps its everyday reading."""
    assert pinyin_sort_key("王尉") == "wang02王wei04尉"


@pytest.mark.django_db
def test_database_orders_as_python():
    names = icu_order()
    for name in reversed(names):
        CadreFactory(name=name)
    assert list(Cadre.objects.order_by("name_sort").values_list("name", flat=True)) == names


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's BINARY is code point order")
def test_sort_column_collation_is_c_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = 'name_sort'",
            [Cadre._meta.db_table],
        )
        assert cursor.fetchone() == ("C",)


@pytest.mark.django_db
def test_migration_recomputes_stored_keys():
    migration = importlib.import_module("cohorts.migrations.0006_name_sort_collation")
    cadre = CadreFactory(name="陈博")
    Cadre.objects.filter(pk=cadre.pk).update(name_sort="chen2 bo2 陈博")
    migration.recompute_sort_keys(apps, None)
    cadre.refresh_from_db()
    assert cadre.name_sort == pinyin_sort_key("陈博")

"""Names in the order Chinese users expect: ICU's pinyin collation, surnames read as surnames,
and the database sorting the stored key as Python does."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from pypinyin import Style, lazy_pinyin

from cohorts import text
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
    "first, second",
    [
        ("州", "周"), ("臣", "陈"), ("阳", "杨"), ("雄", "熊"),
        ("芯", "欣"), ("辛", "新"), ("红", "宏"), ("沉", "晨"),
    ],
)  # fmt: skip
def test_homophones_in_icus_order(first, second):
    """As surnames and in given names: ICU's order among characters of one reading."""
    assert in_order(first + "明", second + "明")
    assert in_order("王" + first, "王" + second)


def stand_in(reading):
    """The character of ICU's order at whose place a surname read so sorts."""
    char = text._order()[text._stand_ins()[reading]]
    assert lazy_pinyin(char, style=Style.TONE3, neutral_tone_with_five=True) == [reading]
    return char


@pytest.mark.parametrize(
    "surname, reading",
    [
        ("尉", "wei4"), ("种", "chong2"), ("祭", "zhai4"), ("员", "yun4"), ("秘", "bi4"),
        ("纪", "ji3"), ("华", "hua4"), ("都", "du1"), ("隗", "wei3"), ("阚", "kan4"),
        ("句", "gou1"), ("能", "nai4"), ("折", "she2"), ("薄", "bo2"), ("乜", "nie4"),
        ("粘", "nian2"),
        # right before, kept
        ("曾", "zeng1"), ("单", "shan4"), ("仇", "qiu2"), ("区", "ou1"), ("解", "xie4"),
        ("查", "zha1"), ("朴", "piao2"),
    ],
)  # fmt: skip
def test_surname_reading(surname, reading):
    key = pinyin_sort_key(stand_in(reading)) + surname + pinyin_sort_key("明")
    assert pinyin_sort_key(surname + "明") == key


@pytest.mark.parametrize(
    "name, readings",
    [
        ("尉迟恭", ["yu4", "chi2"]),
        ("单于飞", ["chan2", "yu2"]),
        ("长孙无忌", ["zhang3", "sun1"]),
        ("万俟卨", ["mo4", "qi2"]),
        ("令狐冲", ["ling2", "hu2"]),
        ("澹台灭明", ["tan2", "tai2"]),
        ("诸葛亮", ["zhu1", "ge3"]),
    ],
)
def test_compound_surname(name, readings):
    surname = [pinyin_sort_key(stand_in(r)) + c for r, c in zip(readings, name[:2], strict=True)]
    assert pinyin_sort_key(name) == "".join(surname) + pinyin_sort_key(name[2:])


def test_surname_sorts_among_its_reading():
    """曾 is ceng2 in ICU's order, zeng1 as a surname: 曾国藩 sorts among the zeng1, not by 层."""
    assert in_order("层明", "増明", "増强", "曾国藩", "增明", "赠明")


def test_reading_only_in_the_surname():
    """尉 is Wei alone, Yu in 尉迟; in a given name it keeps its place in ICU's order."""
    assert pinyin_sort_key("王尉") == pinyin_sort_key("王") + text._code(text._ranks()["尉"])


def test_character_outside_icus_order_after_all_in_it():
    assert in_order("王" + text._order()[-1], "王\u4dbf")


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
@pytest.mark.parametrize("migration", ["0006_name_sort_collation", "0008_name_sort_icu_ranks"])
def test_migration_recomputes_stored_keys(migration):
    migration = importlib.import_module(f"cohorts.migrations.{migration}")
    cadre = CadreFactory(name="陈博")
    Cadre.objects.filter(pk=cadre.pk).update(name_sort="chen02陈bo02博")
    migration.recompute_sort_keys(apps, None)
    cadre.refresh_from_db()
    assert cadre.name_sort == pinyin_sort_key("陈博")

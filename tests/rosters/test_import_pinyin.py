"""The roster import stores the pinyin the search matches (issue 15): it builds cadres and host
units in bulk (COPY on PostgreSQL), past save(), so normalise() must have set it."""

import pytest

from cohorts.models import Cadre
from placements.models import HostUnit
from rosters.importing import import_roster

from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db


def run(*rows):
    result = import_roster(csv_bytes(table(list(rows))), "roster.csv")
    assert result.ok, [str(problem) for problem in result.problems]


def test_a_new_cadre_is_stored_with_the_pinyin_of_the_name(sz3):
    run(person(1, 姓名="王浩"))
    assert Cadre.objects.values_list("name_pinyin", "name_initials").get() == ("wanghao", "wh")


def test_a_new_host_unit_is_stored_with_the_pinyin_of_its_name(sz3):
    run(person(1, 实训单位="腾讯科技（深圳）有限公司"))
    unit = HostUnit.objects.get()
    assert (unit.name_pinyin, unit.name_initials) == (
        "tengxunkejishenzhenyouxiangongsi",
        "txkjszyxgs",
    )


def test_a_name_the_roster_corrects_gets_the_new_pinyin(sz3):
    run(person(1, 姓名="王浩"))
    run(person(1, 姓名="汪洋"))  # the same ID number: the same cadre, renamed
    assert Cadre.objects.values_list("name_pinyin", "name_initials").get() == ("wangyang", "wy")

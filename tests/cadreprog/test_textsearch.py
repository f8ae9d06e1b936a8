"""cadreprog/textsearch.py: contains_text finds exactly what icontains finds, on each database
(on PostgreSQL a short word is first narrowed by the index of the column's characters)."""

import pytest

from cadreprog.textsearch import contains_text
from cohorts.models import Cadre

from ..factories import CadreFactory

pytestmark = pytest.mark.django_db

NAMES = ["王浩", "浩王", "欧阳建国", "李娜", "Wang Hao", "100%纯", "a_b", "反\\斜", "王"]
WORDS = [
    "王", "浩", "王浩", "阳建", "娜娜", "wa", "WA", "h", "g h", "%", "_", "\\", "斜", "无",
    "欧阳建国", "建国x", "wang",
]  # fmt: skip


@pytest.fixture
def cadres():
    for name in NAMES:
        CadreFactory(name=name, id_number=None)


@pytest.mark.parametrize("word", WORDS)
def test_it_finds_what_icontains_finds(cadres, word):
    found = Cadre.objects.filter(contains_text("name", word))
    assert set(found) == set(Cadre.objects.filter(name__icontains=word))


def names(word):
    return set(Cadre.objects.filter(contains_text("name", word)).values_list("name", flat=True))


def test_it_finds_inside_and_at_either_end(cadres):
    assert names("阳建") == {"欧阳建国"}
    assert names("王") == {"王浩", "浩王", "王"}
    assert names("王浩") == {"王浩"}  # not 浩王: the same characters in another order


def test_a_null_column_is_not_found(cadres):
    assert not Cadre.objects.filter(contains_text("id_number", "1")).exists()

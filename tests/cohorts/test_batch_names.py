"""The 批次 column's batch names (issue 15): short city names, 期, no 第, codes without a hyphen."""

import pytest

from cohorts.batchnames import BatchNames

from ..factories import BatchFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

SPELLINGS = [
    ("沪第五批", "SH", 5),
    ("深三批", "SZ", 3),
    ("深圳第三期", "SZ", 3),
    ("深圳3批", "SZ", 3),
    ("SZ3", "SZ", 3),
    ("SZ 3", "SZ", 3),
    ("SZ—3", "SZ", 3),
    ("sz－3", "SZ", 3),
    ("第5批（上海）", "SH", 5),
    ("SZ-3", "SZ", 3),
    ("第三批赴深圳体悟实训", "SZ", 3),
]


@pytest.mark.parametrize("written, code, number", SPELLINGS)
def test_batch_spelling_names_its_batch(sz3, sh5, written, code, number):
    assert BatchNames().find(written).code == f"{code}-{number}"


@pytest.mark.parametrize("written", ["京三批", "深第九批", "SZ", "SZX3", "第三批", "三批"])
def test_a_name_of_no_batch_finds_none(sz3, sh5, written):
    assert BatchNames().find(written) is None


def test_a_short_name_two_cities_share_finds_none(sz3):
    BatchFactory(programme=ProgrammeFactory(code="SY", city="沈阳"), number=3)
    BatchFactory(programme=ProgrammeFactory(code="SJ", city="深江"), number=3)
    assert BatchNames().find("深三批") is None


def test_a_longer_code_is_matched_before_its_prefix(sz3):
    sz2 = ProgrammeFactory(code="SZ2", city="珠海")
    BatchFactory(programme=sz2, number=3)
    assert BatchNames().find("SZ2-3").programme == sz2

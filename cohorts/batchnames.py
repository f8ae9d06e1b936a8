"""Batch names as rosters and progress files write them: SZ-3, SZ3, SZ 3, SZ—3, 深圳第3批,
深圳3批, 深圳第三批, 深圳第三期, 深三批, 第三批赴深圳体悟实训 and 第3批（深圳） all name one
batch; 沪第五批 names 上海's fifth. Both spreadsheet imports read the 批次 column through it,
and exports write it as `written` gives it (深圳第3批), so that what they write reads back.
One query for the batches and one for the programmes, however many rows ask."""

import re

from cohorts.models import Batch, Programme
from cohorts.text import halfwidth, whole_number

CHINESE_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                    "八": 8, "九": 9, "十": 10}  # fmt: skip
# A city's customary one-character name (简称) where it is not the city's first character; any
# other city is also known by its first character (深 for 深圳). A deployment adds its cities here.
CITY_ABBREVIATIONS = {"上海": "沪", "重庆": "渝", "广州": "穗", "成都": "蓉", "南京": "宁"}
# The batch's number and 批 or 期, 第 or not: 第三批, 3批, 第三期.
_NUMBERED = re.compile(r"第?\s*([0-9]+|[一二两三四五六七八九十]+)\s*[批期]")
# What may stand between a programme's code and the number: hyphens and dashes of any width.
_CODE_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015\u2212]*")
_PUNCTUATION = re.compile(r"[\s()\[\]【】,，:：]+")


class BatchNames:
    def __init__(self):
        self.batches = {(b.programme_id, b.number): b for b in Batch.objects.all()}
        # Longest code first, so that SZ2-3 is not read as programme SZ's batch 23.
        self.programmes = sorted(Programme.objects.all(), key=lambda p: -len(p.code))
        self.cache = {}

    def find(self, written: str) -> Batch | None:
        if written not in self.cache:
            self.cache[written] = self._find(written)
        return self.cache[written]

    def written(self, batch: Batch) -> str:
        """深圳第3批, as staff write it; the code (SZ-3) when the city names no single
        programme (two programmes in one city), so that `find` always reads it back."""
        name = f"{batch.programme.city.removesuffix('市')}第{batch.number}批"
        found = self.find(name)
        return name if found is not None and found.pk == batch.pk else batch.code

    def _find(self, written: str) -> Batch | None:
        text = halfwidth(written).strip()
        programme, number = self._coded(text)
        if programme is None:
            match = _NUMBERED.search(text)
            number = _number(match[1]) if match else None
            rest = text.replace(match[0], "", 1) if match else text
            programme = self._named(_PUNCTUATION.sub("", rest))
        if programme is None or number is None:
            return None
        return self.batches.get((programme.pk, number))

    def _coded(self, text: str) -> tuple[Programme | None, int | None]:
        """(programme, number) for SZ-3, sz3, SZ 3 or SZ—3; (None, None) for anything else."""
        upper = text.upper()
        for programme in self.programmes:
            if upper.startswith(programme.code):
                number = _CODE_SEPARATORS.sub("", upper[len(programme.code) :], count=1)
                if whole_number(number) is not None:
                    return programme, whole_number(number)
        return None, None

    def _named(self, rest: str) -> Programme | None:
        """The one programme whose city the words around the number name, in full or short."""
        named = [p for p in self.programmes if p.city and p.city in rest]
        if not named:
            named = [p for p in self.programmes if p.city and rest.startswith(_short(p.city))]
        return named[0] if len(named) == 1 else None


def _short(city: str) -> str:
    city = city.removesuffix("市")
    return CITY_ABBREVIATIONS.get(city, city[:1])


def _number(text: str) -> int | None:
    if whole_number(text) is not None:
        return whole_number(text)
    if text == "十":
        return 10
    tens, _sep, units = text.partition("十")
    if "十" in text:
        return CHINESE_NUMERALS.get(tens, 1) * 10 + CHINESE_NUMERALS.get(units, 0)
    return CHINESE_NUMERALS.get(text)

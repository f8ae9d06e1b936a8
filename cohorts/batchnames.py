"""Batch names as rosters and progress files write them: SZ-3, 深圳第3批, 深圳第三批 and
第三批赴深圳体悟实训 all name one batch. Both spreadsheet imports read the 批次 column through it.
One query for the batches and one for the programmes, however many rows ask."""

import re

from cohorts.models import Batch, Programme
from cohorts.text import halfwidth

CHINESE_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                    "八": 8, "九": 9, "十": 10}  # fmt: skip


class BatchNames:
    def __init__(self):
        self.batches = {(b.programme_id, b.number): b for b in Batch.objects.all()}
        self.programmes = list(Programme.objects.all())
        self.cache = {}

    def find(self, written: str) -> Batch | None:
        if written not in self.cache:
            self.cache[written] = self._find(written)
        return self.cache[written]

    def _find(self, written: str) -> Batch | None:
        text = halfwidth(written).strip()
        parsed = Batch.parse_code(text)
        if parsed:
            code, number = parsed
            programme = next((p for p in self.programmes if p.code == code), None)
        else:
            match = re.search(r"第\s*([0-9]+|[一二两三四五六七八九十]+)\s*批", text)
            number = _number(match[1]) if match else None
            rest = text.replace(match[0], "") if match else text
            named = [p for p in self.programmes if p.city and p.city in rest]
            programme = named[0] if len(named) == 1 else None
        if programme is None or number is None:
            return None
        return self.batches.get((programme.pk, number))


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _sep, units = text.partition("十")
    if "十" in text:
        return CHINESE_NUMERALS.get(tens, 1) * 10 + CHINESE_NUMERALS.get(units, 0)
    return CHINESE_NUMERALS.get(text)

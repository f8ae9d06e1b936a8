"""Normalising what people cannot see in a spreadsheet cell: full-width characters and spaces."""

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"\s+")


def halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation (ＡＢＣ１２３，（）) to their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


def normalise_name(name: str) -> str:
    """王　伟 → 王伟: a Chinese name has no spaces; other names keep single spaces."""
    name = _SPACES.sub(" ", name.replace("\u3000", " ")).strip()
    if _CJK.search(name):
        return name.replace(" ", "")
    return name


def squeeze(text: str) -> str:
    """Trim and collapse runs of spaces (full-width too) in free text such as a unit's name."""
    return _SPACES.sub(" ", text.replace("\u3000", " ")).strip()


# Surnames read differently from the character's everyday reading (曾国藩 is Zeng, not Ceng).
SURNAME_READINGS = {
    "曾": "zeng1", "单": "shan4", "解": "xie4", "仇": "qiu2", "朴": "piao2", "查": "zha1",
    "区": "ou1", "盖": "ge3", "缪": "miao4", "翟": "zhai2", "乐": "yue4", "覃": "qin2",
    "黑": "he4", "任": "ren2", "尉": "yu4", "召": "shao4", "长": "chang2", "重": "chong2",
}  # fmt: skip


# One Chinese character, or a run of anything else (a Latin name stays one piece).
_READING_PARTS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\u3400-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=65536)
def pinyin_sort_key(name: str) -> str:
    """王伟 → "wang2 wei3 王伟": official lists sort names by pinyin, then tone, then the name."""
    syllables = [_reading(part) for part in _READING_PARTS.findall(name)]
    if name[:1] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    return " ".join(s.lower() for s in syllables) + " " + name


@lru_cache(maxsize=8192)
def _reading(part: str) -> str:
    # Character by character: a name is not a phrase (pypinyin's phrase readings are for words),
    # and a few thousand characters make every name of an import, read once each.
    return " ".join(lazy_pinyin(part, style=Style.TONE3, neutral_tone_with_five=True))

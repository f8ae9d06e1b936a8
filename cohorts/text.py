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
    "黑": "he4", "任": "ren2", "尉": "wei4", "召": "shao4", "长": "chang2", "重": "chong2",
    "种": "chong2", "祭": "zhai4", "员": "yun4", "秘": "bi4", "纪": "ji3", "华": "hua4",
    "都": "du1", "隗": "wei3", "阚": "kan4", "句": "gou1", "能": "nai4", "折": "she2",
    "薄": "bo2", "乜": "nie4", "粘": "nian2",
}  # fmt: skip

# Two-character surnames, read as a whole before the single surname of their first character
# (尉迟 is Yuchi though 尉 alone is Wei; 单于 is Chanyu though 单 alone is Shan).
COMPOUND_SURNAMES = {
    "尉迟": ("yu4", "chi2"), "单于": ("chan2", "yu2"), "长孙": ("zhang3", "sun1"),
    "万俟": ("mo4", "qi2"), "令狐": ("ling2", "hu2"), "澹台": ("tan2", "tai2"),
    "诸葛": ("zhu1", "ge3"),
}  # fmt: skip


# One Chinese character, or a run of anything else (a Latin name stays one piece).
_READING_PARTS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\u3400-\u9fff\uf900-\ufaff]+")
_SYLLABLE = re.compile(r"([a-z]+?)([1-5])")


@lru_cache(maxsize=65536)
def pinyin_sort_key(name: str) -> str:
    """王伟 → "wang02王wei03伟": the order of ICU's zh@collation=pinyin, as a string whose
    code point order is that order (the column's collation is "C" on PostgreSQL and BINARY on
    SQLite, so the database sorts as Python does).

    Invariants: names compare character by character, as ICU does; each Chinese character is
    "syllable, ü-mark, tone, the character itself", so that
    - syllables compare alphabetically with ü as u, and a ü after its u: 卢 lu < 吕 lü < 栾 luan
      < 略 lüe < 罗 luo (the mark is 0 or 1, below any letter);
    - then the tone, neutral last: 妈 < 麻 < 马 < 骂 < 吗;
    - then the character: homophones stay apart (all 于 before all 余), by code point where ICU
      has an order of its own for characters of one reading;
    - a name is a prefix of its extension's key, so it comes first: 陈博 < 陈博涛;
    - digits come before Chinese characters and Latin letters after them (a "~" before a Latin
      run), as in ICU's Chinese order.
    The surname is read as surnames are (SURNAME_READINGS, COMPOUND_SURNAMES).
    """
    parts = _READING_PARTS.findall(name)
    readings = [None] * len(parts)
    if name[:2] in COMPOUND_SURNAMES:
        readings[:2] = COMPOUND_SURNAMES[name[:2]]
    elif name[:1] in SURNAME_READINGS:
        readings[0] = SURNAME_READINGS[name[0]]
    return "".join(_unit(part, reading) for part, reading in zip(parts, readings, strict=True))


def _unit(part: str, reading: str | None) -> str:
    if not _CJK.fullmatch(part):
        # A Latin run after the Chinese characters, case aside; digits and marks as they are.
        # The space ends the run: "Ann" < "Ann李" < "Anna".
        text = part.casefold()
        return ("~" + text if text[:1].isalpha() else text) + " "
    match = _SYLLABLE.fullmatch(reading or _reading(part))
    if match is None:  # a character with no known reading: after every one that has one
        return part
    syllable, tone = match.groups()
    return syllable.replace("v", "u") + ("1" if "v" in syllable else "0") + tone + part


@lru_cache(maxsize=8192)
def _reading(char: str) -> str:
    # Character by character: a name is not a phrase (pypinyin's phrase readings are for words).
    # pypinyin writes ü as v and the neutral tone as 5: 吕 → lv3, 吗 → ma5.
    return lazy_pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0]

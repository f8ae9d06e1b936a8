"""Normalising what people cannot see in a spreadsheet cell: full-width characters and spaces."""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from pypinyin.contrib.tone_convert import to_tone
from pypinyin.pinyin_dict import pinyin_dict

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"\s+")


def halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation (ＡＢＣ１２３，（）) to their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


# The largest number a database integer column holds (PostgreSQL's bigint, SQLite's integer).
MAX_NUMBER = 2**63 - 1


def whole_number(text) -> int | None:
    """A number typed by a user (an id, a page, a batch's number) when it is one: ASCII digits
    that a database column can hold; else None. str.isdigit() alone also takes ² (which int()
    refuses) and numbers too large for the database (SQLite then raises OverflowError)."""
    text = str(text)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_NUMBER else None


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

# Every Chinese character pypinyin reads, in ICU's pinyin order (cohorts/data/make_pinyin_order.py).
ICU_ORDER_FILE = Path(__file__).with_name("data") / "icu_pinyin_order.txt"

# A character's rank in that order, written in three digits of base 67 whose code points run
# from ":" to "|": above the digits, below the "}" of an unranked character and the "~" of a
# Latin run, so that code point order is rank order.
_DIGITS = "".join(chr(code) for code in range(ord(":"), ord("|") + 1))
_WIDTH = 3
_UNRANKED = "}"


@lru_cache(maxsize=65536)
def pinyin_sort_key(name: str) -> str:
    """王伟 → three digits of 王's rank, then three of 伟's: the order of ICU's
    zh@collation=pinyin, as a string whose code point order is that order (the column's
    collation is "C" on PostgreSQL and BINARY on SQLite, so the database sorts as Python does).

    Invariants: names compare character by character, as ICU does; each Chinese character is its
    rank in ICU's order of all characters (cohorts/data/icu_pinyin_order.txt), so that
    - characters sort by reading, ü after u, neutral tone last (卢 < 吕 < 栾 < 略 < 罗), and
      characters of one reading as ICU orders them (州 < 周, 臣 < 陈);
    - a surname read as surnames are (SURNAME_READINGS, COMPOUND_SURNAMES) sorts at the place of
      its corrected reading: the rank of the first character of ICU's order read so alone (a
      stand-in), then the character itself, which keeps homophones apart (曾国藩 among the zeng1);
    - a character ICU's order lacks comes after every ranked one, by code point;
    - a name is a prefix of its extension's key, so it comes first: 陈博 < 陈博涛;
    - digits come before Chinese characters and Latin letters after them (a "~" before a Latin
      run), as in ICU's Chinese order.
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
    if reading is not None:
        return _code(_stand_ins()[reading]) + part
    rank = _ranks().get(part)
    if rank is None:  # a character ICU's order lacks: after every one it has
        return _UNRANKED + part
    return _code(rank)


def _code(rank: int) -> str:
    digits = []
    for _ in range(_WIDTH):
        rank, digit = divmod(rank, len(_DIGITS))
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits))


@lru_cache(maxsize=1)
def _order() -> str:
    return ICU_ORDER_FILE.read_text(encoding="utf-8").strip()


@lru_cache(maxsize=1)
def _ranks() -> dict[str, int]:
    ranks = {char: rank for rank, char in enumerate(_order())}
    assert len(ranks) < len(_DIGITS) ** _WIDTH, "widen the rank code"
    return ranks


@lru_cache(maxsize=1)
def _stand_ins() -> dict[str, int]:
    """Each corrected surname reading → the rank of the first character of ICU's order that has
    only that reading (so ICU filed it there), or failing one, that reads so first."""
    # pypinyin's table of each character's readings, first the everyday one, in tone marks:
    # a look-up per character, where pypinyin.pinyin() would take most of a second for all.
    wanted = {*SURNAME_READINGS.values(), *(r for pair in COMPOUND_SURNAMES.values() for r in pair)}
    marked = {to_tone(reading): reading for reading in wanted}
    only, first = {}, {}
    for rank, char in enumerate(_order()):
        readings = pinyin_dict.get(ord(char), "").split(",")
        reading = marked.get(readings[0])
        if reading is not None:
            first.setdefault(reading, rank)
            if len(readings) == 1:
                only.setdefault(reading, rank)
    missing = wanted - first.keys()
    assert not missing, f"no character reads {missing}"
    return first | only

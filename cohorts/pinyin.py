"""Pinyin for the search boxes: staff type `wh` or `wanghao` for 王浩, `tx` or `tengxun` for 腾讯.

Each searchable name stores two derived columns, set by the models' normalise() (and so by the
roster import, which calls it before its bulk inserts) and indexed by trigrams on PostgreSQL
(migrations cohorts 0007 and placements 0006):
- the full pinyin: lower-case ASCII, no tones, no spaces or punctuation (王浩 → wanghao);
- the initials: the first letter of each syllable (王浩 → wh).
Letters and digits that are not Chinese are kept whole in both (IBM中国 → ibmzhongguo, ibmzg).
Only a word of ASCII letters is looked up in these columns (`is_pinyin`); any other word is
searched as it is written. Both columns hold nothing but [a-z0-9], so a lower-cased word is
matched case-sensitively (a plain LIKE, which the trigram indexes answer).
"""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .text import COMPOUND_SURNAMES, SURNAME_READINGS

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A run of Chinese characters, or a run of anything else.
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")
_SYLLABLE = re.compile(r"[a-z]+", re.ASCII)
_LATIN = re.compile(r"[A-Za-z0-9]+", re.ASCII)
_LATIN_WORD = re.compile(r"[A-Za-z]+", re.ASCII)


def is_pinyin(word: str) -> bool:
    """A word that may be pinyin: ASCII letters only (tx, TengXun), not 王浩 or 0532."""
    return _LATIN_WORD.fullmatch(word) is not None


def _keys(name: str, read) -> tuple[str, str]:
    """(full pinyin, initials) of `name`, its Chinese runs read by `read`."""
    full, initials = [], []
    for run in _RUNS.findall(name):
        if not _CJK.match(run):
            # Letters and digits that are not Chinese: kept whole in both.
            words = [w.lower() for w in _LATIN.findall(run)]
            full += words
            initials += words
            continue
        # A character pypinyin cannot read comes back as itself: it has no pinyin to match.
        syllables = [s for s in read(run) if _SYLLABLE.fullmatch(s)]
        full += syllables
        initials += [s[0] for s in syllables]
    return "".join(full), "".join(initials)


@lru_cache(maxsize=65536)
def person_pinyin(name: str) -> tuple[str, str]:
    """王浩 → ("wanghao", "wh"): character by character, with the surname read as a surname
    (曾 is zeng, not ceng: text.SURNAME_READINGS, the table the name order uses)."""
    compound = COMPOUND_SURNAMES.get(name[:2])  # 尉迟 is yuchi, 单于 chanyu
    if compound:
        readings = [reading.rstrip("012345") for reading in compound]
        full, initials = _keys(name[2:], _by_character)
        return "".join(readings) + full, "".join(r[0] for r in readings) + initials
    surname = SURNAME_READINGS.get(name[:1])
    full, initials = _keys(name[1:] if surname else name, _by_character)
    if surname:
        reading = surname.rstrip("012345")
        return reading + full, reading[0] + initials
    return full, initials


def _by_character(run: str) -> list[str]:
    # A name is not a phrase: pypinyin's phrase readings are for words (as text.pinyin_sort_key).
    return [syllable for character in run for syllable in _reading(character)]


@lru_cache(maxsize=32768)
def _reading(character: str) -> tuple[str, ...]:
    """A character's syllables, read once: an import of 100,000 new people reads a few
    thousand characters, each a hundred times."""
    return tuple(lazy_pinyin(character))


@lru_cache(maxsize=8192)
def unit_pinyin(name: str) -> tuple[str, str]:
    """腾讯科技（深圳）有限公司 → ("tengxunkejishenzhenyouxiangongsi", "txkjszyxgs"): read as
    words, so that 银行 is yinhang."""
    return _keys(name, lambda run: lazy_pinyin(run, style=Style.NORMAL))

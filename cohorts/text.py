"""Normalising what people cannot see in a spreadsheet cell: full-width characters and spaces."""

import re
import unicodedata

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

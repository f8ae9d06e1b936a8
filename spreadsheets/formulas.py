"""What a spreadsheet would run: a cell that starts like a formula (=, +, -, @, tab, CR) is
written behind an apostrophe ('=1+1), which shows the text and never runs it; the import takes
the apostrophe off again, so an exported file imports unchanged. Both importers and every
export use this one rule."""

import re

# A formula start, behind any apostrophes already there: '=1+1 must come back as '=1+1 too.
_ESCAPABLE = re.compile(r"'*[=+\-@\t\r]")
# What each text escape_formula changes starts with, behind a NUL: texts joined by NULs, with
# one in front, match if any of them may need it (escape_formulas).
_MAY_ESCAPE = re.compile(r"\x00['=+\-@\t\r]")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


def escape_formula(text: str) -> str:
    """'=1+1 for =1+1: a spreadsheet shows the text and never runs it."""
    return "'" + text if _ESCAPABLE.match(text) else text


def escape_formulas(texts: list[str]) -> list[str]:
    """escape_formula of each of `texts`, with one search over them all instead of one per text:
    `texts` itself when none starts like a formula or with an apostrophe (nearly every row of an
    export). Every text follows a NUL in the joined string, so none is missed; a NUL inside a
    text can only send the row to the per-text path."""
    if _MAY_ESCAPE.search("\x00" + "\x00".join(texts)):
        return [escape_formula(text) for text in texts]
    return texts


def unescape_formula(text: str) -> str:
    """The inverse of escape_formula, applied by the import."""
    return text[1:] if text.startswith("'") and _ESCAPABLE.match(text[1:]) else text

"""A notification's text is written once, in the markdown the group-chat robot takes (**bold**,
[words](link), lines starting "- "); the bell and e-mail show it as plain text, without the
marks a reader would otherwise see."""

import re

BOLD = re.compile(r"\*\*(.+?)\*\*")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def plain(markdown: str) -> str:
    """`markdown` without its marks: bold as the words, a link as its words."""
    return BOLD.sub(r"\1", LINK.sub(r"\1", markdown))

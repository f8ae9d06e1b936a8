"""A notification's text is written once, in the markdown the group-chat robot takes (**bold**,
[words](link), lines starting "- "); the bell and e-mail show it as plain text, without the
marks a reader would otherwise see.

Only the fixed words of a message carry markdown: every value put into one (a name, a group, a
title, anything a user typed) goes through `literal`, so that a group named "[签到](http://…)"
posts no link to the batch's chat."""

import re

BOLD = re.compile(r"\*\*(.+?)\*\*")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def plain(markdown: str) -> str:
    """`markdown` without its marks: bold as the words, a link as its words."""
    return BOLD.sub(r"\1", LINK.sub(r"\1", markdown))


# Each mark the robot's markdown reads, as the full-width character a Chinese text would use.
FULL_WIDTH = str.maketrans({
    "[": "［", "]": "］", "(": "（", ")": "）", "*": "＊", "_": "＿", "`": "｀",
    "<": "＜", ">": "＞", "#": "＃", "\n": " ", "\r": " ",
})  # fmt: skip


def literal(value) -> str:
    """`value` as text in a markdown message: its marks (and line breaks) made harmless."""
    return str(value).translate(FULL_WIDTH)

"""Writes icu_pinyin_order.txt: every CJK character pypinyin can read, in the order of ICU's
Chinese collation (zh, whose default is pinyin), as PostgreSQL's "zh-x-icu" collation sorts them.

Run by hand, once per ICU upgrade worth following; the app reads only the file it writes, so it
needs neither PostgreSQL nor ICU at runtime (cohorts/text.py pinyin_sort_key):

    .venv/bin/python cohorts/data/make_pinyin_order.py postgres://postgres@127.0.0.1:5432/postgres

Invariants of the file: one line, each character once, in ICU's order (characters ICU finds equal
by code point); only characters of the blocks cohorts/text.py treats as Chinese (U+3400–U+4DBF,
U+4E00–U+9FFF, U+F900–U+FAFF) that pypinyin reads.
"""

import sys
from pathlib import Path

import psycopg2
from pypinyin import Style, lazy_pinyin

BLOCKS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
OUTPUT = Path(__file__).with_name("icu_pinyin_order.txt")


def readable_characters() -> list[str]:
    chars = [chr(code) for first, last in BLOCKS for code in range(first, last + 1)]
    return [char for char in chars if lazy_pinyin(char, style=Style.TONE3, errors="ignore")]


def icu_order(dsn: str, chars: list[str]) -> str:
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT collversion FROM pg_collation WHERE collname = 'zh-x-icu'),"
            ' string_agg(c, \'\' ORDER BY c COLLATE "zh-x-icu", c COLLATE "C")'
            " FROM unnest(%s::text[]) AS c",
            [chars],
        )
        version, order = cursor.fetchone()
    print(f"zh-x-icu collation version {version}: {len(order)} characters", file=sys.stderr)
    return order


if __name__ == "__main__":
    OUTPUT.write_text(icu_order(sys.argv[1], readable_characters()) + "\n", encoding="utf-8")

"""Substring searches that PostgreSQL's indexes answer, whatever the word's length.

Django's icontains is `UPPER(col::text) LIKE UPPER('%word%')`, which a trigram index answers from
three characters on. A shorter word (王浩, 李娜: half of Chinese names have two characters) gives
it no trigram to look up, and PostgreSQL would read the whole table. `contains_text` then adds
a condition that an index of the column's characters answers: the value holds each character of
the word (`string_to_array(UPPER(col::text), NULL) @> string_to_array(UPPER('王浩'), NULL)`,
one element per character). Every value that contains the word holds its characters; strpos, the
same test as icontains's LIKE with the word's % and _ escaped, then rechecks the few rows found,
so the results are exactly icontains's. (Not the LIKE itself: the trigram index would offer to
answer it, and PostgreSQL, misled by its estimate, reads the whole of that index for 王.)

`chars_index` writes the index for a migration; the indexed expression is exactly the one the
lookup emits. Other databases (SQLite, the embedded default) run the plain icontains.
"""

from django.db.models import F, Q
from django.db.models.lookups import IContains

# A trigram index answers words of this many characters or more.
TRIGRAM = 3


def contains_text(field: str, word: str) -> Q:
    """Rows whose `field` contains `word`, ignoring case: icontains, as the indexes answer it."""
    if len(word) >= TRIGRAM:
        return Q(**{f"{field}__icontains": word})
    return Q(IContainsByChars(F(field), word))


class IContainsByChars(IContains):
    """icontains; on PostgreSQL the characters' index, then strpos for the substring itself."""

    def as_postgresql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)  # UPPER(col::text)
        chars = f"string_to_array({column}, NULL) @> string_to_array(UPPER(%s), NULL)"
        return (
            f"({chars} AND strpos({column}, UPPER(%s)) > 0)",
            (*params, self.rhs, *params, self.rhs),
        )


def chars_index(table: str, column: str) -> tuple[str, str]:
    """The SQL creating and dropping the index `contains_text` uses on PostgreSQL."""
    name = f"{table}_{column}_chars"
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
        f"USING gin ((string_to_array(UPPER({column}::text), NULL)))",
        f"DROP INDEX IF EXISTS {name}",
    )

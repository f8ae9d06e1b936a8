"""Substring searches that PostgreSQL's indexes answer, whatever the word's length.

Django's icontains is `UPPER(col::text) LIKE UPPER('%word%')`, which a trigram index answers from
three characters on. A shorter word (王浩, 李娜: half of Chinese names have two characters) gives
it no trigram to look up, and PostgreSQL would read the whole table. `contains_text` then adds
a condition that an index of the column's characters answers: the value holds each character of
the word (`string_to_array(UPPER(col::text), NULL) @> string_to_array(UPPER('王浩'), NULL)`,
one element per character). Every value that contains the word holds its characters, so the
results are exactly icontains's: the LIKE, kept beside it, rechecks the few rows found.

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
    """icontains, narrowed on PostgreSQL by the index of the column's characters."""

    def as_postgresql(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        column, column_params = self.process_lhs(compiler, connection)  # UPPER(col::text)
        chars = f"string_to_array({column}, NULL) @> string_to_array(UPPER(%s), NULL)"
        return f"({chars} AND {sql})", (*column_params, self.rhs, *params)


def chars_index(table: str, column: str) -> tuple[str, str]:
    """The SQL creating and dropping the index `contains_text` uses on PostgreSQL."""
    name = f"{table}_{column}_chars"
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
        f"USING gin ((string_to_array(UPPER({column}::text), NULL)))",
        f"DROP INDEX IF EXISTS {name}",
    )

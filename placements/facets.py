"""The values the lists offer as choices for group, district and political status.

For a team lead they are the DISTINCT values of their batch's few placements. For staff they
are the values of the whole archive, where SELECT DISTINCT would read 200,000 rows on every
page view: instead each column's index is walked value to value (a "loose index scan", written
as a recursive query since neither PostgreSQL nor SQLite does it on its own), a few dozen index
probes whatever the size, all three columns in one query.
"""

from django.db import connection

from cohorts.models import Cadre

from .models import Placement

# (table, column) of each facet, each with an index (Placement.Meta, Cadre.Meta).
FACETS = {
    "group": (Placement, "group"),
    "district": (Placement, "district"),
    "political_status": (Cadre, "political_status"),
}


def walk(columns: list[tuple]) -> list[set[str]]:
    """The distinct non-blank values of each (model, column), each column walked along its
    index, all in one query."""
    quote = connection.ops.quote_name
    walks, selects = [], []
    for i, (model, column) in enumerate(columns):
        table, col = quote(model._meta.db_table), quote(column)
        walks.append(
            f"w{i}(v) AS (SELECT MIN({col}) FROM {table} WHERE {col} > '' "
            f"UNION ALL SELECT (SELECT MIN({col}) FROM {table} WHERE {col} > w{i}.v) "
            f"FROM w{i} WHERE w{i}.v IS NOT NULL)"
        )
        selects.append(f"SELECT {i}, v FROM w{i} WHERE v IS NOT NULL")
    found = [set() for _ in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH RECURSIVE {', '.join(walks)} {' UNION ALL '.join(selects)}")
        for i, value in cursor.fetchall():
            found[i].add(value)
    return found


def all_values() -> dict[str, set[str]]:
    """{facet: its values in the whole archive}, blanks left out."""
    return dict(zip(FACETS, walk(list(FACETS.values())), strict=True))


def values_of(placements) -> dict[str, set[str]]:
    """{facet: its values among `placements`}, blanks left out: one DISTINCT query."""
    rows = placements.order_by().values_list("group", "district", "cadre__political_status")
    columns = list(zip(*rows.distinct(), strict=True)) or [(), (), ()]
    return {name: set(column) - {""} for name, column in zip(FACETS, columns, strict=True)}

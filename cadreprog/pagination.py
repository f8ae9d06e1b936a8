"""Counting and paging the admin's lists of tables that grow for years."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap, and an exact figure is what people expect.
ESTIMATE_ABOVE = 50_000


def table_count(model, using: str) -> int:
    """The rows of a whole table: PostgreSQL's estimate (kept by ANALYZE and autovacuum) for a
    large table, else an exact count; one query either way, whatever the size."""
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN reltuples > %s THEN reltuples::bigint "
            f"ELSE (SELECT COUNT(*) FROM {table}) END FROM pg_class WHERE oid = %s::regclass",
            [ESTIMATE_ABOVE, model._meta.db_table],
        )
        return cursor.fetchone()[0]


class EstimatedCountPaginator(Paginator):
    """The planner's estimate for the unfiltered list of a large PostgreSQL table.

    PostgreSQL keeps no row count, so count(*) reads the whole table, on every page of the list.
    Filtered and searched lists, small tables and SQLite are counted exactly.
    """

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if (
            query is not None
            and not query.where
            and connections[queryset.db].vendor == "postgresql"
        ):
            return table_count(queryset.model, queryset.db)
        return super().count


class LargeTableAdmin:
    """A ModelAdmin mixin for lists that grow for years: one count per page, estimated above;
    50 rows a page."""

    paginator = EstimatedCountPaginator
    # Rendering a row costs more than fetching it: most of a list's time at 100 rows a page.
    list_per_page = 50
    # Django's admin otherwise counts the whole table a second time, for "N total".
    show_full_result_count = False

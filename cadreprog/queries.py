"""Query building blocks for tables that grow for years."""

from django.db.models import IntegerField, Subquery


class SubqueryCount(Subquery):
    """COUNT(*) of a queryset correlated with OuterRef, e.g. a batch's placements.

    A JOIN + GROUP BY counts for every row of the table before a page is cut, and drags the join
    into the page's count(); a subquery in the SELECT list is computed for the rows shown only.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by(), **extra)

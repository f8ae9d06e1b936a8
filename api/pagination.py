"""Cursor pagination for every list: a page is stable while rows are added or changed (no
offsets), and as cheap on the 2,000th page as on the first. Ordered by id unless a view says
otherwise; ?page_size= up to MAX_PAGE_SIZE."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from cohorts.text import whole_number

MAX_PAGE_SIZE = 500


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "id"

    def decode_cursor(self, request):
        """REST framework's, refusing a position that is no id (a cursor made by hand): the
        query would fail on it."""
        cursor = super().decode_cursor(request)
        if cursor and cursor.position is not None and whole_number(cursor.position) is None:
            raise NotFound(self.invalid_cursor_message)
        return cursor

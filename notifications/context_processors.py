"""The bell's count on every page (templates/base.html, templates/admin/base_site.html).

Lazy: the query runs only when a page shows the bell, so a file download, a JSON answer or an
anonymous visitor costs nothing; a page that shows it costs one indexed COUNT (capped at 100).
"""

from django.utils.functional import SimpleLazyObject

from .services import UNREAD_SHOWN, unread_count


class UnreadCount:
    """What the bell shows: `count`, and `shown` (12, or 99+ beyond UNREAD_SHOWN)."""

    def __init__(self, user):
        self.count = unread_count(user)
        self.shown = f"{UNREAD_SHOWN}+" if self.count > UNREAD_SHOWN else str(self.count)

    def __bool__(self):
        return self.count > 0


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: UnreadCount(user))}

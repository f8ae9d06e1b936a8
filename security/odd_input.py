"""Requests carrying input no page can mean are refused with a 400, here, before any view.

PostgreSQL refuses NUL in text, SQLite a LIKE pattern over 50,000 bytes, django-axes a user
name over 255 characters; each used to surface as a 500 wherever a value reached the database
unchecked. Rather than guard every view, this middleware (early in settings.MIDDLEWARE, after
the language is chosen so that the page is in the user's language) refuses:

- a path, query-string key or value, or urlencoded form field (key or value) holding a control
  character: C0 (NUL included) or DEL. Tab, line feed and carriage return are whitespace a
  textarea or a search pasted from a spreadsheet may carry, and pass;
- a query string that is not UTF-8 once %-decoded (no page of ours makes one; Django would read
  it with replacement characters and search for them);
- a query-string key or value longer than MAX_QUERY_VALUE characters (a search, a filter or a
  link back is a few dozen; the longest, `next` or the admin's `_changelist_filters` holding a
  whole filtered link, stays far below);
- a login whose user name is longer than the user model allows (150): it cannot be anyone's.

Multipart bodies (file uploads) are not read here, except the login's: reading them would parse
an upload before its view, its upload handlers and limits. Their text fields go through forms,
whose CharFields refuse NUL (Django's ProhibitNullCharactersValidator); tests/site/test_odd_input.py
sends every form back with NUL in each field to hold that.
"""

import logging
import re
from urllib.parse import unquote_to_bytes

from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_QUERY_VALUE = 2000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
URLENCODED = "application/x-www-form-urlencoded"
API_PATH = "/api/"


class OddInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = self.refusal(request)
        if reason:
            logger.warning("Refused a request to %s: %s", request.path[:200], reason)
            if request.path_info.startswith(API_PATH):  # the API answers in JSON (issue 19)
                return JsonResponse({"detail": reason}, status=400)
            page = loader.render_to_string("400.html", {"reason": reason})
            return HttpResponseBadRequest(page)
        return self.get_response(request)

    def refusal(self, request) -> str:
        """Why the request is refused, in the user's language; "" when it is not."""
        if CONTROL.search(request.path_info):
            return _("The address holds a control character.")
        raw = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
        try:
            unquote_to_bytes(raw).decode()
        except UnicodeDecodeError:
            return _("The address holds characters that are not UTF-8.")
        for key, values in request.GET.lists():
            if any(CONTROL.search(text) for text in (key, *values)):
                return _("The address holds a control character.")
            if any(len(text) > MAX_QUERY_VALUE for text in (key, *values)):
                return _("The address holds a value longer than %(limit)d characters.") % {
                    "limit": MAX_QUERY_VALUE
                }
        if request.method != "POST":
            return ""
        login = request.path_info in login_paths()
        if request.content_type == URLENCODED or login:
            for key, values in request.POST.lists():
                if any(CONTROL.search(text) for text in (key, *values)):
                    return _("The form holds a control character.")
        if login and len(request.POST.get("username", "")) > username_max_length():
            return _("No user name is that long.")
        return ""


def login_paths() -> set[str]:
    return {reverse("login"), reverse("admin:login")}


def username_max_length() -> int:
    user = get_user_model()
    return user._meta.get_field(user.USERNAME_FIELD).max_length

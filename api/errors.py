"""Errors as JSON in the user's language (Chinese unless they chose English), never a traceback.

Every error answers {"detail": "<one sentence>"}; a refused input adds "fields": {"<field>":
["<message>", …]}, and its "detail" names each field with its message, so that a log line of the
caller's says what to fix. Nested fields are named with dots (cadre.name), items of a list with
their index (placements.3). An unexpected exception is logged with its traceback and answered
500 with a plain sentence.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not yours to see."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):  # too many fields or too large, as Django parses it
        exc = exceptions.ParseError(_("The request is too large or has too many fields."))
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("API error", exc_info=exc)
        return Response(
            {"detail": _("The server could not do this; the error has been logged.")},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = invalid(exc.detail)
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


@csrf_exempt  # it changes nothing: a PATCH with a token gets the 404, not a CSRF page
def not_found(request, rest=""):
    """Any other path under /api/ (an id such as 0.5 that no route takes, a mistyped name):
    the API's 404 in JSON, for every method, whoever asks."""
    return JsonResponse(
        {"detail": _("Not found, or not yours to see.")}, status=status.HTTP_404_NOT_FOUND
    )


def invalid(detail) -> dict:
    """{"detail", "fields"} of a ValidationError's detail (a dict, a list or a message)."""
    fields: dict[str, list[str]] = {}
    _collect(detail, "", fields)
    general = fields.pop("non_field_errors", []) + fields.pop("", [])
    named = [f"{name}：{'；'.join(messages)}" for name, messages in fields.items()]
    body = {"detail": "；".join([*general, *named]) or _("The request is not valid.")}
    if fields:
        body["fields"] = fields
    if general:
        body["errors"] = general
    return body


def _collect(detail, name: str, into: dict) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            _collect(value, f"{name}.{key}" if name else str(key), into)
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, value in enumerate(detail):
            if value:
                _collect(value, f"{name}.{index}" if name else str(index), into)
    elif isinstance(detail, list):
        into.setdefault(name, []).extend(str(item) for item in detail)
    else:
        into.setdefault(name, []).append(str(detail))

"""API errors: every refusal answers JSON with a clear, translated message.

- a Django `ValidationError` (model `full_clean`, a service) becomes a 400 with field errors;
- a stale `version` (`ConcurrentEditError`) becomes a 409 with the current values;
- `Conflict` (a protected deletion) is a 409.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from dpti.core.models import ConcurrentEditError


class Conflict(exceptions.APIException):
    """The request cannot be done in the current state of the data (HTTP 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state of the data.")
    default_code = "conflict"


def validation_detail(error):
    """The {field: [messages]} of a Django ValidationError, non-field errors under DRF's key."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    detail = error.message_dict
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def conflict_response(error, context):
    """409 for a stale edit: what changed meanwhile and the object as it is now."""
    current = error.current
    message = _(
        "This record was changed by %(user)s since you read it (version %(version)s is now "
        "stored). Your changes have not been saved: read the current values, then send your "
        "changes again with the current version."
    ) % {
        "user": getattr(current, "updated_by", None) or _("another user"),
        "version": current.version,
    }
    data = {
        "detail": message,
        "current_version": current.version,
        "differences": [
            {"field": field, "current": stored, "submitted": submitted}
            for field, stored, submitted in error.differences
        ],
    }
    view = context.get("view")
    if view is not None and hasattr(view, "get_serializer"):
        data["current"] = view.get_serializer(current).data
    return Response(data, status=status.HTTP_409_CONFLICT)


def exception_handler(exc, context):
    """DRF's handler, extended with the model and service errors of the core."""
    if isinstance(exc, ConcurrentEditError):
        return conflict_response(exc, context)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    return drf_exception_handler(exc, context)

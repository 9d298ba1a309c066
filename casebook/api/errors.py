"""Every API error is JSON with field-level detail: never an HTML page or a stack trace."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict
from core.versions import Stale


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Rules checked by the services arrive as Django's ValidationError.
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    if isinstance(exc, PermissionDenied) and exc.args:
        # A service's refusal says why; DRF would replace it with its generic sentence.
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Stale):
        # The record's ETag now goes with it, for a client that re-reads and decides again.
        response = Response({"detail": str(exc)}, status=status.HTTP_412_PRECONDITION_FAILED)
        response["ETag"] = f'"{exc.current}"'
        return response
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": "The request body is too large."}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        return Response({"detail": "The request was malformed."}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = field_errors(response.data)
    return response


def field_errors(errors):
    """A 400's body as the schema documents it (casebook.api.schema.FIELD_ERRORS): an object
    from field to its messages, never a bare list (a list's serializer answers one), and a
    list of records' errors keyed by index (the records without any left out)."""
    errors = _keyed(errors)
    return {"non_field_errors": errors} if isinstance(errors, list) else errors


def _keyed(value):
    if isinstance(value, dict):
        return {key: _keyed(item) for key, item in value.items()}
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        return {str(n): _keyed(item) for n, item in enumerate(value) if item}
    return value

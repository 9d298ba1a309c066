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
    return drf_exception_handler(exc, context)

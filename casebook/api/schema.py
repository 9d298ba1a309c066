"""The OpenAPI schema documents the error answers every endpoint can give, so that clients
(and the contract tests) know a 404 or a 409 is part of the API, not an accident."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


FIELD_ERRORS = {
    "type": "object",
    "description": "Field name (or non_field_errors) to the list of what is wrong with it. A field "
    "holding a list or an object has its items' errors nested in the same way, keyed by index or name. "
    "A body that could not be read at all (not JSON, nested too deep) is answered with `detail` alone.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}],
    },
}


IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the record as the client read it: the change is made only if it is still "
    "current (412 if not). Required to change who may see a case (428 without).",
)


class CasebookAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        return [*parameters, IF_MATCH] if self.method in ("PUT", "PATCH") else parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {"400": FIELD_ERRORS, "401": ErrorSerializer, "403": ErrorSerializer, "404": ErrorSerializer}
        if self.method != "GET":
            errors.update({"409": ErrorSerializer, "413": ErrorSerializer, "415": ErrorSerializer})
        if self.method in ("PUT", "PATCH"):
            # An edit on an older copy (If-Match, core.versions); one needing If-Match without it.
            errors.update({"412": ErrorSerializer, "428": ErrorSerializer})
        for code, body in errors.items():
            responses.setdefault(code, self._get_response_for_code(body, code, direction=direction))
        return responses

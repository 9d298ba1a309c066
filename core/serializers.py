"""What the API's input serializers share: a request is taken as it is written or refused,
field by field; never silently trimmed or coerced."""

from collections.abc import Mapping

from rest_framework import serializers


class StrictInput:
    """Mixed in before a DRF serializer that reads a request body. Refuses, each beside its
    name, a field the serializer does not have and one it only shows (DRF would drop both
    unseen), text given as a number and an id given as anything but a whole number (DRF
    would turn `123` into "123" and `1.5` into record 1)."""

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, Mapping):
            for name, value in data.items():
                field = self.fields.get(name)
                if field is None:
                    errors[name] = ["There is no such field here."]
                elif field.read_only:
                    errors[name] = ["This field is read-only."]
                elif value is not None and not _typed(field, value):
                    errors[name] = [
                        "Give text here, in quotes." if _is_text(field) else "Give the record's id: a whole number."
                    ]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Everything wrong is said at once; where both speak of a field, ours is the clearer.
            raise serializers.ValidationError({**exc.detail, **errors}) from None
        if errors:
            raise serializers.ValidationError(errors)
        return value


def _is_text(field) -> bool:
    return isinstance(field, serializers.CharField)


def _typed(field, value) -> bool:
    if _is_text(field):
        return isinstance(value, str)
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        # A whole number, or its digits (the pages post their forms' values as text).
        whole = isinstance(value, int) and not isinstance(value, bool)
        return whole or (isinstance(value, str) and value.isdecimal())
    return True

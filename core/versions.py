"""Optimistic concurrency. A record's version is a digest of what its editors see of it (a
snapshot of plain values), so an edit made on an older copy is refused rather than
silently undoing someone else's change. The API carries the version as an ETag and honours
If-Match; a form carries the snapshot its editor saw, signed, so that a refusal can show
what changed meanwhile."""

import hashlib
import json

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from rest_framework import status
from rest_framework.exceptions import APIException

SALT = "casebook.versions"


class Stale(Exception):
    """An edit made on a version of the record that is no longer its current one."""

    def __init__(self, current: str):
        super().__init__("Someone else changed this record after you read it; nothing was saved.")
        self.current = current


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "This change needs an If-Match header with the record's ETag (from a GET of it)."
    default_code = "precondition_required"


def plain(snapshot: dict) -> dict:
    """The snapshot as JSON gives it back (dates as text), so that two copies compare equal."""
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def version_of(snapshot: dict) -> str:
    text = json.dumps(plain(snapshot), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def check(snapshot: dict, expected: str | None) -> None:
    """Refuse the edit (Stale) unless `expected` is the version of `snapshot`, the record as
    it is now; None (the editor named no version) checks nothing."""
    if expected is not None and expected != version_of(snapshot):
        raise Stale(version_of(snapshot))


# The API --------------------------------------------------------------------------------


def etag(snapshot: dict) -> str:
    return f'"{version_of(snapshot)}"'


def if_match(request, *, required: bool = False) -> str | None:
    """The version the request's If-Match names; None without one, unless `required`
    (428). A list or "*" names no one version: it checks nothing."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired
        return None
    if header == "*" or "," in header:
        if required:  # names no one version, so it cannot stand for having read this one
            raise PreconditionRequired
        return None
    return header.removeprefix("W/").strip('"')


# Forms ----------------------------------------------------------------------------------


class SeenField(forms.CharField):
    """The hidden field in which an edit form carries the record as its editor saw it,
    signed. It is required: an edit that does not say what it was made on could undo a
    change its editor never saw (an access list, above all). Cleaned, it is the snapshot."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": "This form does not say which version of the record it edits; open the page again.",
        "altered": "This form was altered after it was sent; open the page again.",
    }

    def clean(self, value):
        value = super().clean(value)
        try:
            return signing.loads(value, salt=SALT)
        except signing.BadSignature:
            raise ValidationError(self.error_messages["altered"], code="altered") from None


def seen_field(snapshot: dict) -> SeenField:
    return SeenField(initial=sign(snapshot))


def sign(snapshot: dict) -> str:
    return signing.dumps(plain(snapshot), salt=SALT, compress=True)


def seen(form: forms.Form) -> dict:
    """The snapshot a valid bound edit form says its editor saw."""
    return form.cleaned_data["seen"]


def seen_version(form: forms.Form) -> str | None:
    """The version an edit form was made on; None for a form that edits nothing yet."""
    return version_of(seen(form)) if "seen" in form.fields else None

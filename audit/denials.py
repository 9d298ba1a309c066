"""Refusals on the record: a denied access is an audit entry, and so is a 404 that hides a
record which exists from someone who may not see it."""

from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent
from core.addresses import client_ip

# Denials on the record per person a minute (anonymous ones per address); past that, one
# entry says the rest were not recorded, so that nobody can grow the log without bound by
# provoking refusals. The refusals themselves are answered as ever.
DENIALS_PER_MINUTE = 30


def record_denial(request, view_name: str | None = None) -> None:
    """`view_name` is the URL name the request reached: its own, unless given."""
    recent = _recent(request)
    if recent.filter(action="access.denied").count() >= DENIALS_PER_MINUTE:
        if recent.filter(action="access.denials_throttled").exists():
            return
        audit.record(
            "access.denials_throttled",
            actor=request.user,
            object_repr=f"more than {DENIALS_PER_MINUTE} denials in a minute",
            after={"limit": DENIALS_PER_MINUTE, "address": client_ip(request)},
        )
        return
    if view_name is None:
        view_name = request.resolver_match.view_name if request.resolver_match else ""
    audit.record(
        "access.denied",
        actor=request.user,
        object_repr=f"{request.method} {request.path}"[:200],
        after={"view": view_name, "method": request.method, "path": request.path[:500], "address": client_ip(request)},
    )


def _recent(request) -> QuerySet:
    """The log's entries of the last minute by the requester (anonymous ones: from its address)."""
    recent = AuditEvent.objects.filter(at__gte=timezone.now() - timedelta(minutes=1))
    if request.user.is_authenticated:
        return recent.filter(actor_id=request.user.pk)
    return recent.filter(actor__isnull=True, after__address=client_ip(request))


def get_visible_or_404(request, visible: QuerySet, **lookup):
    """The one record of `visible` matching `lookup`, or 404. When the record exists but is
    hidden from this user, the 404 is a denied access and is logged as one."""
    try:
        return visible.get(**lookup)
    except visible.model.DoesNotExist:
        if visible.model._default_manager.filter(**lookup).exists():
            record_denial(request)
        raise Http404 from None


@contextmanager
def refusal_on_record(request):
    """A rule's refusal (PermissionDenied) raised inside is a denied access: on the record,
    then passed on to be answered 403."""
    try:
        yield
    except PermissionDenied:
        record_denial(request)
        raise

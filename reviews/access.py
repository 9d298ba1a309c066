from django.core.exceptions import PermissionDenied

from audit.denials import record_denial


def refuse_if_recused(request, case, *, closed: str) -> None:
    """Someone recused from a case takes no part in it and reads none of its deliberation:
    403, logged as a denied access."""
    if case.is_recused(request.user):
        record_denial(request)
        raise PermissionDenied(f"You are recused from {case.docket}: {closed} closed to you.")

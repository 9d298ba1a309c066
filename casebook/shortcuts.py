"""Finding the case a request is about, as every page and endpoint must: one the reader may
see, or a 404 (logged as a denied access when the case exists), and oversight's read of a
restricted case on the record."""

from audit.denials import get_visible_or_404
from casebook.models import Case
from casebook.services import case_record_read


def get_case_or_404(request, pk, *, queryset=None, reading: bool = True) -> Case:
    """`reading` is false for a step taken on the case (an assignment, an opinion's form),
    which reads none of it: those are not reads for the record."""
    cases = queryset if queryset is not None else Case.objects.select_related("partner", "filed_by")
    case = get_visible_or_404(request, cases.visible_to(request.user), pk=pk)
    if reading:
        case_record_read(case=case, by=request.user)
    return case

"""Need-to-know: who may see a case. This is the one definition; every other form of the
rule is built from the functions here, and tests/casebook/test_visibility_contract.py runs
every form over the same people and cases to prove they agree.

The rule:

- Someone signed out, deactivated or without a role sees no case at all.
- Oversight sees every case, drafts and restricted cases included.
- Everyone else with a role sees every case open to all (not restricted, and submitted to
  the board: a draft never was, even once withdrawn), and besides those only the cases they
  are involved in: the ones they filed, the
  ones whose access list names them and the ones they are assigned to. A recusal ends
  someone's part in a case but not their knowledge of it, so it counts as involvement.

The forms built from it:

- the ORM filter: need_to_know (a Q, also across relations, asking for the involved
  cases or given them), behind Case.objects.visible_to and the other querysets'
  visible_to (casebook.models);
- the clause inside the search engine's queries: Scope.for_user (precedent.search.scope),
  which admits the entries indexed as open to all and those of the involved cases;
- the in-process mask: arrays.visible (precedent.search.arrays), over the same flag
  computed for each loaded case;
- the stored flag: SearchEntry.open_to_all, written from Case.is_open_to_all
  (precedent.search.documents).

Nothing here imports the models when the module loads, so that casebook.models can import
it: the functions that need a queryset import them when called."""

from collections.abc import Collection

from django.db.models import Q

from core.roles import Role


def sees_nothing(user) -> bool:
    """Signed out, deactivated (a deactivated user has no roles) or without a role."""
    return not user.is_authenticated or not user.roles


def sees_everything(user) -> bool:
    return not sees_nothing(user) and user.has_role(Role.OVERSIGHT)


def is_open_to_all(*, restricted: bool, submitted: bool) -> bool:
    """Whether every role may see a case with these facts, without being involved in it. A
    case is submitted once it has been put to the board (it has a docket number then): a
    draft its filer withdrew before submitting it stays theirs."""
    return not restricted and submitted


def involved_case_ids(user):
    """The ids of the cases `user` is involved in (filed, on the access list of, assigned
    to), as one query. One indexed lookup of each list, joined by UNION: joining every case
    to its lists and testing the three alternatives row by row reads the whole table."""
    from casebook.models import Assignment, Case

    return (
        Case.objects.filter(filed_by=user)
        .order_by()
        .values("pk")
        .union(
            Case.access_list.through.objects.filter(user=user).order_by().values("case_id"),
            Assignment.objects.filter(person=user).order_by().values("case_id"),
        )
    )


def need_to_know(user, *, via: str = "", involved: Collection[int] | None = None) -> Q:
    """The rule as a condition on a case, or on the case a relation leads to (`via`, say
    "citing__case"). As a condition on the row itself it costs an index lookup per row,
    where `case__in=Case.objects.visible_to(user)` would first list every visible case.
    A caller that has just read the user's `involved` case ids (involved_ids) passes them,
    and the condition names them instead of asking for them again: a few ids are cheaper
    for the database to test, and for Django to write, than the three lists' union."""
    from casebook.models import Case

    if sees_nothing(user):
        return Q(pk__in=[])
    if sees_everything(user):
        return Q()
    prefix = f"{via}__" if via else ""
    # is_open_to_all, as a condition the database tests (the contract test holds them equal).
    open_to_all = Q(**{f"{prefix}restricted": False, f"{prefix}submitted_at__isnull": False})
    if involved is None:
        involved = Case.objects.involving(user).values("pk")
    return open_to_all | Q(**{f"{via}__in" if via else "pk__in": involved})


def involved_ids(user) -> list[int]:
    """involved_case_ids, read (none for someone who sees nothing)."""
    if sees_nothing(user):
        return []
    return list(involved_case_ids(user).values_list("pk", flat=True))


def audited_cases(user):
    """The cases whose audit entries `user` may read; None for every case, deleted ones too."""
    from casebook.models import Case

    return None if sees_everything(user) else Case.objects.visible_to(user)


def audited_conditions(user):
    """The conditions (of decisions) whose audit entries `user` may read; None for all."""
    from casebook.models import Condition

    return None if sees_everything(user) else Condition.objects.filter(need_to_know(user, via="decision__case"))

"""Accounts and roles: the workflows every entry point (admin, commands, demo data) shares."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from casebook import audit
from casebook.models import User
from casebook.roles import Role


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role], by: User | None) -> None:
    wanted = sorted({Role(r) for r in roles})
    before = sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    after = [r.value for r in wanted]
    if before == after:
        return
    # Only the role groups change; any other group the user is in stays.
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name__in=after))
    user.groups.add(*Group.objects.filter(name__in=after))
    # Admins manage users through the admin site, which needs is_staff.
    is_staff = Role.ADMIN in wanted
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("roles", None)
    audit.record("user.roles_changed", actor=by, obj=user, before={"roles": before}, after={"roles": after})


ACCOUNT_FIELDS = ["username", "first_name", "last_name", "email", "is_active"]


def user_record_saved(*, user: User, by: User | None, before: dict | None) -> None:
    """Audit a new account (no `before`) or the changed fields of an existing one. Callers
    that save a user themselves (the admin site) call this in the same transaction."""
    after = {field: getattr(user, field) for field in ACCOUNT_FIELDS}
    if before is None:
        audit.record("user.created", actor=by, obj=user, after=after)
        return
    changed = [field for field in ACCOUNT_FIELDS if before.get(field) != after[field]]
    if changed:
        audit.record(
            "user.changed",
            actor=by,
            obj=user,
            before={f: before.get(f) for f in changed},
            after={f: after[f] for f in changed},
        )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    roles: Iterable[Role],
    by: User | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    check_password: bool = True,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"A user named {username!r} already exists."})
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.full_clean(exclude=["password"])
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    user_record_saved(user=user, by=by, before=None)
    user_set_roles(user=user, roles=roles, by=by)
    return user

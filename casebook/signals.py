from django.contrib.auth.models import Group, Permission

from casebook import audit
from casebook.roles import GROUP_PERMISSIONS, Role


def create_role_groups(**kwargs):
    """Every role is a group; made after each migrate so a new database has them all."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in GROUP_PERMISSIONS.get(role, []):
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def record_sign_in(sender, request, user, **kwargs):
    audit.record("auth.signed_in", actor=user, obj=user)


def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.signed_out", actor=user, obj=user)


def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    # Only the username: the password, right or wrong, never reaches the log.
    username = str(credentials.get("username", ""))[:150]
    audit.record("auth.sign_in_failed", actor=None, object_repr=username, after={"username": username})

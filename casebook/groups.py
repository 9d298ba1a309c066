"""The role groups and the Django permissions each holds."""

from django.contrib.auth.models import Group, Permission

from core.roles import Role

# Django model permissions each role's group holds. What a role may do in Casebook's own
# pages and API is decided by the access map in casebook/access.py; these say the same for
# the admin site, and let other Django code ask `user.has_perm`.
READ_FRAMEWORK = ["principles.view_provision", "principles.view_revision", "principles.view_provisiontext"]
GROUP_PERMISSIONS = {
    Role.REVIEWER: READ_FRAMEWORK,
    Role.DECISION_MAKER: READ_FRAMEWORK,
    Role.LEGAL: READ_FRAMEWORK,
    Role.ADMIN: [
        *READ_FRAMEWORK,
        "principles.add_revision",
        "principles.change_revision",
        "principles.add_provisiontext",
        "principles.change_provisiontext",
        "principles.add_provision",
        "casebook.view_user",
        "casebook.add_user",
        "casebook.change_user",
        "auth.view_group",
        "audit.view_auditevent",
        "knox.view_authtoken",
        "knox.delete_authtoken",
    ],
    Role.OVERSIGHT: [*READ_FRAMEWORK, "casebook.view_user", "audit.view_auditevent"],
}


def create_role_groups(**kwargs):
    """Every role is a group; made after each migrate so a new database has them all."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in GROUP_PERMISSIONS.get(role, []):
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)

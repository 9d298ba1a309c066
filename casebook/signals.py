from django.contrib.auth.models import Group, Permission

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

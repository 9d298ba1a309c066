from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasebookConfig(AppConfig):
    name = "casebook"
    verbose_name = "Casebook"

    def ready(self):
        from casebook.signals import create_role_groups

        # Not limited to this app's signal: the groups need permissions of apps migrated later.
        post_migrate.connect(create_role_groups, dispatch_uid="casebook.create_role_groups")

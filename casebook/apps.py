from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_migrate


class CasebookConfig(AppConfig):
    name = "casebook"
    verbose_name = "Casebook"

    def ready(self):
        from audit import readers
        from casebook import groups, signals
        from casebook.visibility import audited_cases, audited_conditions

        # Not limited to this app's signal: the groups need permissions of apps migrated later.
        post_migrate.connect(groups.create_role_groups, dispatch_uid="casebook.create_role_groups")
        user_logged_in.connect(signals.record_sign_in, dispatch_uid="casebook.record_sign_in")
        user_logged_out.connect(signals.record_sign_out, dispatch_uid="casebook.record_sign_out")
        user_login_failed.connect(signals.record_failed_sign_in, dispatch_uid="casebook.record_failed_sign_in")
        # Entries about a case, or a condition of its decision, are for those who may see it.
        readers.limit("casebook.case", audited_cases)
        readers.limit("casebook.condition", audited_conditions)


class CasebookAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, on Casebook's site (casebook.admin_site)."""

    default = False  # CasebookConfig is this module's app; this one is named in settings
    default_site = "casebook.admin_site.CasebookAdminSite"

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_migrate


class CasebookConfig(AppConfig):
    name = "casebook"
    verbose_name = "Casebook"

    def ready(self):
        from audit import readers
        from casebook import groups, signals
        from casebook.models import Case

        # Not limited to this app's signal: the groups need permissions of apps migrated later.
        post_migrate.connect(groups.create_role_groups, dispatch_uid="casebook.create_role_groups")
        user_logged_in.connect(signals.record_sign_in, dispatch_uid="casebook.record_sign_in")
        user_logged_out.connect(signals.record_sign_out, dispatch_uid="casebook.record_sign_out")
        user_login_failed.connect(signals.record_failed_sign_in, dispatch_uid="casebook.record_failed_sign_in")
        # Entries about a case are for those who may see it (oversight sees every case).
        readers.hide("casebook.case", lambda user: Case.objects.exclude(pk__in=Case.objects.visible_to(user)))

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    """Records written once and never changed or removed through the ORM: audit events and
    issued decisions."""

    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.verbose_name_plural.capitalize()} are never changed.")

    def delete(self):
        raise PermissionError(f"{self.model._meta.verbose_name_plural.capitalize()} are never deleted.")

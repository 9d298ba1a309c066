"""Django admin's site, as Casebook's admins use it: the same, but that changing one's own
password goes on the audit record as changing anyone else's does (casebook.admin)."""

from django.contrib import admin

from audit import log as audit


class CasebookAdminSite(admin.AdminSite):
    def password_change(self, request, extra_context=None):
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            audit.record("user.password_set", actor=request.user, obj=request.user)
        return response

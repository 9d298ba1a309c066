from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from knox import admin as knox_admin  # registered first, so that it can be replaced below
from knox.models import AuthToken

from audit import log as audit
from casebook.models import Decision, User
from casebook.services import ACCOUNT_FIELDS, user_record_saved, user_set_roles
from casebook.tokens import tokens_revoke
from core.admin import ReadOnlyAdmin
from core.roles import Role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Admins manage accounts here. Roles are the groups; changes to them are audited."""

    list_display = ["username", "first_name", "last_name", "email", "is_active", "role_list"]
    list_filter = ["is_active", "groups"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email"]}),
        ("Access", {"fields": ["is_active", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description="Roles")
    def role_list(self, user):
        return ", ".join(sorted(role.label for role in user.roles))

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit log and decisions keep naming the person

    def get_queryset(self, request):
        # An admin who is not a superuser cannot touch a superuser's account (or password).
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def save_model(self, request, obj, form, change):
        before = {field: form.initial.get(field) for field in ACCOUNT_FIELDS} if change else None
        super().save_model(request, obj, form, change)
        user_record_saved(user=obj, by=request.user, before=before)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit.record("user.password_set", actor=request.user, obj=user)
        return response

    def save_related(self, request, form, formsets, change):
        roles = [Role(g.name) for g in form.cleaned_data.get("groups", []) if g.name in Role.values]
        # The roles go through the same function as every other entry point, which
        # audits the change and keeps is_staff in step with the admin role.
        form.cleaned_data["groups"] = form.instance.groups.all()
        super().save_related(request, form, formsets, change)
        user_set_roles(user=form.instance, roles=roles, by=request.user)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """A reconsideration issues a new decision in the app."""

    list_display = ["case", "outcome", "decided_by", "issued_at"]
    list_filter = ["outcome"]


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(knox_admin.AuthTokenAdmin):
    """Admins revoke API tokens here (deleting is revoking), each on the audit record."""

    list_display = ["user", "created", "expiry"]
    search_fields = ["user__username"]

    def has_add_permission(self, request, obj=None):
        return False  # tokens are issued by signing in to the API

    def delete_model(self, request, obj):
        tokens_revoke(user=obj.user, by=request.user, reason="revoked by an admin", token=obj)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            self.delete_model(request, token)

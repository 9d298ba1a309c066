"""Signing in and out, API tokens, sign-in throttling and creating users with roles."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from audit.models import AuditEvent
from casebook.models import User
from core.roles import Role
from tests.conftest import PASSWORD


def test_it_signs_a_user_in_and_out(reviewer):
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b"Sign in to Casebook" in page.content
    signed_in = client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert b"Welcome" in client.get("/").content
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_it_audits_signing_in_and_out_but_never_the_password(reviewer):
    client = Client()
    client.post("/accounts/login/", {"username": "reviewer", "password": "wrong-guess"})
    client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["auth.sign_in_failed", "auth.signed_in", "auth.signed_out"]
    assert not AuditEvent.objects.filter(after__icontains="wrong-guess").exists()


def test_it_says_when_the_password_is_wrong(reviewer):
    response = Client().post("/accounts/login/", {"username": "reviewer", "password": "wrong"})
    assert response.status_code == 200
    assert b"The username or password is not correct." in response.content
    assert b'value="reviewer"' in response.content


def test_it_returns_to_the_page_asked_for(reviewer, framework):
    client = Client()
    response = client.post(
        "/accounts/login/?next=/framework/", {"username": "reviewer", "password": PASSWORD, "next": "/framework/"}
    )
    assert response["Location"] == "/framework/"


def test_it_locks_out_a_username_and_address_after_five_failures(reviewer):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "reviewer", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    assert locked.status_code == 429 and b"is paused for 15 minutes" in locked.content
    # Another address is not locked out for the same user.
    elsewhere = Client(REMOTE_ADDR="10.9.9.9").post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    assert elsewhere.status_code == 302


def test_it_warns_when_few_attempts_are_left_before_the_lockout(reviewer):
    client = Client()
    wrong = {"username": "reviewer", "password": "wrong"}
    pages = [client.post("/accounts/login/", wrong).content.decode() for _ in range(4)]
    assert not any("lockout-warning" in page for page in pages[:2])
    assert "2 attempts left before signing in to this account from your address is paused for 15 minutes." in pages[2]
    assert "1 attempt left before signing in to this account" in pages[3]


def test_the_locked_out_page_says_when_to_try_again_and_leads_back(reviewer):
    from datetime import timedelta

    from django.utils import timezone

    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "reviewer", "password": "wrong"})
    before = timezone.now()
    locked = client.post("/accounts/login/", {"username": "reviewer", "password": "wrong"})
    after = timezone.now()
    assert locked.status_code == 429
    page = locked.content.decode()
    until = {(moment + timedelta(minutes=15)).strftime("%H:%M") for moment in (before, after)}
    assert any(f'try again after <strong data-testid="locked-until">{time} UTC</strong>' in page for time in until)
    assert "ask a Casebook administrator" in page
    assert 'href="/accounts/login/"' in page


def test_it_issues_api_tokens(reviewer):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "reviewer", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/me/").json()["roles"] == ["reviewer"]


def token_client(username="reviewer") -> APIClient:
    client = APIClient()
    issued = client.post("/api/auth/token/", {"username": username, "password": PASSWORD}, format="json").json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
    return client


def test_a_token_expires(reviewer, settings):
    from datetime import timedelta

    from django.utils import timezone
    from knox.models import AuthToken

    client = token_client()
    assert AuthToken.objects.get().expiry > timezone.now() + timedelta(hours=23)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/me/").status_code == 401
    assert AuditEvent.objects.filter(action="auth.token_issued", actor=reviewer).exists()


def test_a_token_is_revoked_by_its_owner_one_or_all(reviewer):
    first, second = token_client(), token_client()
    revoked = first.post("/api/auth/token/revoke/", {}, format="json")
    assert revoked.status_code == 200 and revoked.json() == {"all": False, "revoked": 1}
    assert first.get("/api/me/").status_code == 401 and second.get("/api/me/").status_code == 200
    third = token_client()
    assert third.post("/api/auth/token/revoke/", {"all": True}, format="json").json()["revoked"] == 2
    assert second.get("/api/me/").status_code == 401 and third.get("/api/me/").status_code == 401
    assert AuditEvent.objects.filter(action="auth.tokens_revoked").count() == 2


def test_a_token_is_revoked_at_sign_out_and_on_a_new_password(reviewer, admin_user):
    api = token_client()
    pages = Client()
    pages.force_login(reviewer)
    pages.post("/accounts/logout/")
    assert api.get("/api/me/").status_code == 401

    api = token_client()
    admins = Client()
    admins.force_login(admin_user)
    changed = admins.post(
        f"/admin/casebook/user/{reviewer.pk}/password/",
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )
    assert changed.status_code == 302
    assert api.get("/api/me/").status_code == 401
    reason = AuditEvent.objects.filter(action="auth.tokens_revoked").last().after["reason"]
    assert reason == "password changed"


def test_an_admin_revokes_someones_tokens_in_django_admin(reviewer, admin_user):
    from knox.models import AuthToken

    api = token_client()
    admins = Client()
    admins.force_login(admin_user)
    listing = admins.get("/admin/knox/authtoken/")
    assert listing.status_code == 200 and "reviewer" in listing.content.decode()
    digest = AuthToken.objects.get().digest
    admins.post("/admin/knox/authtoken/", {"action": "delete_selected", "_selected_action": [digest], "post": "yes"})
    assert api.get("/api/me/").status_code == 401


def test_it_refuses_bad_credentials_with_a_field_level_body(reviewer):
    client = APIClient()
    wrong = client.post("/api/auth/token/", {"username": "reviewer", "password": "nope"}, format="json")
    assert wrong.status_code == 400 and "non_field_errors" in wrong.json()
    missing = client.post("/api/auth/token/", {"username": 7}, format="json")
    assert missing.status_code == 400
    assert missing.json() == {"username": ["Give text here, in quotes."], "password": ["This field is required."]}


def test_it_throttles_token_requests_too(reviewer):
    client = APIClient()
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "reviewer", "password": "nope"}, format="json")
    locked = client.post("/api/auth/token/", {"username": "reviewer", "password": PASSWORD}, format="json")
    assert locked.status_code == 429 and "Too many failed attempts" in locked.json()["detail"]


def test_it_creates_users_with_roles_from_the_command_line(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-passphrase\n"))
    call_command("createuser", "casey", "--role", "reviewer", "--role", "legal", stdout=io.StringIO())
    casey = User.objects.get(username="casey")
    assert casey.roles == {Role.REVIEWER, Role.LEGAL}
    assert casey.check_password("a-long-enough-passphrase")
    change = AuditEvent.objects.get(action="user.roles_changed", object_id=str(casey.pk))
    assert change.after == {"roles": ["legal", "reviewer"]}


def test_it_refuses_weak_passwords_and_duplicates(reviewer, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="too short"):
        call_command("createuser", "casey", "--role", "reviewer")
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-passphrase\n"))
    with pytest.raises(CommandError, match="already exists"):
        call_command("createuser", "reviewer", "--role", "reviewer")
    assert not User.objects.filter(username="casey").exists()


def test_it_refuses_unknown_roles(db):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("createuser", "casey", "--role", "emperor")


def test_it_keeps_is_staff_in_step_with_the_admin_role(reviewer, admin_user):
    from casebook.services import user_set_roles

    user_set_roles(user=reviewer, roles=[Role.REVIEWER, Role.ADMIN], by=admin_user)
    reviewer.refresh_from_db()
    assert reviewer.is_staff and reviewer.has_role(Role.ADMIN)
    user_set_roles(user=reviewer, roles=[Role.REVIEWER], by=admin_user)
    reviewer.refresh_from_db()
    assert not reviewer.is_staff
    assert AuditEvent.objects.filter(action="user.roles_changed", actor=admin_user).count() == 2


def test_it_audits_role_changes_made_in_the_admin_site(admin_user, reviewer):
    from django.contrib.auth.models import Group

    client = Client()
    client.force_login(admin_user)
    legal = Group.objects.get(name="legal")
    response = client.post(
        f"/admin/casebook/user/{reviewer.pk}/change/",
        {
            "username": "reviewer",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "groups": [legal.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reviewer.refresh_from_db()
    assert User.objects.get(pk=reviewer.pk).roles == {Role.LEGAL}
    change = AuditEvent.objects.get(action="user.roles_changed", actor=admin_user)
    assert (change.before, change.after) == ({"roles": ["reviewer"]}, {"roles": ["legal"]})


def test_it_lets_only_admins_and_oversight_read_the_audit_log(personas):
    for name, user in personas.items():
        client = Client()
        client.force_login(user)
        expected = 200 if name in ("admin", "overseer") else 403
        assert client.get("/audit/").status_code == expected, name
        api = APIClient()
        api.force_authenticate(user)
        assert api.get("/api/audit/").status_code == expected, name


def test_it_audits_account_changes_made_in_the_admin_site(admin_user, reviewer):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        f"/admin/casebook/user/{reviewer.pk}/change/",
        {
            "username": "reviewer",
            "first_name": "Rowan",
            "last_name": reviewer.last_name,
            "email": reviewer.email,
            "groups": [g.pk for g in reviewer.groups.all()],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )  # is_active left unticked: the account is deactivated
    assert response.status_code == 302
    change = AuditEvent.objects.get(action="user.changed", object_id=str(reviewer.pk))
    assert change.after == {"first_name": "Rowan", "is_active": False}
    assert change.before["is_active"] is True
    password = client.post(
        f"/admin/casebook/user/{reviewer.pk}/password/",
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase", "usable_password": "true"},
    )
    assert password.status_code == 302
    assert AuditEvent.objects.filter(action="user.password_set", object_id=str(reviewer.pk)).exists()


def test_it_keeps_superusers_out_of_reach_of_admins(admin_user):
    root = User.objects.create_superuser("root", "root@casebook.invalid", "a-long-enough-passphrase")
    client = Client()
    client.force_login(admin_user)
    assert client.get(f"/admin/casebook/user/{root.pk}/password/").status_code in (302, 404)
    assert client.get(f"/admin/casebook/user/{root.pk}/change/").status_code in (302, 404)


def test_it_reads_the_client_address_behind_a_proxy(settings):
    from django.test import RequestFactory

    from core.addresses import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.9"


def test_an_admin_changing_their_own_password_is_on_the_record(admin_user, reviewer):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(admin_user)
    changed = client.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-long-passphrase",
            "new_password2": "a-fresh-long-passphrase",
        },
    )
    assert changed.status_code == 302
    assert AuditEvent.objects.filter(
        action="user.password_set", actor=admin_user, object_id=str(admin_user.pk)
    ).exists()

    # However it is made unusable or replaced, the old password's tokens stop working.
    api = token_client()
    reviewer.set_unusable_password()
    reviewer.save()
    assert api.get("/api/me/").status_code == 401
    reviewer.set_password(PASSWORD)
    reviewer.save()
    api = token_client()
    user = get_user_model().objects.get(pk=reviewer.pk)
    user.password = "!"  # put in place by hand
    user.save(update_fields=["password"])
    assert api.get("/api/me/").status_code == 401

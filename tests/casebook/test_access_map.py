"""The access map covers every URL of the project, and nobody outside an entry gets in."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from casebook.access import ACCESS, NAMESPACES, PUBLIC, SIGNED_IN, is_allowed, rule_for
from core.roles import Role

SAMPLE_KWARGS = {"number": "1", "code": "RL-1", "pk": "1", "app_label": "casebook", "object_id": "1"}
DENIED = {401, 403, 404}
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def walk(patterns=None, namespace="", params=()):
    """(view name, parameter names) of every URL pattern; unnamed ones as "namespace:?"."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        names = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, params + names)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or '?'}", params + names


def concrete(name: str, params: tuple) -> str:
    return reverse(name, kwargs={p: SAMPLE_KWARGS.get(p, "1") for p in params})


ROUTES = sorted({(name, params) for name, params in walk() if not name.startswith("admin:")})


def test_it_names_every_url_pattern():
    unnamed = [name for name, _ in walk() if name.endswith("?") and name.split(":")[0] not in NAMESPACES]
    assert unnamed == [], f"Every URL needs a name so the access map can govern it: {unnamed}"


def test_it_maps_every_named_url():
    missing = sorted(
        {name for name, _ in walk() if ACCESS.get(name) is None and name.split(":", 1)[0] not in NAMESPACES}
    )
    assert missing == [], f"Add these to casebook/access.py: {missing}"


def test_it_has_no_stale_entries():
    names = {name for name, _ in walk()}
    assert sorted(set(ACCESS) - names) == []


@pytest.mark.parametrize(("name", "params"), ROUTES, ids=[n for n, _ in ROUTES])
def test_it_turns_away_everyone_outside_the_map(name, params, personas, framework):
    path = concrete(name, params)
    for method in METHODS:
        if rule_for(name, method) == PUBLIC:
            continue
        anonymous = getattr(APIClient(), method.lower())(path)
        assert anonymous.status_code in DENIED or _is_sign_in_redirect(anonymous), (method, path, "anonymous")
        for persona, user in personas.items():
            if is_allowed(user, name, method):
                continue
            client = APIClient()
            client.force_login(user)
            response = getattr(client, method.lower())(path)
            assert response.status_code in DENIED, (method, path, persona, response.status_code)


def _is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_walks_the_admin_site_too(personas):
    admin_routes = [(name, params) for name, params in walk() if name.startswith("admin:") and name[-1] != "?"]
    assert admin_routes
    for name, params in admin_routes:
        path = concrete(name, params)
        for method in ("GET", "POST"):
            anonymous = getattr(APIClient(), method.lower())(path)
            assert anonymous.status_code in DENIED or _is_sign_in_redirect(anonymous), (method, path)
            for persona, user in personas.items():
                if user.has_role(Role.ADMIN):
                    continue
                client = APIClient()
                client.force_login(user)
                assert getattr(client, method.lower())(path).status_code in DENIED, (method, path, persona)


def test_it_logs_each_denied_access(reviewer):
    from audit.models import AuditEvent

    client = APIClient()
    client.force_login(reviewer)
    assert client.get("/audit/").status_code == 403
    assert client.post("/api/revisions/", {}, format="json").status_code == 403
    denials = AuditEvent.objects.filter(action="access.denied", actor=reviewer)
    assert [e.after["view"] for e in denials] == ["audit-log", "api:revision-list"]


def test_it_gives_signed_in_users_the_signed_in_pages(outsider):
    assert rule_for("principles:current", "GET") == SIGNED_IN
    assert is_allowed(outsider, "principles:current", "GET")

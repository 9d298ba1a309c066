"""The production shape's settings: refused when incomplete, and secure when complete."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "casebook.example.org",
    "DATABASE_URL": "postgres://casebook@127.0.0.1:5432/casebook",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtps://mailer:secret@mail.example.org:465",
}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**environment, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_it_passes_the_deployment_checks_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_production_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY is required when DEBUG is false." in result.stderr


def test_it_refuses_a_short_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": "short"})
    assert "SECRET_KEY must be at least 50 characters long." in result.stderr


def test_it_refuses_a_malformed_setting():
    result = manage("check", **{**PRODUCTION, "DEBUG": "perhaps"})
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_it_configures_production_from_the_environment():
    code = (
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CACHES['default']"
        "['BACKEND'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_HOST, s.EMAIL_USE_SSL, "
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/0",
        "False",
        "mail.example.org",
        "True",
        "__Host-sessionid",
        "__Host-csrftoken",
    ]


def test_it_runs_embedded_with_nothing_set():
    code = (
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'])"
    )
    result = manage("shell", "-c", code)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


@pytest.fixture
def production_headers(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"


def test_it_sends_the_security_headers(production_headers, db):
    response = Client().get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    csrf = response.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]


def test_it_redirects_plain_http_to_https(production_headers, db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_it_puts_a_fresh_nonce_in_the_policy_when_a_page_uses_one():
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines
    from django.test import RequestFactory

    page = engines["django"].from_string("<script nonce='{{ request.csp_nonce }}'></script>")
    request = RequestFactory().get("/")
    response = CSPMiddleware(lambda r: HttpResponse(page.render(request=r)))(request)
    nonce = str(request.csp_nonce)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f"nonce='{nonce}'" in response.content.decode()

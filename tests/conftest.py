"""Shared fixtures: the personas, the loaded framework, a real Celery worker and a browser.

Personas: reviewer, decider (decision-maker), lawyer (legal), admin, overseer (oversight),
and outsider (signed in, no role).
"""

import os

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from core.roles import Role
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@receiver(connection_created)
def _may_flush_the_audit_log(sender, connection, **kwargs):
    # Between transactional tests the database is flushed, which on PostgreSQL truncates the
    # audit log; its trigger lets a session that says so (audit migration 0003).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET casebook.flushing_tests = 'on'")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_search_index(settings, tmp_path):
    # Each test's database starts again (and on SQLite reuses ids), so each test has a
    # search index of its own, and each process forgets the similarity arrays it kept.
    from precedent.search import arrays, engine

    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    arrays.reset()
    engine.forget()
    yield
    arrays.reset()
    engine.forget()


@pytest.fixture(autouse=True)
def _own_audit_anchor(settings, tmp_path):
    # Each test's audit log is new, so its anchor outside the database is too.
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchor.json"


@pytest.fixture(autouse=True)
def _semantic_where_marked(request, settings):
    # Closeness in meaning is tested where a test is marked for it. Elsewhere it is off, so
    # that in the worker leg no similar-decisions panel waits on an encoder nobody started.
    if not request.node.get_closest_marker("semantic"):
        settings.SEMANTIC_SEARCH = False


@pytest.fixture(autouse=True)
def _right_leg(request):
    # A test marked for a leg fails loudly outside it rather than passing or skipping.
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it in the PostgreSQL leg (make test-postgres).")
    if request.node.get_closest_marker("semantic"):
        from precedent.search import semantic

        if not semantic.available():
            pytest.fail("This test needs the [semantic] extra: run `make test`, which installs it.")
    if request.node.get_closest_marker("worker") and not os.environ.get("REDIS_URL"):
        pytest.fail("This test needs a real worker on Redis: run it in the PostgreSQL leg (make test-postgres).")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", first_name="Riley", last_name="Reviewer", roles=[Role.REVIEWER])


@pytest.fixture
def decider(db):
    return UserFactory(username="decider", first_name="Dana", last_name="Decider", roles=[Role.DECISION_MAKER])


@pytest.fixture
def lawyer(db):
    return UserFactory(username="lawyer", first_name="Lee", last_name="Counsel", roles=[Role.LEGAL])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", first_name="Alex", last_name="Admin", roles=[Role.ADMIN])


@pytest.fixture
def overseer(db):
    return UserFactory(username="overseer", first_name="Olu", last_name="Overseer", roles=[Role.OVERSIGHT])


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", first_name="Owen", last_name="Outsider", roles=[])


@pytest.fixture
def personas(reviewer, decider, lawyer, admin_user, overseer, outsider):
    return {
        "reviewer": reviewer,
        "decider": decider,
        "lawyer": lawyer,
        "admin": admin_user,
        "overseer": overseer,
        "outsider": outsider,
    }


@pytest.fixture
def framework(db):
    """The framework as loaded from the source documents: revisions 1 and 2."""
    from principles.loader import load_framework

    load_framework()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(api_client):
    def sign_in(user):
        api_client.force_authenticate(user)
        return api_client

    return sign_in


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in a thread of this process, consuming from the real Redis.
    It shares the test database and the locmem outbox with the test."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.control.purge()
    with start_worker(
        app, pool="solo", queues=["celery", "encode", "embed"], perform_ping_check=False, shutdown_timeout=10
    ):
        yield app


# The resilience suite's figures (tests/resilience/figures.py): a test marked
# resilience(tampering=..., stale=...) counts as one kind tried, and detected if it passed.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    marker = item.get_closest_marker("resilience")
    if marker and report.when == "call":
        from tests.resilience.figures import add

        for kind in ("tampering",):
            if kind in marker.kwargs:
                add(f"{kind} kinds tried")
                add(f"{kind} kinds detected", int(report.passed))
    return report


def pytest_terminal_summary(terminalreporter):
    from tests.resilience.figures import FIGURES, ORDER

    if FIGURES:
        terminalreporter.section("resilience suite figures")
        for name in [*ORDER, *sorted(set(FIGURES) - set(ORDER))]:
            if name in FIGURES:
                terminalreporter.write_line(f"{name:>52}: {FIGURES[name]}")

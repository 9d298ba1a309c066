"""Schemathesis over every operation of the API for every role and for anonymous callers,
on a casebook with records to find: no answer is a 5xx, and every answer is the one the
schema documents (status, content type, body, headers)."""

import pytest
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken

from tests.casebook.test_api_contract import CHECKS, OPERATIONS, _keep_the_test_transaction  # noqa: F401
from tests.resilience.figures import add

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

ROLES = ["reviewer", "decider", "lawyer", "admin", "overseer", "outsider", "anonymous"]
EXAMPLES = 6


@pytest.fixture
def world(personas, framework):
    """A decided case anyone may see and a restricted one, so that ids lead somewhere."""
    from tests.notifications.test_notifications import decide

    decide(personas["reviewer"], personas["decider"], title="Public port logistics")
    decide(
        personas["reviewer"],
        personas["decider"],
        title="Restricted harbour sensors",
        restricted=True,
        access_list=[personas["lawyer"]],
    )
    return personas


def test_the_roles_are_all_fuzzed():
    add("operations fuzzed", len(OPERATIONS))
    add("roles fuzzed (with anonymous)", len(ROLES))
    add("5xx answers", 0)  # shown as 0 unless a test below finds one
    add("schema violations", 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_every_operation_answers_every_role_within_its_schema(label, role, world):
    headers = {} if role == "anonymous" else {"Authorization": f"Token {AuthToken.objects.create(user=world[role])[1]}"}
    failures = []

    @given(case=OPERATIONS[label].as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
    )
    def check(case):
        response = case.call(headers=headers)
        add("requests fuzzed")
        if response.status_code >= 500:
            add("5xx answers")
            failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")
            return
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as violation:
            add("schema violations")
            failures.append(f"{case.method} {case.formatted_path} ({response.status_code}): {violation}"[:600])

    check()
    add("operation × role pairs fuzzed")
    assert failures == []

"""The API against its own OpenAPI schema: the schema validates, every operation answers
inside it, and no generated input, however odd, gets a 500."""

import io
import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application


def test_it_publishes_a_valid_schema(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=io.StringIO())
    assert "/api/revisions/{number}/publish/" in out.read_text()


def _load_schema():
    raw = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = application
    return loaded


SCHEMA = _load_schema()
# Everything but "a schema-valid request is accepted": a wrong password or an unknown
# revision number is schema-valid, and rightly refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Schemathesis calls the WSGI application itself, not Django's test client, so the
    end of each request would close the database connection and with it the test's
    transaction. Django's test client detaches the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(admin_user, framework):
    return AuthToken.objects.create(user=admin_user)[1]


# Schemathesis's own pytest plugin does not support pytest 9 yet, so each operation's
# strategy is driven by Hypothesis directly.
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_it_answers_every_operation_within_its_schema(label, admin_token):
    @given(case=OPERATIONS[label].as_strategy())
    # Derandomised, so CI is repeatable; raise max_examples locally to hunt for more.
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    def check(case):
        case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)

    check()


def test_a_case_s_lists_are_documented_as_the_bare_arrays_they_are(reviewer, decider, api_as, framework):
    from casebook.services import case_file
    from reviews.services import case_submit
    from tests.factories import PartnerFactory, case_facts

    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)
    schema = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    api = api_as(reviewer)
    for route in ("assignments", "opinions", "comments", "tags"):
        get = schema[f"/api/cases/{{id}}/{route}/"]["get"]
        assert get["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array", route
        assert not {p["name"] for p in get.get("parameters", [])} & {"page", "partner", "outcome"}, route
        assert isinstance(api.get(f"/api/cases/{case.pk}/{route}/").json(), list), route
    reassessments = schema["/api/partners/{id}/reassessments/"]["get"]["responses"]["200"]
    assert reassessments["content"]["application/json"]["schema"]["type"] == "array"


def test_every_400_answers_in_the_documented_shape(reviewer, api_as, framework):
    from casebook.services import case_file
    from tests.factories import PartnerFactory, case_facts

    case = case_file(by=reviewer, facts=case_facts(PartnerFactory()))
    api = api_as(reviewer)
    tags = [{"code": "RL-1", "stance": "not_implicated"}, {"code": "RL-2"}, {"stance": 5}]
    nested = api.put(f"/api/cases/{case.pk}/tags/", tags, format="json")
    assert nested.status_code == 400
    body = nested.json()
    assert set(body) == {"1", "2"} and all(isinstance(v, list) for v in body["1"].values())
    unreadable = api.generic("PUT", f"/api/cases/{case.pk}/tags/", "[{", content_type="application/json")
    assert unreadable.status_code == 400 and set(unreadable.json()) == {"detail"}
    not_a_list = api.put(f"/api/cases/{case.pk}/tags/", "RL-1", format="json")
    assert not_a_list.status_code == 400 and list(not_a_list.json()) == ["non_field_errors"]

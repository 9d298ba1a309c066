"""Issuing decisions: who may, what they record, and that an issued decision never changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from audit.models import AuditEvent
from casebook.models import Case, Decision
from casebook.services import case_file
from core.errors import Conflict
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review, seen

DECISION = {
    "outcome": "approved_with_conditions",
    "holding": "Summarising public vulnerability reports for defenders advances P-1 and implicates no red line.",
    "rationale": "The data are public, a person acts on every summary, and the deployment is cloud-only.",
    "public_digest": "Approved with an audit-log condition.",
    "conditions": [{"text": "Keep audit logs of every request for a year.", "owner": "Partner CISO"}],
}


@pytest.fixture
def case(reviewer, decider, framework):
    return in_review(case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer))


def test_it_issues_a_decision_under_the_revision_in_force(case, decider):
    decision = decision_issue(case=in_review(case), by=decider, **DECISION)
    assert (decision.decided_by, decision.revision.number, decision.supersedes) == (decider, 2, None)
    assert decision.conditions.get().owner == "Partner CISO"
    assert Case.objects.get(pk=case.pk).status == "decided"
    assert AuditEvent.objects.get(action="decision.issued").after["outcome"] == "approved_with_conditions"


def test_it_never_lets_the_filer_decide(reviewer, decider, framework):
    both = UserFactory(username="both", roles=["reviewer", "decision-maker"])
    case = case_submit(case=case_file(by=both, facts=case_facts(PartnerFactory())), by=both)
    with pytest.raises(PermissionDenied, match="filer of a case cannot decide it"):
        decision_issue(case=in_review(case), by=both, **DECISION)
    assert not Decision.objects.exists()


def test_it_decides_only_cases_before_the_board(reviewer, decider, framework):
    draft = case_file(by=reviewer, facts=case_facts(PartnerFactory()))
    with pytest.raises(Conflict, match="it cannot be decided until it is in review"):
        decision_issue(case=draft, by=decider, **DECISION)


def test_it_wants_a_condition_for_a_conditional_approval(case, decider):
    with pytest.raises(ValidationError) as refused:
        decision_issue(case=in_review(case), by=decider, **{**DECISION, "conditions": []})
    assert "conditions" in refused.value.message_dict
    assert not Decision.objects.exists() and Case.objects.get(pk=case.pk).status == "in_review"


def test_it_supersedes_on_reconsideration_and_keeps_both(case, decider):
    first = decision_issue(case=in_review(case), by=decider, **DECISION)
    second = decision_issue(case=in_review(case), by=decider, **{**DECISION, "outcome": "narrowed", "conditions": []})
    assert second.supersedes == first
    assert Decision.objects.count() == 2
    assert Decision.objects.get(pk=first.pk).outcome == "approved_with_conditions"


def test_it_refuses_every_orm_route_to_changing_an_issued_decision(case, decider):
    decision = decision_issue(case=in_review(case), by=decider, **DECISION)
    decision.outcome = "declined"
    with pytest.raises(PermissionError):
        decision.save()
    with pytest.raises(PermissionError):
        decision.delete()
    with pytest.raises(PermissionError):
        Decision.objects.filter(pk=decision.pk).update(outcome="declined")
    with pytest.raises(PermissionError):
        Decision.objects.filter(pk=decision.pk).delete()
    assert Decision.objects.get(pk=decision.pk).outcome == "approved_with_conditions"


@pytest.mark.postgres
def test_it_refuses_raw_sql_changes_on_postgresql(case, decider):
    decision = decision_issue(case=in_review(case), by=decider, **DECISION)
    for sql in (
        "UPDATE casebook_decision SET outcome = 'declined' WHERE id = %s",
        "DELETE FROM casebook_decision WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="never changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [decision.pk])
    assert Decision.objects.get(pk=decision.pk).outcome == "approved_with_conditions"


def test_it_offers_no_admin_or_api_route_to_change_a_decision(case, decider, admin_user, api_as):
    decision = decision_issue(case=in_review(case), by=decider, **DECISION)
    admin = Client()
    admin.force_login(admin_user)
    assert admin.post(f"/admin/casebook/decision/{decision.pk}/change/", {"outcome": "declined"}).status_code in (
        403,
        404,
    )
    client = api_as(decider)
    assert client.put(f"/api/cases/{case.pk}/decision/", DECISION, format="json").status_code in (403, 405)
    assert client.patch(f"/api/cases/{case.pk}/decision/", {"outcome": "declined"}, format="json").status_code in (
        403,
        405,
    )
    assert client.delete(f"/api/cases/{case.pk}/decision/").status_code in (403, 405)


def test_it_issues_decisions_through_the_api_and_the_page(case, decider, api_as):
    response = api_as(decider).post(f"/api/cases/{case.pk}/decision/", DECISION, format="json")
    assert response.status_code == 201 and response.json()["decided_by"] == "decider"
    assert api_as(decider).get(f"/api/cases/{case.pk}/decision/").json()["id"] == response.json()["id"]
    in_review(case)  # reconsidered, in the page this time
    page = Client()
    page.force_login(decider)
    form = page.post(
        f"/cases/{case.pk}/decide/",
        {
            "outcome": "declined",
            "holding": "",
            "rationale": "Reconsidered.",
            "conditions-TOTAL_FORMS": "1",
            "conditions-INITIAL_FORMS": "0",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
        },
    )
    assert form.status_code == 200 and 'id="id_holding-error"' in form.content.decode()
    issued = page.post(
        f"/cases/{case.pk}/decide/",
        {
            "outcome": "declined",
            "holding": "A later finding of bulk collection ends it.",
            "rationale": "Reconsidered.",
            "confirm": "yes",
            "conditions-TOTAL_FORMS": "1",
            "conditions-INITIAL_FORMS": "0",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
        },
    )
    assert issued.status_code == 302
    assert Decision.objects.count() == 2


def test_the_decide_page_issues_only_once_confirmed(case, decider):
    page = Client()
    page.force_login(decider)
    path = f"/cases/{case.pk}/decide/"
    form = page.get(path).content.decode()
    assert 'data-confirm="Issue the decision on ' in form and "Outcome: {outcome}; conditions: {conditions}" in form
    draft = {
        "outcome": "declined",
        "holding": "A later finding of bulk collection ends it.",
        "rationale": "Reconsidered.",
        "conditions-TOTAL_FORMS": "1",
        "conditions-INITIAL_FORMS": "0",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
    }
    unconfirmed = page.post(path, draft)
    assert unconfirmed.status_code == 200 and "Nothing was issued: tick the box to confirm it." in (
        unconfirmed.content.decode()
    )
    assert not Decision.objects.exists()
    assert page.post(path, {**draft, "confirm": "yes"}).status_code == 302
    assert Decision.objects.get().outcome == "declined"


def test_it_lets_only_decision_makers_decide(case, personas, api_as):
    for name, user in personas.items():
        if name == "decider":
            continue
        assert api_as(user).post(f"/api/cases/{case.pk}/decision/", DECISION, format="json").status_code in (403, 404)
    assert not Decision.objects.exists()


def test_it_tracks_conditions_with_evidence(case, reviewer, decider, lawyer, api_as):
    condition = decision_issue(case=in_review(case), by=decider, **DECISION).conditions.get()
    client = api_as(lawyer)
    missing = client.patch(f"/api/conditions/{condition.pk}/", {"status": "met"}, format="json")
    assert missing.status_code == 400 and "evidence" in missing.json()
    met = client.patch(
        f"/api/conditions/{condition.pk}/", {"status": "met", "evidence": "Log retention verified."}, format="json"
    )
    assert met.status_code == 200 and met.json()["status"] == "met"
    change = AuditEvent.objects.get(action="condition.updated")
    assert (change.before["status"], change.after["status"]) == ("open", "met")
    page = Client()
    page.force_login(reviewer)
    reopen = {"status": "open", "evidence": "", "seen": seen(page, f"/conditions/{condition.pk}/")}
    assert page.post(f"/conditions/{condition.pk}/", reopen).status_code == 302
    stranger = UserFactory(username="reviewer2", roles=["reviewer"])
    assert (
        api_as(stranger)
        .patch(f"/api/conditions/{condition.pk}/", {"status": "waived", "evidence": "x"}, format="json")
        .status_code
        == 403
    )

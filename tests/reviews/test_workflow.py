"""The case workflow: draft → submitted → in review → decided → reopened → in review, and
draft or submitted → withdrawn. One model method per step, the same from pages and API;
an illegal step answers 409 with the reason and changes nothing."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.models import Case
from casebook.services import case_file
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, case_facts, in_review

DECISION = {"outcome": "approved", "holding": "Public summaries cross no red line.", "rationale": "Public."}


@pytest.fixture
def submitted(reviewer, framework):
    return case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)


def status(case) -> str:
    return Case.objects.get(pk=case.pk).status


def test_it_takes_a_case_round_the_whole_workflow_through_the_api(submitted, decider, api_as):
    api = api_as(decider)
    refused = api.post(f"/api/cases/{submitted.pk}/start-review/")
    assert refused.status_code == 409 and "assign one first" in refused.json()["detail"]
    assigned = api.post(
        f"/api/cases/{submitted.pk}/assignments/", {"person": "decider", "duty": "decision_maker"}, format="json"
    )
    assert assigned.status_code == 201
    assert api.post(f"/api/cases/{submitted.pk}/start-review/").json()["status"] == "in_review"
    assert api.post(f"/api/cases/{submitted.pk}/decision/", DECISION, format="json").status_code == 201
    assert status(submitted) == "decided"
    reopened = api.post(f"/api/cases/{submitted.pk}/reopen/", {"reason": "Continuing review."}, format="json")
    assert reopened.json()["status"] == "reopened"
    assert api.post(f"/api/cases/{submitted.pk}/start-review/").json()["status"] == "in_review"
    second = api.post(f"/api/cases/{submitted.pk}/decision/", {**DECISION, "outcome": "narrowed"}, format="json")
    assert second.status_code == 201 and second.json()["supersedes"] is not None
    reopen = AuditEvent.objects.get(action="case.reopened")
    assert reopen.after == {"status": "reopened", "reason": "Continuing review."}


@pytest.mark.parametrize(
    ("action", "body", "reason"),
    [
        ("decision", DECISION, "cannot be decided until it is in review"),
        ("reopen", {"reason": "Why not."}, "cannot be reopened until it is decided"),
        ("submit", {}, "cannot be submitted"),
    ],
)
def test_it_refuses_an_illegal_step_with_409_and_changes_nothing(
    submitted, decider, reviewer, api_as, action, body, reason
):
    user = reviewer if action == "submit" else decider
    response = api_as(user).post(f"/api/cases/{submitted.pk}/{action}/", body, format="json")
    assert response.status_code == 409 and reason in response.json()["detail"]
    assert status(submitted) == "submitted"


def test_it_refuses_an_illegal_step_in_the_pages_too(submitted, decider):
    page = Client()
    page.force_login(decider)
    assert page.get(f"/cases/{submitted.pk}/decide/").status_code == 409
    refused = page.post(f"/cases/{submitted.pk}/reopen/", {"reason": "Why not."})
    assert refused.status_code == 409 and "cannot be reopened" in refused.content.decode()
    assert status(submitted) == "submitted"


def test_it_wants_a_reason_to_reopen(submitted, decider, api_as):
    decision_issue(case=in_review(submitted), by=decider, **DECISION)
    response = api_as(decider).post(f"/api/cases/{submitted.pk}/reopen/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert status(submitted) == "decided"


def test_it_lets_the_filer_or_an_admin_withdraw_before_review(submitted, reviewer, admin_user, decider, api_as):
    assert api_as(decider).post(f"/api/cases/{submitted.pk}/withdraw/").status_code == 403
    assert api_as(reviewer).post(f"/api/cases/{submitted.pk}/withdraw/").json()["status"] == "withdrawn"
    other = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Other")), by=reviewer)
    in_review(other)
    refused = api_as(admin_user).post(f"/api/cases/{other.pk}/withdraw/")
    assert refused.status_code == 409 and "cannot be withdrawn once in review" in refused.json()["detail"]


def test_only_leads_put_a_case_into_review(submitted, reviewer, lawyer, decider, api_as, admin_user):
    for user in (reviewer, lawyer):
        assert api_as(user).post(f"/api/cases/{submitted.pk}/start-review/").status_code == 403
    page = Client()
    page.force_login(admin_user)
    page.post(f"/cases/{submitted.pk}/assign/", {"person": decider.pk, "duty": "decision_maker"})
    assert page.post(f"/cases/{submitted.pk}/start-review/").status_code == 302
    assert status(submitted) == "in_review"


def test_the_withdraw_button_withdraws_only_once_confirmed(submitted, reviewer):
    page = Client()
    page.force_login(reviewer)
    unconfirmed = page.post(f"/cases/{submitted.pk}/withdraw/", follow=True)
    assert "Nothing was withdrawn: tick the box to confirm it." in unconfirmed.content.decode()
    assert status(submitted) == "submitted"
    assert page.post(f"/cases/{submitted.pk}/withdraw/", {"confirm": "yes"}).status_code == 302
    assert status(submitted) == "withdrawn"


def test_the_case_page_asks_before_withdrawing(submitted, reviewer):
    page = Client()
    page.force_login(reviewer)
    html = page.get(f"/cases/{submitted.pk}/").content.decode()
    assert f'data-confirm="Withdraw {submitted.docket}? A withdrawn case leaves review for good' in html
    assert 'name="confirm"' in html and "js/confirm.js" in html

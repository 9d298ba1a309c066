"""Continuing review: engagements that go ahead carry a review-by date, and come back into
review when it falls due."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from casebook.models import Case
from casebook.services import case_file
from notifications.models import Notification
from reviews.services import case_submit, decision_issue, reviews_reopen_due
from reviews.tasks import reopen_due_reviews
from tests.factories import PartnerFactory, case_facts, in_review

DECISION = {"holding": "Public summaries cross no red line.", "rationale": "Public."}
MARCH = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)


def decided(reviewer, decider, outcome="approved", **extra):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)
    return decision_issue(case=in_review(case), by=decider, outcome=outcome, **DECISION, **extra)


def test_it_sets_the_review_twelve_months_on_by_default(reviewer, decider, framework):
    today = timezone.localdate()
    assert decided(reviewer, decider).review_by == today.replace(year=today.year + 1)
    assert decided(reviewer, decider, outcome="declined").review_by is None


def test_it_takes_a_review_date_and_refuses_one_before_the_decision(reviewer, decider, framework, api_as):
    case = in_review(case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer))
    api = api_as(decider)
    body = {"outcome": "approved", **DECISION}
    refused = api.post(f"/api/cases/{case.pk}/decision/", {**body, "review_by": "2020-01-01"}, format="json")
    assert refused.status_code == 400 and "review_by" in refused.json()
    issued = api.post(f"/api/cases/{case.pk}/decision/", {**body, "review_by": "2027-06-30"}, format="json")
    assert issued.status_code == 201 and issued.json()["review_by"] == "2027-06-30"


def test_it_reopens_due_engagements_once_and_tells_their_people(reviewer, decider, framework):
    due = decided(reviewer, decider, at=MARCH, review_by=datetime.date(2026, 9, 10))
    not_yet = decided(reviewer, decider)
    ended = decided(reviewer, decider, outcome="declined")
    assert [case.pk for case in reviews_reopen_due()] == [due.case_id]
    assert Case.objects.get(pk=due.case_id).status == "reopened"
    assert {Case.objects.get(pk=d.case_id).status for d in (not_yet, ended)} == {"decided"}
    told = Notification.objects.filter(kind="review_due").values_list("recipient__username", flat=True)
    assert sorted(told) == ["decider", "reviewer"]
    assert AuditEvent.objects.get(action="case.reopened").after["reason"] == "Continuing review, due 10 September 2026."
    assert reviews_reopen_due() == []


@pytest.mark.worker
def test_the_worker_runs_continuing_review(celery_worker, reviewer, decider, framework, mailoutbox):
    due = decided(reviewer, decider, at=MARCH, review_by=datetime.date(2026, 9, 10))
    assert reopen_due_reviews.delay().get(timeout=30) == [due.case_id]
    assert Case.objects.get(pk=due.case_id).status == "reopened"
    assert Notification.objects.filter(kind="review_due").count() == 2
    assert reopen_due_reviews.delay().get(timeout=30) == []

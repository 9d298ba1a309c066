"""Opinions, heightened scrutiny and the red-line gate, in the services, the API and the pages."""

import pytest
from django.test import Client
from django.utils import timezone

from casebook.models import Assignment, Decision
from casebook.services import case_file, case_set_tags
from notifications.models import Notification
from reviews.models import Opinion
from reviews.services import assignment_add, case_start_review, case_submit, opinion_file
from tests.factories import PartnerFactory, UserFactory, case_facts

DECISION = {"outcome": "approved_with_conditions", "holding": "Allowed with audit logs.", "rationale": "Logged."}
CONDITIONS = [{"text": "Keep logs.", "owner": "CISO"}]


@pytest.fixture
def team(reviewer, decider, admin_user, framework):
    filer = UserFactory(username="filer", roles=["reviewer"])
    second = UserFactory(username="reviewer2", roles=["reviewer"])
    return {"filer": filer, "first": reviewer, "second": second, "decider": decider, "admin": admin_user}


def heightened_case(team, stance="implicated_mitigated"):
    filer = team["filer"]
    case = case_file(by=filer, facts=case_facts(PartnerFactory(), force_proximity="none"))
    case_set_tags(case=case, by=filer, tags=[{"code": "RL-3", "stance": stance, "note": "Near force."}])
    case = case_submit(case=case, by=filer)
    for person, duty in (
        (team["first"], "reviewer"),
        (team["second"], "reviewer"),
        (team["decider"], "decision_maker"),
    ):
        assignment_add(case=case, person=person, duty=duty, by=team["admin"])
    return case_start_review(case=case, by=team["admin"])


def opine(api, case, outcome, reasoning="Because."):
    body = {
        "recommended_outcome": outcome,
        "reasoning": reasoning,
        "proposed_tags": [{"code": "RL-3", "stance": "crossed"}],
    }
    return api.post(f"/api/cases/{case.pk}/opinions/", body, format="json")


def decide(api, case, **overrides):
    return api.post(
        f"/api/cases/{case.pk}/decision/", {**DECISION, "conditions": CONDITIONS, **overrides}, format="json"
    )


def test_it_wants_two_opinions_on_a_heightened_case_and_shows_them_as_separate_opinions(team, api_as):
    case = heightened_case(team)
    assert opine(api_as(team["first"]), case, "approved_with_conditions").status_code == 200
    assert Notification.objects.filter(kind="opinion_filed", recipient=team["decider"]).exists()
    refused = decide(api_as(team["decider"]), case)
    assert refused.status_code == 409 and "Heightened scrutiny applies" in refused.json()["detail"]
    assert "RL-3 is tagged implicated but mitigated" in refused.json()["detail"]
    assert opine(api_as(team["second"]), case, "declined", "Too near the use of force.").status_code == 200
    issued = decide(api_as(team["decider"]), case)
    assert issued.status_code == 201
    decision = Decision.objects.get()
    assert decision.scrutiny == "RL-3 is tagged implicated but mitigated"
    assert sorted(o.concurs() for o in decision.opinions.all()) == [False, True]
    page = Client()
    page.force_login(team["filer"])
    html = page.get(f"/cases/{case.pk}/").content.decode()
    assert "Heightened scrutiny applied:" in html
    assert "dissenting" in html and "concurring" in html
    # Opinions close with the decision.
    late = opine(api_as(team["second"]), case, "declined")
    assert late.status_code == 409 and "opinions are closed" in late.json()["detail"]


def test_one_opinion_each_revised_until_the_decision(team, api_as):
    case = heightened_case(team)
    api = api_as(team["first"])
    opine(api, case, "declined")
    opine(api, case, "narrowed", "On reflection, narrower.")
    assert Opinion.objects.get().recommended_outcome == "narrowed"
    bad = opine(api, case, "maybe")
    assert bad.status_code == 400 and "recommended_outcome" in bad.json()


def test_only_assigned_reviewers_opine(team, api_as):
    case = heightened_case(team)
    stranger = UserFactory(username="reviewer3", roles=["reviewer"])
    assert opine(api_as(stranger), case, "declined").status_code == 403
    assert opine(api_as(team["decider"]), case, "declined").status_code == 403


def test_a_recused_reviewer_can_neither_opine_nor_read_the_opinions(team, api_as):
    case = heightened_case(team)
    opine(api_as(team["first"]), case, "declined")
    api = api_as(team["second"])
    api.post(f"/api/cases/{case.pk}/recuse/", {"statement": "I worked for the partner."}, format="json")
    assert opine(api, case, "declined").status_code == 403
    assert api.get(f"/api/cases/{case.pk}/opinions/").status_code == 403
    page = Client()
    page.force_login(team["second"])
    html = page.get(f"/cases/{case.pk}/").content.decode()
    assert "opinions are closed to you" in html and "Because." not in html


def test_a_crossed_red_line_is_declined_unless_an_admin_escalates(team, api_as):
    case = heightened_case(team, stance="crossed")
    opine(api_as(team["first"]), case, "declined")
    opine(api_as(team["second"]), case, "declined")
    refused = decide(api_as(team["decider"]), case)
    assert refused.status_code == 400 and "can only be declined or terminated" in str(refused.json()["outcome"])
    assert not Decision.objects.exists()
    reasons = {"reasons": "The partner's new oversight board reviews every request; see the annex."}
    assert api_as(team["decider"]).post(f"/api/cases/{case.pk}/escalation/", reasons, format="json").status_code == 403
    assert api_as(team["admin"]).post(f"/api/cases/{case.pk}/escalation/", reasons, format="json").status_code == 201
    assert decide(api_as(team["decider"]), case).status_code == 201
    assert Decision.objects.get().escalation.by == team["admin"]
    page = Client()
    page.force_login(team["filer"])
    assert "Escalated by" in page.get(f"/cases/{case.pk}/").content.decode()


def test_declining_a_crossed_red_line_needs_no_escalation(team, api_as):
    case = heightened_case(team, stance="crossed")
    opine(api_as(team["first"]), case, "declined")
    opine(api_as(team["second"]), case, "declined")
    assert decide(api_as(team["decider"]), case, outcome="declined", conditions=[]).status_code == 201
    assert Decision.objects.get().escalation is None


def test_the_filer_s_own_opinion_does_not_count_toward_heightened_scrutiny(team, api_as):
    case = heightened_case(team)
    # An assignment from before the filer was refused, as old data may hold.
    Assignment.objects.create(
        case=case, person=team["filer"], duty="reviewer", assigned_by=team["admin"], assigned_at=timezone.now()
    )
    opinion_file(case=case, by=team["filer"], recommended_outcome="approved", reasoning="My own case is fine.")
    opine(api_as(team["first"]), case, "approved_with_conditions")
    refused = decide(api_as(team["decider"]), case)
    assert refused.status_code == 409 and "reviewers other than its filer" in refused.json()["detail"]
    assert refused.json()["detail"].endswith("and has 1.")
    opine(api_as(team["second"]), case, "declined")
    assert decide(api_as(team["decider"]), case).status_code == 201


def test_the_opinion_page_chooses_nothing_for_the_reviewer_shows_the_facts_and_takes_proposed_tags(team):
    case = heightened_case(team)
    client = Client()
    client.force_login(team["first"])
    page = client.get(f"/cases/{case.pk}/opinion/").content.decode()
    assert '<option value="">Choose the outcome</option><option value="approved">' in page  # first: nothing chosen
    assert case.proposed_use[:40] in page and 'data-testid="case-tags"' in page
    assert "RL-3 implicated but mitigated" in page
    assert "As tagged: implicated but mitigated" in page
    blank = client.post(f"/cases/{case.pk}/opinion/", {"reasoning": "Because."})
    assert blank.status_code == 200 and "usa-error-message" in blank.content.decode()
    assert not Opinion.objects.exists()
    client.post(
        f"/cases/{case.pk}/opinion/",
        {"recommended_outcome": "declined", "reasoning": "Too near force.", "propose_RL-3": "crossed"},
    )
    opinion = Opinion.objects.get()
    assert opinion.recommended_outcome == "declined"
    assert opinion.proposed_tags == [{"code": "RL-3", "stance": "crossed"}]
    again = client.get(f"/cases/{case.pk}/opinion/").content.decode()
    assert '<option value="crossed" selected>Crossed</option>' in again

"""The revision impact queue: publishing a revision lists the decisions in force that relied
on provisions it changed, for legal to re-examine and mark done; and the citation graph."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.services import case_file, case_set_tags
from precedent import citator
from precedent.models import ImpactItem, SearchEntry
from precedent.services import impact_item_review
from principles import services as framework_services
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

RULE = {"outcome": "approved", "holding": "Benefit triage may be supported.", "rationale": "People decide."}


def decided(reviewer, decider, title, code, stance="implicated_mitigated", **facts):
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title, **facts))
    case_set_tags(case=case, by=reviewer, tags=[{"code": code, "stance": stance, "note": ""}])
    opinions = ("approved", "approved") if stance == "implicated_mitigated" else ()  # heightened scrutiny
    return decision_issue(case=in_review(case_submit(case=case, by=reviewer), opinions=opinions), by=decider, **RULE)


def publish_rl2(admin_user):
    draft = framework_services.revision_draft(by=admin_user, change_summary="Tighten RL-2.")
    framework_services.revision_set_text(
        revision=draft, code="RL-2", title="High-stakes decisions", body="New.", by=admin_user
    )
    return framework_services.revision_publish(revision=draft, by=admin_user)


@pytest.fixture
def queued(reviewer, decider, admin_user, framework):
    relying = decided(reviewer, decider, "Benefit triage", "RL-2")
    untouched = decided(reviewer, decider, "Port logistics", "RL-3")
    reconsidered = decided(reviewer, decider, "Old benefit triage", "RL-2")
    decision_issue(
        case=in_review(reconsidered.case, opinions=("approved", "approved")),
        by=decider,
        **{**RULE, "outcome": "narrowed"},
    )
    unaffected = decided(reviewer, decider, "Benefit letters", "RL-2", stance="not_implicated")
    revision = publish_rl2(admin_user)
    return {"relying": relying, "untouched": untouched, "unaffected": unaffected, "revision": revision}


def test_publishing_queues_the_decisions_in_force_that_relied_on_a_changed_provision(queued):
    items = ImpactItem.objects.select_related("decision__case")
    assert sorted(i.decision.case.title for i in items) == ["Benefit triage", "Old benefit triage"]
    assert all(i.provisions == "RL-2" and i.revision == queued["revision"] for i in items)
    assert queued["relying"].pk in [i.decision_id for i in items]
    assert all(i.decision.superseded_by is None if hasattr(i.decision, "superseded_by") else True for i in items)


def test_a_decision_the_changed_provision_did_not_bear_on_is_neither_queued_nor_flagged(queued, lawyer):
    assert not ImpactItem.objects.filter(decision=queued["unaffected"]).exists()
    assert citator.statuses([queued["unaffected"]], seen_by=lawyer)[queued["unaffected"].pk].code == "good_law"


def test_each_item_shows_the_stance_its_case_took(queued, lawyer, api_as):
    [item] = [i for i in api_as(lawyer).get("/api/impact/").json()["results"] if i["title"] == "Benefit triage"]
    assert item["stances"] == [{"code": "RL-2", "stance": "implicated_mitigated", "label": "Implicated but mitigated"}]
    client = Client()
    client.force_login(lawyer)
    html = client.get("/impact/").content.decode()
    assert "relied on RL-2 (implicated but mitigated)" in html
    # The filters are choices, not boxes to type in.
    assert '<select class="usa-select" name="reviewed"' in html and '<select class="usa-select" name="revision"' in html
    assert '<option value="false" selected>To re-examine</option>' in html


def test_re_examining_a_decision_clears_its_revised_flag(queued, lawyer):
    relying = queued["relying"]
    assert citator.statuses([relying], seen_by=lawyer)[relying.pk].code == "revised"
    impact_item_review(
        item=ImpactItem.objects.get(decision=relying), by=lawyer, note="The new wording changes nothing."
    )
    status = citator.statuses([relying], seen_by=lawyer)[relying.pk]
    assert status.code == "good_law" and "The new wording changes nothing." in status.reasons[0]
    assert SearchEntry.objects.get(decision=relying).precedent == "good_law"  # the search facet too


def test_legal_marks_an_item_re_examined(queued, lawyer, decider, api_as):
    item = ImpactItem.objects.get(decision=queued["relying"])
    assert api_as(decider).post(f"/api/impact/{item.pk}/review/", {"note": "Fine."}, format="json").status_code == 403
    assert api_as(lawyer).post(f"/api/impact/{item.pk}/review/", {"note": ""}, format="json").status_code == 400
    done = api_as(lawyer).post(f"/api/impact/{item.pk}/review/", {"note": "Still good law."}, format="json")
    assert done.status_code == 200 and done.json()["reviewed_by"] == "lawyer"
    again = api_as(lawyer).post(f"/api/impact/{item.pk}/review/", {"note": "Again."}, format="json")
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="impact.reviewed").count() == 1
    open_items = api_as(lawyer).get("/api/impact/?reviewed=false").json()["results"]
    assert item.pk not in [i["id"] for i in open_items]


def test_the_page_lists_the_queue_and_takes_the_review(queued, lawyer):
    client = Client()
    client.force_login(lawyer)
    html = client.get("/impact/").content.decode()
    assert "Benefit triage" in html and "Port logistics" not in html and "Mark re-examined" in html
    item = ImpactItem.objects.get(decision=queued["relying"])
    client.post(f"/impact/{item.pk}/review/", {"note": "The new wording does not change the outcome."})
    assert "The new wording does not change the outcome." in client.get("/impact/?reviewed=true").content.decode()


def test_a_restricted_decision_in_the_queue_shows_only_to_the_cleared(
    reviewer, decider, lawyer, admin_user, api_as, framework
):
    cleared = UserFactory(username="cleared", roles=["legal"])
    decided(reviewer, decider, "Covert triage", "RL-2", restricted=True, access_list=[cleared])
    publish_rl2(admin_user)
    assert api_as(lawyer).get("/api/impact/").json()["count"] == 0
    assert api_as(cleared).get("/api/impact/").json()["count"] == 1


def test_the_citation_graph_shows_what_the_reader_may_see(reviewer, decider, lawyer, api_as, framework):
    cleared = UserFactory(username="cleared", roles=["legal"])
    first = decided(reviewer, decider, "First", "RL-3")
    cite = [{"decision": first.pk, "provision": "RL-3", "treatment": "follows", "reason": "Same."}]
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Second")), by=reviewer)
    second = decision_issue(case=in_review(case), by=decider, citations=cite, **RULE)
    facts = case_facts(PartnerFactory(), title="Secret", restricted=True, access_list=[cleared])
    case = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
    decision_issue(
        case=in_review(case),
        by=decider,
        citations=[{**cite[0], "decision": second.pk, "treatment": "overrules"}],
        **RULE,
    )
    graph = api_as(lawyer).get(f"/api/decisions/{first.pk}/graph/").json()
    assert sorted(n["docket"] for n in graph["nodes"]) == sorted([first.case.docket, second.case.docket])
    assert [(e["source"], e["target"], e["treatment"]) for e in graph["edges"]] == [(second.pk, first.pk, "follows")]
    assert len(api_as(cleared).get(f"/api/decisions/{first.pk}/graph/").json()["nodes"]) == 3
    client = Client()
    client.force_login(lawyer)
    html = client.get(f"/decisions/{first.pk}/graph/").content.decode()
    assert 'id="graph-data"' in html and 'data-testid="graph-edges"' in html and "Secret" not in html

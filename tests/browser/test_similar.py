"""In a real browser: a reviewer types a new case and similar past decisions, with their
reasons, appear beside the filing form; then a search finds them with their flags."""

import pytest
from playwright.sync_api import expect

from casebook.services import case_file, case_set_tags
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.semantic  # the panel shows closeness in meaning too
def test_similar_decisions_appear_beside_the_filing_form(sign_in, reviewer, decider, framework, screenshot):
    police = PartnerFactory(name="Port Ashby Police")
    filer = UserFactory(username="reviewer2", roles=["reviewer"])
    case = case_file(
        by=filer,
        facts=case_facts(
            police,
            title="Facial recognition at protests",
            proposed_use="Officers would match faces in protest footage against a watch list.",
            mission_area="law_enforcement",
            data_involved=["biometric", "us_person"],
        ),
    )
    case_set_tags(case=case, by=filer, tags=[{"code": "RL-1", "stance": "crossed", "note": "Mass surveillance."}])
    case = in_review(case_submit(case=case, by=filer), opinions=("declined", "declined"))
    decision_issue(
        case=case,
        by=decider,
        outcome="declined",
        holding="Identifying everyone at a lawful protest is mass surveillance.",
        rationale="RL-1.",
    )

    page = sign_in(reviewer)
    page.goto("/cases/new/")
    expect(page.get_by_test_id("similar-live")).to_contain_text("Similar past decisions appear here")
    page.get_by_label("Title").fill("Facial recognition of rally crowds")
    page.get_by_label("Partner").select_option(label="Port Ashby Police")
    page.get_by_label("Proposed use").fill("Match faces in rally footage against a watch list of suspects.")
    panel = page.get_by_test_id("similar-live")
    expect(panel.get_by_test_id("similar-result").first).to_contain_text("Facial recognition at protests")
    reasons = panel.get_by_test_id("similar-reasons").first
    expect(reasons).to_contain_text("Same partner (Port Ashby Police).")
    expect(reasons).to_contain_text("Shared key terms: facial, recognition")
    expect(reasons).to_contain_text("Close in meaning")  # the [semantic] extra, which make test installs
    screenshot("similar")

    page.goto("/search/?q=facial+recognition")
    result = page.get_by_test_id("result").first
    expect(result).to_contain_text("Facial recognition at protests")
    expect(result.get_by_test_id("precedent")).to_contain_text("Good law")
    expect(result.get_by_test_id("snippet").locator("mark").first).to_be_visible()
    expect(page.get_by_test_id("facet-outcome")).to_contain_text("Declined")
    screenshot("search")


def test_the_citation_graph_draws_in_the_browser(sign_in, reviewer, decider, lawyer, framework, screenshot):
    def decide(title, citations=()):
        case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title)), by=reviewer)
        facts = {"outcome": "approved", "holding": f"{title}.", "rationale": "."}
        return decision_issue(case=in_review(case), by=decider, citations=citations, **facts)

    first = decide("Port logistics")
    cite = {"decision": first.pk, "provision": "RL-3", "reason": "Same use."}
    decide("Rail logistics", [{**cite, "treatment": "follows"}])
    decide("Road logistics", [{**cite, "treatment": "overrules"}])

    page = sign_in(lawyer)
    page.goto(f"/cases/{first.case_id}/")
    expect(page.get_by_test_id("precedent").first).to_contain_text("Overruled")
    page.get_by_role("link", name="Citation graph").click()
    expect(page.locator("#citation-graph[data-ready='true'] canvas").first).to_be_attached()
    expect(page.get_by_test_id("graph-edges")).to_contain_text("overrules")
    expect(page.get_by_test_id("graph-nodes")).to_contain_text("Rail logistics")
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Fit").click()
    screenshot("citation-graph")
    page.locator("label", has_text="Overrules").click()  # the design system hides the box itself
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("graph-nodes")).not_to_contain_text("Rail logistics")  # it follows: filtered out
    expect(page.locator("#citation-graph[data-ready='true'] canvas").first).to_be_attached()

"""The decide page as a workbench, in a real browser: the case's facts, tags, opinions and
similar decisions beside the draft; conditions and citations added and removed row by row;
a cited decision found by typing part of its title (htmx fills the list)."""

import pytest
from playwright.sync_api import expect

from casebook.services import case_file, case_set_tags
from reviews.services import case_submit
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review
from tests.precedent.test_suggestions import TRIAGE, decided

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_decision_maker_drafts_beside_the_case_and_adds_rows_as_needed(sign_in, reviewer, decider, framework):
    earlier = decided(reviewer, decider, "Benefit triage by caseworkers", TRIAGE, [("P-1", "advances")])
    UserFactory(username="opining-reviewer-1", roles=["reviewer"])
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Caseworker flags", proposed_use=TRIAGE))
    case_set_tags(case=case, by=reviewer, tags=[{"code": "P-1", "stance": "advances"}])
    in_review(case_submit(case=case, by=reviewer), decider=decider, opinions=("approved",))

    page = sign_in(decider)
    page.goto(f"/cases/{case.pk}/decide/")
    workbench = page.get_by_test_id("workbench")
    expect(workbench).to_contain_text(TRIAGE[:30])
    expect(workbench.get_by_test_id("workbench-tags")).to_contain_text("P-1 advances")
    expect(workbench.get_by_test_id("workbench-opinions")).to_contain_text("recommends approved")
    expect(workbench.get_by_test_id("similar")).to_contain_text("Benefit triage by caseworkers")

    conditions = page.locator("[data-rows='conditions'] [data-row]")
    expect(conditions).to_have_count(1)
    page.get_by_role("button", name="Add a condition").click()
    page.get_by_role("button", name="Add a condition").click()
    expect(conditions).to_have_count(3)
    conditions.nth(2).get_by_role("button", name="Remove this condition").click()
    expect(conditions).to_have_count(2)

    citation = page.locator("[data-rows='citations'] [data-row]").first
    citation.get_by_label("Cites the decision on").press_sequentially("caseworkers", delay=20)
    expect(page.locator(f"#docket-options option[value='{earlier.case.docket}']")).to_be_attached()
    expect(page.locator("#provision-options option[value='P-1']")).to_be_attached()
    citation.get_by_label("Cites the decision on").fill(earlier.case.docket)
    citation.get_by_label("Provision").fill("P-1")
    citation.get_by_label("Treatment").select_option("follows")
    citation.get_by_label("Reason").fill("The same caseworker review.")
    page.get_by_label("Outcome").select_option("approved")
    page.get_by_label("Holding").fill("Flags a caseworker decides on may go ahead.")
    page.get_by_label("Rationale").fill("Each application is decided by a person.")
    page.get_by_role("button", name="Issue the decision").click()
    confirm = page.get_by_role("dialog")
    expect(confirm).to_contain_text("Outcome: Approved; conditions: 0; citations: 1.")
    confirm.get_by_role("button", name="Yes, issue the decision").click()
    expect(page.get_by_test_id("decision")).to_contain_text(f"Follows {earlier.case.docket}")

"""Case law in a real browser: legal writes a decision's headnotes, and finds the decision,
with its headnote, on the provision's annotated page."""

import pytest
from playwright.sync_api import expect

from tests.reviews.test_headnotes import issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_legal_writes_headnotes_and_reads_them_in_the_provision_s_case_law(
    sign_in, reviewer, decider, lawyer, framework, screenshot
):
    decision = issue(
        reviewer,
        decider,
        title="Benefit triage with human review",
        tags=[{"code": "RL-2", "stance": "implicated_mitigated"}],
    )
    page = sign_in(lawyer)
    page.goto(f"/cases/{decision.case_id}/")
    expect(page.get_by_test_id("headnotes")).to_contain_text("hn 1")
    page.get_by_role("link", name="Write the headnotes").click()
    page.locator("#id_headnotes-1-provision").select_option("RL-2")
    page.locator("#id_headnotes-1-stance").select_option("implicated_mitigated")
    page.locator("#id_headnotes-1-text").fill("A caseworker who decides each claim mitigates RL-2.")
    page.get_by_role("button", name="Save the headnotes").click()
    expect(page.get_by_test_id("headnotes")).to_contain_text("hn 2 RL-2 (implicated but mitigated): A caseworker")

    page.goto("/framework/")
    page.locator("#RL-2").get_by_test_id("case-law-link").click()
    expect(page.get_by_test_id("case-law-wording")).to_be_visible()
    entry = page.get_by_test_id("case-law-entry").filter(has_text="Benefit triage with human review")
    expect(entry).to_contain_text("hn 2 A caseworker who decides each claim")
    expect(page.get_by_test_id("case-law-summary")).to_contain_text("RL-2 implicated but mitigated: 1 decision")
    screenshot("case-law")

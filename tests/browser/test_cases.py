"""Filing a case in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_files_tags_and_decides_a_case(sign_in, reviewer, decider, framework, screenshot):
    PartnerFactory(name="Defense research agency", kind="military")
    page = sign_in(reviewer)
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="File a case").click()
    page.get_by_label("Title").fill("")
    page.get_by_label("Partner").select_option(label="Defense research agency")
    page.get_by_label("Mission area").select_option(label="Cyber defence")
    use = "Defenders paste public vulnerability reports and get summaries to triage patches."
    page.get_by_label("Proposed use").fill(use)
    page.get_by_role("button", name="Save draft").click()

    # The missing title is flagged beside its field, and nothing typed is lost.
    expect(page.locator("#id_title-error")).to_have_text("This field is required.")
    expect(page.get_by_label("Proposed use")).to_have_value(use)
    page.get_by_label("Title").fill("Vulnerability-report summaries for cyber defenders")
    page.get_by_label("Deployment architecture").select_option(label="Cloud-only")
    page.get_by_label("Human-judgment level").select_option(label="A human decides each action")
    page.get_by_label("Proximity to use of force").select_option(label="None")
    # USWDS draws its own checkboxes over the hidden inputs: people click the labels.
    page.locator("label", has_text="Open-source information").click()
    page.locator("label", has_text=re.compile(r"^S-3 ")).click()
    expect(page.get_by_label(re.compile(r"^S-3 "))).to_be_checked()
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_test_id("docket")).to_have_text("Draft, not yet submitted")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("docket")).to_have_text(re.compile(r"^NS-\d{4}-0001$"))

    page.get_by_role("link", name="Tag against the framework").click()
    # A row a provision: its stance a click on a segment, its note opened when wanted.
    rl1 = page.locator("#tag-RL-1")
    rl1.locator("label", has_text="Not implicated").click()
    rl1.get_by_text("Note", exact=True).click()
    page.get_by_label("Note on RL-1").fill("Public reports only; no personal data.")
    page.locator("#tag-P-1").locator("label", has_text="Advances").click()
    expect(page.locator("#tag-P-1").get_by_role("radio", name="Advances")).to_be_checked()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height  # 36 provisions, each a line or two
    page.get_by_role("button", name="Save tags").click()
    expect(page.locator("#tag-RL-1")).to_contain_text("Not implicated")
    expect(page.locator("#tag-RL-1")).to_contain_text("As worded in Revision 2")
    case_url = page.url

    # The decision-maker, who did not file it, issues the decision.
    page.get_by_role("button", name="Sign out").click()
    sign_in(decider)
    page.goto(case_url)
    page.get_by_label("Assign").select_option(label=f"{decider.display_name} (decision-maker)")
    page.get_by_label("as", exact=True).select_option(label="Accountable decision-maker")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_test_id("assignments")).to_contain_text("Dana Decider, accountable decision-maker")
    page.get_by_role("button", name="Put into review").click()
    expect(page.get_by_role("status")).to_contain_text("is in review")
    page.get_by_role("link", name="Issue the decision").click()
    page.get_by_label("Outcome").select_option(label="Approved with conditions")
    page.get_by_label("Holding").fill("Summaries of public vulnerability reports for defenders cross no red line.")
    page.get_by_label("Rationale").fill("Public data only; a person acts on every summary; cloud-only.")
    page.locator("#condition-1").get_by_label("Condition").fill("Keep request logs for a year.")
    page.locator("#condition-1").get_by_label("Owner").fill("Agency CISO")
    page.get_by_role("button", name="Issue the decision").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, issue the decision").click()
    decision = page.get_by_test_id("decision")
    expect(decision).to_contain_text("Decision: Approved with conditions")
    expect(decision).to_contain_text("Keep request logs for a year.")
    expect(decision).to_contain_text("under Revision 2")
    screenshot("case")

    # The printable memo: on paper, the site's header and the buttons give way to the memo.
    page.get_by_role("link", name="Printable memo").click()
    expect(page.get_by_test_id("memo")).to_contain_text("Decision memorandum")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.usa-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_test_id("memo")).to_contain_text("Keep request logs for a year.")
    # Its headings keep their rank on paper: the title above the sections, the sections above the text.
    size = "(s) => parseFloat(getComputedStyle(document.querySelector('.memo ' + s)).fontSize)"
    sizes = page.evaluate(f"['h1', 'h2', 'p.memo__holding'].map({size})")
    assert sizes[0] > sizes[1] > sizes[2], sizes
    screenshot("decision-memo")

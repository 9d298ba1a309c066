"""Filing a case in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_files_and_submits_a_case(sign_in, reviewer, framework, screenshot):
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
    page.get_by_label(re.compile(r"^RL-1 ")).select_option(label="Not implicated")
    page.get_by_label("Note on RL-1").fill("Public reports only; no personal data.")
    page.get_by_label(re.compile(r"^P-1 ")).select_option(label="Advances")
    page.get_by_role("button", name="Save tags").click()
    expect(page.locator("#tag-RL-1")).to_contain_text("Not implicated")
    expect(page.locator("#tag-RL-1")).to_contain_text("As worded in Revision 2")
    screenshot("case")

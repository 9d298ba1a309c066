"""Each role's main journey on a 390 px phone, through the phone's menu: nothing scrolls
sideways on the way, and each step works as it does on a desktop."""

import re

import pytest
from playwright.sync_api import expect

from casebook.models import Case
from casebook.services import case_file, case_set_tags
from reviews.services import case_submit
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review
from tests.precedent.test_suggestions import TRIAGE, decided

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (page.url, width)


def go(page, link: str) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name=link, exact=True).click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Primary navigation").get_by_role("button", name="Sign out").click()


def test_a_reviewer_files_tags_and_submits_a_case_on_a_phone(sign_in, phone, reviewer, framework):
    PartnerFactory(name="County social services")
    sign_in(reviewer)
    go(phone, "My work")
    phone.get_by_test_id("file-a-case").click()
    fits(phone)
    phone.get_by_label("Title").fill("Caseworker flags for benefit claims")
    phone.get_by_label("Partner").select_option(label="County social services")
    phone.get_by_label("Mission area").select_option("law_enforcement")
    phone.get_by_label("Proposed use").fill(TRIAGE)
    phone.get_by_label("Deployment architecture").select_option(label="Cloud-only")
    phone.get_by_label("Human-judgment level").select_option(label="A human decides each action")
    phone.get_by_label("Proximity to use of force").select_option(label="None")
    phone.get_by_role("button", name="Save draft").click()
    phone.get_by_role("link", name="Tag against the framework").click()
    fits(phone)
    phone.locator("#tag-P-1").locator("label", has_text="Advances").click()
    phone.get_by_role("button", name="Save tags").click()
    phone.get_by_role("button", name="Submit for review").click()
    expect(phone.get_by_test_id("docket")).to_have_text(re.compile(r"^NS-\d{4}-\d{4}$"))
    fits(phone)
    sign_out(phone)


def test_a_decision_maker_decides_and_a_lawyer_finds_it_on_a_phone(
    sign_in, phone, reviewer, decider, lawyer, framework
):
    decided(reviewer, decider, "Benefit triage by caseworkers", TRIAGE, [("P-1", "advances")])
    UserFactory(username="opining-reviewer-1", roles=["reviewer"])
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Caseworker flags", proposed_use=TRIAGE))
    case_set_tags(case=case, by=reviewer, tags=[{"code": "P-1", "stance": "advances"}])
    in_review(case_submit(case=case, by=reviewer), decider=decider)

    sign_in(decider)
    go(phone, "My work")
    phone.get_by_test_id("to-decide").get_by_role("link").first.click()
    phone.get_by_role("link", name="Issue the decision").click()
    fits(phone)
    phone.get_by_label("Outcome").select_option("approved")
    phone.get_by_label("Holding").fill("Flags a caseworker decides on may go ahead.")
    phone.get_by_label("Rationale").fill("Each application is decided by a person.")
    phone.get_by_role("button", name="Issue the decision").click()
    phone.get_by_role("dialog").get_by_role("button", name="Yes, issue the decision").click()
    expect(phone.get_by_test_id("decision")).to_contain_text("Flags a caseworker decides on may go ahead.")
    fits(phone)
    sign_out(phone)

    sign_in(lawyer)
    go(phone, "Search")
    phone.get_by_label("Search", exact=True).fill("caseworker")
    phone.get_by_role("button", name="Search", exact=True).click()
    results = phone.get_by_test_id("results")
    expect(results).to_contain_text("Caseworker flags")
    # The facets come after the results on a phone: the first result is on the first screen.
    assert results.bounding_box()["y"] < phone.get_by_test_id("facets").bounding_box()["y"]
    fits(phone)
    results.get_by_role("link", name="Caseworker flags").click()
    expect(phone.get_by_test_id("record-pdf")).to_be_visible()
    fits(phone)
    assert Case.objects.get(title="Caseworker flags").status == "decided"


def test_oversight_reads_the_dashboard_and_the_audit_log_on_a_phone(sign_in, phone, overseer, reviewer, framework):
    decided(reviewer, UserFactory(username="decider", roles=["decision-maker"]), "Port logistics", TRIAGE, [])
    sign_in(overseer)
    go(phone, "Dashboard")
    expect(phone.get_by_test_id("table-caseload")).to_be_visible()
    fits(phone)
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("link", name="Audit log").click()
    expect(phone.get_by_role("heading", name="Audit log")).to_be_visible()
    fits(phone)


def test_an_admin_drafts_and_publishes_a_revision_on_a_phone(sign_in, phone, admin_user, framework):
    sign_in(admin_user)
    go(phone, "Revisions")
    phone.get_by_role("link", name="Draft the next revision").click()
    phone.get_by_label("Change summary").fill("Sharpen RL-2 on automated determinations.")
    phone.get_by_role("button", name="Start the draft").click()
    fits(phone)
    phone.locator("#row-RL-2").get_by_role("link", name="Edit").click()
    body = phone.get_by_label("Body")
    body.fill(body.input_value() + "\n\nThis includes automated eligibility determinations.")
    phone.get_by_role("button", name="Save").click()
    phone.get_by_role("link", name="Preview and publish").click()
    fits(phone)
    phone.get_by_role("button", name="Publish Revision 3").click()
    phone.get_by_role("dialog").get_by_role("button", name="Yes, publish Revision 3").click()
    expect(phone.get_by_text("Revision 3 is published and in force.")).to_be_visible()
    fits(phone)

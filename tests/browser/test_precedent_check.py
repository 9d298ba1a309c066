"""Case law while a case is filed and decided, in a real browser: the reviewer files a case
and accepts a tag the case law suggests; the decision-maker sees the precedent check list an
uncited on-point precedent and the contrary authority (htmx, as the outcome is chosen),
answers it when issuing asks, and finds the new decision in the provision's case law."""

import re

import pytest
from playwright.sync_api import expect

from casebook.models import Case
from tests.factories import PartnerFactory, UserFactory, in_review
from tests.precedent.test_suggestions import TRIAGE, decided

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MITIGATED = [("RL-2", "implicated_mitigated"), ("P-1", "advances")]


def test_file_accept_a_suggested_tag_decide_and_answer_the_precedent_check(sign_in, reviewer, decider, framework):
    approved = [
        decided(reviewer, decider, f"Benefit triage {n}", TRIAGE, MITIGATED, mission_area="law_enforcement")
        for n in range(2)
    ]
    declined = decided(
        reviewer,
        decider,
        "Benefit triage, declined",
        TRIAGE,
        MITIGATED,
        outcome="declined",
        answers={d.pk: "Its caseworkers did not review the flags." for d in approved},
        mission_area="law_enforcement",
    )
    PartnerFactory(name="County social services")

    page = sign_in(reviewer)
    page.goto("/cases/new/")
    page.get_by_label("Title").fill("Caseworker flags for benefit claims")
    page.get_by_label("Partner").select_option(label="County social services")
    page.get_by_label("Mission area").select_option("law_enforcement")
    page.get_by_label("Proposed use").fill(TRIAGE)
    page.get_by_label("Deployment architecture").select_option(label="Cloud-only")
    page.get_by_label("Human-judgment level").select_option(label="A human decides each action")
    page.get_by_label("Proximity to use of force").select_option(label="None")
    page.locator("label", has_text="Open-source information").click()
    # While it is untagged, the similar panel ranks it with the tags the case law suggests.
    expect(page.get_by_test_id("ranked-with-suggested")).to_contain_text("RL-2 implicated but mitigated")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("docket")).to_have_text(re.compile(r"^NS-\d{4}-\d{4}$"))

    page.get_by_role("link", name="Tag against the framework").click()
    suggestion = page.get_by_test_id("tag-suggestion").filter(has_text="RL-2 implicated but mitigated")
    expect(suggestion).to_contain_text("nearest precedents took it")
    suggestion.get_by_role("button", name="Accept RL-2 implicated but mitigated").click()
    expect(page.get_by_role("status")).to_contain_text("Tagged RL-2 implicated but mitigated")
    expect(page.locator("#tag-RL-2").get_by_role("radio", name="Implicated but mitigated")).to_be_checked()
    case = Case.objects.get(title="Caseworker flags for benefit claims")
    page.get_by_role("button", name="Sign out").click()

    # An admin puts it into review, with two opinions (heightened scrutiny for RL-2).
    UserFactory(username="opining-reviewer-1", roles=["reviewer"])
    in_review(case, decider=decider, opinions=("approved", "approved"))

    sign_in(decider)
    page.goto(f"/cases/{case.pk}/decide/")
    check = page.get_by_test_id("precedent-check")
    expect(check.get_by_test_id("uncited").first).to_be_visible()
    expect(check.get_by_test_id("uncited").filter(has_text=declined.case.docket)).to_be_visible()
    page.get_by_label("Outcome").select_option("approved")
    contrary = page.get_by_test_id("contrary").filter(has_text=declined.case.docket)
    expect(contrary).to_contain_text("Not addressed")
    page.get_by_label("Holding").fill("Flags a caseworker decides on may go ahead.")
    page.get_by_label("Rationale").fill("Each application is decided by a person.")
    page.get_by_role("button", name="Issue the decision").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, issue the decision").click()
    expect(page.locator(f"#answer-{declined.pk}-error")).to_contain_text("Cite it with a treatment")
    page.get_by_label(f"Why {declined.case.docket} does not apply").fill("That partner let the flags decide.")
    page.get_by_role("button", name="Issue the decision").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, issue the decision").click()
    expect(page.get_by_test_id("precedent-check-kept")).to_contain_text("That partner let the flags decide.")

    page.goto("/framework/provisions/RL-2/case-law/")
    expect(page.get_by_test_id("case-law-entry").filter(has_text="Caseworker flags for benefit claims")).to_be_visible()

"""A heightened-scrutiny case through review in a real browser: assignment, two opinions
(one dissenting), the decision, and the notifications along the way."""

import re

import pytest
from playwright.sync_api import expect

from casebook.services import case_file, case_set_tags
from reviews.services import case_submit
from tests.factories import PartnerFactory, UserFactory, case_facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_reviews_a_heightened_case_to_a_decision(sign_in, reviewer, decider, admin_user, framework, screenshot):
    second = UserFactory(username="reviewer2", first_name="Robin", last_name="Second", roles=["reviewer"])
    filer = UserFactory(username="filer", roles=["reviewer"])
    facts = case_facts(
        PartnerFactory(name="Allied ministry"), title="Counter-drone sensor triage", force_proximity="indirect"
    )
    case = case_file(by=filer, facts=facts)
    case_set_tags(case=case, by=filer, tags=[{"code": "RL-3", "stance": "implicated_mitigated", "note": "Near force."}])
    case = case_submit(case=case, by=filer)
    url = f"/cases/{case.pk}/"

    page = sign_in(admin_user)
    page.goto(url)
    expect(page.get_by_test_id("scrutiny")).to_contain_text("RL-3 is tagged implicated but mitigated")
    # The filer is not offered: nobody reviews their own case.
    expect(page.locator("#id_person option", has_text=filer.display_name)).to_have_count(0)
    for person, duty in (
        (f"{reviewer.display_name} (reviewer)", "Reviewer"),
        (f"{second.display_name} (reviewer)", "Reviewer"),
        (f"{decider.display_name} (decision-maker)", "Accountable decision-maker"),
    ):
        page.get_by_label("Assign").select_option(label=person)
        page.get_by_label("as", exact=True).select_option(label=duty)
        page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_role("button", name="Put into review").click()
    page.get_by_role("button", name="Sign out").click()

    for user, outcome, reasoning in (
        (reviewer, "Approved with conditions", "Operators decide each engagement; logs make it reviewable."),
        (second, "Declined", "Sensor triage this close to force should not rest on a model."),
    ):
        sign_in(user)
        expect(page.get_by_test_id("unread-count")).to_have_text("1")  # assigned
        page.goto(url)
        page.get_by_role("link", name="Write your opinion").click()
        page.get_by_label("Recommended outcome").select_option(label=outcome)
        page.get_by_label("Reasoning").fill(reasoning)
        page.get_by_role("button", name="Save opinion").click()
        expect(page.get_by_test_id("open-opinions")).to_contain_text(reasoning)
        page.get_by_role("button", name="Sign out").click()

    sign_in(decider)
    expect(page.get_by_test_id("unread-count")).to_have_text("3")  # assigned, two opinions
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("Robin Second recommends declined")
    page.goto(url)
    page.get_by_role("link", name="Issue the decision").click()
    page.get_by_label("Outcome").select_option(label="Approved with conditions")
    page.get_by_label("Holding").fill(
        "Sensor triage near force may be supported when an operator decides each engagement."
    )
    page.get_by_label("Rationale").fill("The operator decides; the logs let oversight check that.")
    page.locator("#condition-1").get_by_label("Condition").fill("Log every triage suggestion.")
    page.locator("#condition-1").get_by_label("Owner").fill("Ministry programme office")
    expect(page.get_by_label(re.compile("^Yes, issue the decision"))).to_be_hidden()  # the dialog asks instead
    page.get_by_role("button", name="Issue the decision").click()
    confirm = page.get_by_role("dialog")
    expect(confirm).to_contain_text(
        f"Issue the decision on {case.docket}? Outcome: Approved with conditions; conditions: 1; citations: 0."
    )
    confirm.get_by_role("button", name="Yes, issue the decision").click()
    decision = page.get_by_test_id("decision")
    expect(decision.get_by_test_id("decision-scrutiny")).to_contain_text("RL-3 is tagged implicated but mitigated")
    expect(decision.get_by_test_id("decision-opinions")).to_contain_text("concurring")
    expect(decision.get_by_test_id("decision-opinions")).to_contain_text("Robin Second, dissenting")
    screenshot("review")
    page.get_by_role("button", name="Sign out").click()

    sign_in(reviewer)
    expect(page.get_by_test_id("unread-count")).to_have_text("2")  # assigned, decision issued
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("approved with conditions")

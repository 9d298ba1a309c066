"""The precedent check in a real browser: the decision-maker chooses an outcome, the check
lists the contrary authority beside the draft (htmx), issuing asks for an answer on it, and
the answer is kept with the decision, which then appears in the provision's case law."""

import pytest
from playwright.sync_api import expect

from tests.reviews.test_precedent_check import decide, filed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_decision_maker_answers_the_contrary_precedent_the_check_lists(sign_in, reviewer, decider, framework):
    declined = decide(filed(reviewer, title="Caseworker flags, declined"), decider, "declined")
    draft = filed(reviewer, title="Caseworker flags, again")
    page = sign_in(decider)
    page.goto(f"/cases/{draft.pk}/decide/")
    check = page.get_by_test_id("precedent-check")
    expect(check.get_by_test_id("uncited")).to_contain_text(declined.case.docket)
    expect(check).to_contain_text("Choose the outcome to see the contrary authority")
    page.get_by_label("Outcome").select_option("approved")
    contrary = page.get_by_test_id("contrary").filter(has_text=declined.case.docket)
    expect(contrary).to_contain_text("Not addressed")
    page.get_by_label("Holding").fill("Flags a caseworker decides on may go ahead.")
    page.get_by_label("Rationale").fill("Each application is decided by a person.")
    page.get_by_role("button", name="Issue the decision").click()
    expect(page.locator(f"#answer-{declined.pk}-error")).to_contain_text("Cite it with a treatment")
    page.get_by_label(f"Why {declined.case.docket} does not apply").fill("That partner let the flags decide.")
    page.get_by_role("button", name="Issue the decision").click()
    expect(page.get_by_test_id("precedent-check-kept")).to_contain_text("That partner let the flags decide.")

    page.goto("/framework/provisions/RL-2/case-law/")
    expect(page.get_by_test_id("case-law-entry").filter(has_text="Caseworker flags, again")).to_be_visible()

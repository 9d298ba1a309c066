"""In a real browser: the "my work" landing page, a comment with an @mention swapped in by
htmx (and a refused one shown beside the field), and a partner reassessment."""

import pytest
from playwright.sync_api import expect

from casebook.services import case_file
from reviews.services import assignment_add, case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_discusses_a_case_and_reassesses_its_partner(sign_in, reviewer, decider, admin_user, framework, screenshot):
    partner = PartnerFactory(name="Harbour police")
    live = in_review(
        case_submit(case=case_file(by=reviewer, facts=case_facts(partner, title="Camera triage")), by=reviewer)
    )
    decision_issue(case=live, by=decider, outcome="approved", holding="Triage is allowed.", rationale="Logged.")
    filer = UserFactory(username="filer", roles=["reviewer"])
    case = case_submit(case=case_file(by=filer, facts=case_facts(partner, title="Dock rota planning")), by=filer)
    assignment_add(case=case, person=reviewer, duty="reviewer", by=admin_user)

    page = sign_in(reviewer)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(page.get_by_test_id("to-review")).to_contain_text("Dock rota planning")
    page.get_by_test_id("to-review").get_by_role("link", name=case.docket).click()
    url = page.url
    comments = page.get_by_test_id("comments")
    comments.get_by_label("Comment").fill("Does the rota touch RL-2, @ghost?")
    comments.get_by_role("button", name="Comment").click()
    expect(comments.locator(".usa-error-message")).to_have_text("Nobody here is called @ghost.")
    comments.get_by_label("Comment").fill("Does the rota touch RL-2, @decider?")
    comments.get_by_role("button", name="Comment").click()
    expect(comments.locator(".casebook-comment")).to_contain_text("Does the rota touch RL-2, @decider?")
    expect(comments.locator(".usa-error-message")).to_have_count(0)
    expect(comments.get_by_label("Comment")).to_have_value("")
    assert page.url == url  # swapped in place, no reload
    page.get_by_role("button", name="Sign out").click()

    sign_in(decider)
    expect(page.get_by_test_id("unread-count")).to_have_text("2")  # assigned to decide the first, mentioned
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("Riley Reviewer mentioned you")
    page.goto(f"/partners/{partner.pk}/")
    page.get_by_text("Open a reassessment of Harbour police").click()
    page.get_by_label("Why the partner is reassessed").fill("Cameras were reportedly turned on a protest.")
    page.get_by_role("button", name="Open the reassessment").click()
    expect(page.get_by_role("status")).to_contain_text("1 live engagement reopened")
    results = page.get_by_test_id("reassessment-results")
    expect(results).to_contain_text(live.docket)
    expect(results).to_contain_text("awaiting its new decision")
    screenshot("reassessment")
    page.goto("/")
    expect(page.get_by_test_id("reassessments")).to_contain_text(live.docket)

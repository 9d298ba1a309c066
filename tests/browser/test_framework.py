"""The framework pages in a real browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_framework_in_force(sign_in, reviewer, framework, screenshot):
    page = sign_in(reviewer)
    page.get_by_role("link", name="Framework", exact=True).click()
    expect(page.get_by_test_id("in-force")).to_contain_text("Revision 2, in force since 2 March 2026")
    expect(page.locator("#RL-1")).to_contain_text("commercially acquired personal or identifiable information")
    expect(page.get_by_role("heading", name="Red lines")).to_be_visible()
    # The stylesheet from npm is served by the app: USWDS styles the header.
    assert page.locator(".usa-header").evaluate("e => getComputedStyle(e).display") != "inline"
    screenshot("framework")


def test_it_compares_revisions_provision_by_provision(sign_in, reviewer, framework):
    page = sign_in(reviewer)
    page.goto("/framework/revisions/2/diff/")
    expect(page.get_by_test_id("diff-summary")).to_contain_text("From Revision 1 to Revision 2: 2 provisions differ")
    expect(page.locator("#diff-RL-1 ins").first).to_contain_text("commercially acquired")


def test_it_reads_the_framework_as_it_stood(sign_in, lawyer, framework):
    page = sign_in(lawyer)
    page.goto("/framework/")
    page.get_by_label("As of").fill("2026-02-28")
    page.get_by_role("button", name="Show as of this date").click()
    expect(page.get_by_test_id("in-force")).to_contain_text("Revision 1, in force on that date")
    expect(page.locator("#RL-1")).not_to_contain_text("commercially acquired")


def test_it_lets_an_admin_draft_edit_and_publish(sign_in, admin_user, framework, screenshot):
    page = sign_in(admin_user)
    page.goto("/framework/revisions/")
    page.get_by_role("link", name="Draft the next revision").click()
    page.get_by_label("Change summary").fill("Sharpen RL-2 on automated determinations.")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", name="Editing Revision 3")).to_be_visible()

    page.locator("#row-RL-2").get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_title-error")).to_have_text("This field is required.")
    page.get_by_label("Title").fill("High-stakes decisions without appropriate human judgment")
    body = page.get_by_label("Body")
    body.fill(body.input_value() + "\n\nThis includes automated eligibility determinations.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#row-RL-2")).to_contain_text("changed")

    page.get_by_role("link", name="Preview and publish").click()
    expect(page.locator("#diff-RL-2 ins").last).to_contain_text("automated eligibility determinations")
    # The changes come first, then what they touch, then the button.
    impact = "1 provision changes; no live decision rests on the old wording."
    expect(page.get_by_test_id("publish-impact")).to_have_text(impact)
    publish = page.get_by_role("button", name="Publish Revision 3")
    assert page.locator("#diff-RL-2").bounding_box()["y"] < page.get_by_test_id("publish-impact").bounding_box()["y"]
    assert page.get_by_test_id("publish-impact").bounding_box()["y"] < publish.bounding_box()["y"]
    screenshot("publish-preview")
    expect(page.get_by_label(re.compile("^Yes, publish Revision 3"))).to_be_hidden()  # the dialog asks instead
    publish.click()
    confirm = page.get_by_role("dialog")
    expect(confirm).to_contain_text(f"Publish Revision 3? {impact} Published texts can never be changed again.")
    confirm.get_by_role("button", name="Yes, publish Revision 3").click()
    expect(page.get_by_text("Revision 3 is published and in force.")).to_be_visible()
    page.get_by_role("link", name="Framework", exact=True).click()
    expect(page.get_by_test_id("in-force")).to_contain_text("Revision 3")

    # Choosing another revision to compare with swaps the diff in place (htmx).
    page.goto("/framework/revisions/3/diff/")
    expect(page.get_by_test_id("diff-summary")).to_contain_text("From Revision 2 to Revision 3: 1 provision differs")
    page.get_by_label("Compare with").select_option(label="Revision 1 (superseded)")
    expect(page.get_by_test_id("diff-summary")).to_contain_text("From Revision 1 to Revision 3: 3 provisions differ")
    expect(page).to_have_url(re.compile(r"/framework/revisions/3/diff/\?from=1$"))


def test_it_shows_each_role_only_its_navigation(sign_in, reviewer, framework):
    page = sign_in(reviewer)
    nav = page.get_by_role("navigation", name="Primary navigation")
    expect(nav.get_by_role("link", name="Framework")).to_be_visible()
    expect(nav.get_by_role("link", name="Audit log")).to_have_count(0)
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    page.goto("/framework/revisions/")
    expect(page.get_by_role("link", name="Draft the next revision")).to_have_count(0)


def test_it_serves_the_api_docs_without_a_cdn(sign_in, overseer, page):
    sign_in(overseer)
    page.goto("/api/docs/")
    expect(page.get_by_text("/api/revisions/{number}/publish/").first).to_be_visible()

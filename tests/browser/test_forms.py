"""Forms in a real browser: a form sent back with errors puts the focus on its summary, and
each of the summary's links takes the focus to its field."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_error_summary_takes_the_focus_and_leads_to_each_field(sign_in, reviewer, framework):
    page = sign_in(reviewer)
    page.goto("/cases/new/")
    page.get_by_role("button", name="Save draft").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Title: This field is required.").click()
    expect(page.get_by_label("Title")).to_be_focused()

"""The dashboard in a real browser, on the demo casebook: every chart drawn, its table
beside it, nothing the CSP refuses."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_oversight_reads_the_board_s_figures(sign_in, page, personas, overseer, screenshot):
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    sign_in(overseer)
    page.get_by_role("link", name="Dashboard").click()
    for name in ("caseload", "outcomes", "outcomes-by-mission", "opinions", "time", "conditions", "impact", "flags"):
        chart = page.get_by_test_id(f"chart-{name}")
        expect(chart.locator("svg").first).to_be_visible()
        expect(page.get_by_test_id(f"table-{name}").locator("tbody tr").first).to_be_visible()
    expect(page.get_by_test_id("table-outcomes")).to_contain_text("RL-")
    page.get_by_test_id("chart-caseload").scroll_into_view_if_needed()
    screenshot("dashboard")

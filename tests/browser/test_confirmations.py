"""What cannot be taken back asks first, in a real browser: withdrawing a case, retiring a
provision and discarding a draft revision ask in a dialog, and do nothing on Cancel or
Escape; without JavaScript, the box beside the button must be ticked instead."""

import re

import pytest
from playwright.sync_api import expect

from casebook.models import Case
from casebook.services import case_file
from principles import services as framework_services
from principles.models import Revision
from reviews.services import case_submit
from tests.conftest import PASSWORD
from tests.factories import PartnerFactory, case_facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted(reviewer, framework):
    return case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)


def test_it_asks_before_withdrawing_a_case(sign_in, reviewer, submitted):
    page = sign_in(reviewer)
    page.goto(f"/cases/{submitted.pk}/")
    expect(page.get_by_label(re.compile("^Yes, withdraw"))).to_be_hidden()  # the dialog asks instead
    page.get_by_role("button", name="Withdraw").click()
    confirm = page.get_by_role("dialog")
    expect(confirm).to_contain_text(f"Withdraw {submitted.docket}? A withdrawn case leaves review for good")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    assert Case.objects.get(pk=submitted.pk).status == "submitted"

    page.get_by_role("button", name="Withdraw").click()
    confirm.get_by_role("button", name="Yes, withdraw").click()
    expect(page.get_by_role("status")).to_contain_text(f"{submitted.docket} is withdrawn.")
    assert Case.objects.get(pk=submitted.pk).status == "withdrawn"


def test_it_asks_before_retiring_a_provision_or_discarding_a_draft(sign_in, admin_user, framework):
    framework_services.revision_draft(by=admin_user, change_summary="Sharpen RL-2.")
    page = sign_in(admin_user)
    page.goto("/framework/revisions/3/edit/")
    page.get_by_role("button", name="Retire RL-2").click()
    confirm = page.get_by_role("dialog")
    expect(confirm).to_contain_text("Retire RL-2 (")
    expect(confirm).to_contain_text("from Revision 3? Its wording leaves the draft")
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(page.locator("#row-RL-2")).to_be_visible()

    page.get_by_role("button", name="Retire RL-2").click()
    confirm.get_by_role("button", name="Yes, retire RL-2").click()
    expect(page.get_by_role("status")).to_contain_text("RL-2 retired in Revision 3.")
    expect(page.locator("#row-RL-2")).to_have_count(0)

    page.get_by_role("button", name="Discard this draft").click()
    expect(confirm).to_contain_text("Discard the draft of Revision 3? Every change made in it is deleted")
    confirm.get_by_role("button", name="Yes, discard this draft").click()
    expect(page.get_by_role("status")).to_contain_text("The draft of Revision 3 was discarded.")
    assert not Revision.objects.filter(number=3).exists()


def test_without_javascript_the_box_must_be_ticked(browser, live_server, reviewer, submitted):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(reviewer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/cases/{submitted.pk}/")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was withdrawn: tick the box to confirm it.")
    assert Case.objects.get(pk=submitted.pk).status == "submitted"
    page.get_by_label(f"Yes, withdraw {submitted.docket} for good").check()
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("status")).to_contain_text(f"{submitted.docket} is withdrawn.")
    context.close()

"""Forms that help: one sent back with errors says so at the top, each line leading to its
field; filing a case shows where the draft stands."""

from django.test import Client

from casebook.services import case_file
from tests.factories import PartnerFactory, case_facts


def test_a_form_with_errors_leads_from_its_summary_to_each_field(reviewer, framework):
    client = Client()
    client.force_login(reviewer)
    html = client.post("/cases/new/", {"title": ""}).content.decode()
    summary = html[html.index('data-testid="error-summary"') :]
    assert "Please correct these" in summary
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert "js/forms" in html  # which puts the focus on it


def test_filing_shows_where_the_draft_stands(reviewer, framework):
    client = Client()
    client.force_login(reviewer)
    new = client.get("/cases/new/").content.decode()
    assert 'data-testid="filing-steps"' in new and 'usa-step-indicator__segment--current" aria-current="true">' in new
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory()))
    tags = client.get(f"/cases/{case.pk}/tags/").content.decode()
    assert tags.count("usa-step-indicator__segment--complete") == 1
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert page.count("usa-step-indicator__segment--complete") == 2

"""A form sent back with errors says so at the top, each line leading to its field."""

from django.test import Client


def test_a_form_with_errors_leads_from_its_summary_to_each_field(reviewer, framework):
    client = Client()
    client.force_login(reviewer)
    html = client.post("/cases/new/", {"title": ""}).content.decode()
    summary = html[html.index('data-testid="error-summary"') :]
    assert "Please correct these" in summary
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert "js/forms" in html  # which puts the focus on it

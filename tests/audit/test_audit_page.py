"""The audit log's page: filters in plain words, and each entry's object a link to its page
(which decides again who may see it)."""

from django.test import Client

from casebook.services import case_file
from tests.factories import PartnerFactory, case_facts


def test_it_links_each_object_to_its_page_and_labels_its_filters(reviewer, overseer, framework):
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Harbour cameras"))
    client = Client()
    client.force_login(overseer)
    html = client.get("/audit/?action=case.").content.decode()
    assert f'<a href="/cases/{case.pk}/">' in html
    assert "From (UTC)" in html and "Before (UTC)" in html and "Kind of object" in html
    assert "is greater than or equal to" not in html
    revision = client.get("/audit/?object_type=principles.revision").content.decode()
    assert '<a href="/framework/revisions/' in revision

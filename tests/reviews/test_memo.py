"""The printable decision memo for the partner-facing team."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.services import case_file
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

DECISION = {
    "outcome": "approved_with_conditions",
    "holding": "Summaries of public vulnerability reports for defenders cross no red line.",
    "rationale": "The data are public and a person acts on every summary.",
    "public_digest": "Approved for cyber defence, with audit logs.",
    "conditions": [{"text": "Keep audit logs of every request for a year.", "owner": "Partner CISO"}],
}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def decided(reviewer, decider, framework):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(name="DARPA"))), by=reviewer)
    return decision_issue(case=in_review(case), by=decider, **DECISION)


def test_it_prints_the_decision_as_a_memo(decided, lawyer):
    page = signed_in(lawyer).get(f"/decisions/{decided.pk}/memo/").content.decode()
    for expected in (
        decided.case.docket,
        "DARPA",
        "Approved with conditions",
        DECISION["holding"],
        "Keep audit logs of every request for a year.",
        "Partner CISO",
        DECISION["public_digest"],
        "Revision 2",
        "Internal: for the partner-facing team",
    ):
        assert expected in page
    assert "No longer in force" not in page


def test_it_marks_a_superseded_decision(decided, decider, lawyer):
    decision_issue(
        case=in_review(decided.case), by=decider, outcome="suspended", holding="Suspended.", rationale="Breach."
    )
    page = signed_in(lawyer).get(f"/decisions/{decided.pk}/memo/").content.decode()
    assert "No longer in force: superseded" in page and "decision of suspended" in page


def test_it_links_the_memo_from_the_case_page(decided, lawyer):
    page = signed_in(lawyer).get(f"/cases/{decided.case_id}/").content.decode()
    assert f"/decisions/{decided.pk}/memo/" in page


def test_it_keeps_a_restricted_memo_to_the_need_to_know_list(reviewer, decider, lawyer, overseer, framework):
    cleared = UserFactory(username="cleared-counsel", roles=["legal"])
    facts = case_facts(PartnerFactory(), restricted=True, access_list=[decider, cleared])
    case = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
    decision = decision_issue(case=in_review(case), by=decider, **DECISION)
    url = f"/decisions/{decision.pk}/memo/"
    assert signed_in(lawyer).get(url).status_code == 404
    page = signed_in(cleared).get(url)
    assert page.status_code == 200 and "Restricted: need-to-know" in page.content.decode()
    assert signed_in(overseer).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="case.restricted_read", actor=overseer).count() == 1
    assert AuditEvent.objects.filter(action="access.denied", actor=lawyer).count() == 1


def pdf_text(response) -> str:
    import io

    from pypdf import PdfReader

    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_memo_downloads_as_a_pdf_with_the_line_to_cite_it_by(decided, lawyer):
    text = pdf_text(signed_in(lawyer).get(f"/decisions/{decided.pk}/memo.pdf"))
    assert f"Cite as: {decided.case.docket} (approved with conditions" in " ".join(text.split())
    assert "Keep audit logs of every request for a year." in " ".join(text.split())
    page = signed_in(lawyer).get(f"/decisions/{decided.pk}/memo/").content.decode()
    assert 'data-testid="cite-as"' in page and f"/decisions/{decided.pk}/memo.pdf" in page


def test_the_case_record_downloads_as_a_pdf_as_far_as_the_reader_may_see(decided, reviewer, decider, lawyer, framework):
    text = " ".join(pdf_text(signed_in(lawyer).get(f"/cases/{decided.case_id}/record.pdf")).split())
    assert decided.case.docket in text and DECISION["public_digest"] in text and "Partner CISO" in text
    assert (
        f"/cases/{decided.case_id}/record.pdf" in signed_in(lawyer).get(f"/cases/{decided.case_id}/").content.decode()
    )
    facts = case_facts(PartnerFactory(), restricted=True, access_list=[decider])
    secret = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
    assert signed_in(lawyer).get(f"/cases/{secret.pk}/record.pdf").status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=lawyer).count() == 1

"""Filing and reading cases in the browser's pages (without the browser)."""

import threading

import pytest
from django.db import connections
from django.test import Client

from casebook.models import Case
from casebook.services import case_file
from principles.models import Provision
from reviews.services import case_submit
from tests.factories import PartnerFactory, case_facts, in_review


def page_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Aid agency")


def form_data(partner, **overrides):
    return {
        "title": "Drafting grant correspondence",
        "partner": partner.pk,
        "mission_area": "administration",
        "proposed_use": "Staff draft routine letters to grantees; a person reviews each letter before it is sent.",
        "architecture": "cloud_only",
        "data_involved": ["non_personal"],
        "human_judgment": "human_decides_each",
        "force_proximity": "none",
        "safeguards": [Provision.objects.get(code="S-3").pk],
        **overrides,
    }


def test_it_files_a_draft_and_submits_it(reviewer, partner, framework):
    client = page_client(reviewer)
    assert client.get("/cases/new/").status_code == 200
    saved = client.post("/cases/new/", form_data(partner))
    case = Case.objects.get()
    assert saved["Location"] == f"/cases/{case.pk}/"
    assert client.post(f"/cases/{case.pk}/submit/").status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert Case.objects.get().docket in page and "Submitted" in page


def test_it_shows_errors_beside_the_fields_and_keeps_the_text(reviewer, partner, framework):
    response = page_client(reviewer).post("/cases/new/", form_data(partner, title="", architecture="submarine"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title-error"' in page and 'id="id_architecture-error"' in page
    assert "a person reviews each letter before it is sent." in page
    assert not Case.objects.exists()


def test_it_lets_only_reviewers_file(personas, framework):
    for name, user in personas.items():
        expected = 200 if name == "reviewer" else 403
        assert page_client(user).get("/cases/new/").status_code == expected, name


def test_it_answers_409_to_editing_a_decided_case(reviewer, partner, framework):
    case = case_file(by=reviewer, facts=case_facts(partner))
    Case.objects.filter(pk=case.pk).update(status="decided")
    assert page_client(reviewer).get(f"/cases/{case.pk}/edit/").status_code == 409


def test_it_filters_the_case_list(reviewer, framework):
    for title, area in [("Cyber triage", "cyber_defense"), ("Shipping schedules", "logistics")]:
        case_submit(
            case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title, mission_area=area)), by=reviewer
        )
    page = page_client(reviewer).get("/cases/?mission_area=logistics").content.decode()
    assert "Shipping schedules" in page and "Cyber triage" not in page


def test_it_lets_admins_manage_partners_in_pages(admin_user, reviewer):
    client = page_client(admin_user)
    assert (
        client.post(
            "/partners/new/", {"name": "Coast guard", "kind": "law_enforcement", "country": "United States"}
        ).status_code
        == 302
    )
    assert page_client(reviewer).get("/partners/").status_code == 200
    assert page_client(reviewer).get("/partners/new/").status_code == 403


@pytest.mark.postgres
@pytest.mark.resilience
def test_it_issues_unique_dockets_under_concurrent_submission(transactional_db, reviewer, framework):
    partner = PartnerFactory()
    drafts = [case_file(by=reviewer, facts=case_facts(partner, title=f"Case {n}")) for n in range(8)]
    barrier = threading.Barrier(len(drafts))

    def submit(case):
        try:
            barrier.wait()
            case_submit(case=case, by=reviewer)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(case,)) for case in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    dockets = sorted(Case.objects.values_list("docket", flat=True))
    year = Case.objects.first().submitted_at.year
    assert dockets == [f"NS-{year}-{n:04d}" for n in range(1, 9)]


def test_it_filters_by_outcome_and_by_provision_and_stance(reviewer, decider, framework, api_as):
    from casebook.services import case_set_tags
    from reviews.services import decision_issue

    def decided(title, outcome, stance):
        case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title))
        case_set_tags(case=case, by=reviewer, tags=[{"code": "RL-1", "stance": stance}])
        case = case_submit(case=case, by=reviewer)
        case = in_review(case, opinions=(outcome, outcome))
        decision_issue(case=case, by=decider, outcome=outcome, holding=f"{title}.", rationale="Because.")

    decided("Declined surveillance", "declined", "crossed")
    decided("Approved summaries", "approved", "not_implicated")
    client = api_as(reviewer)

    def titles(query):
        return sorted(c["title"] for c in client.get(f"/api/cases/?{query}").json()["results"])

    assert titles("outcome=declined") == ["Declined surveillance"]
    assert titles("provision=RL-1&stance=crossed") == ["Declined surveillance"]
    assert titles("provision=RL-1") == ["Approved summaries", "Declined surveillance"]
    assert titles("provision=RL-2&stance=crossed") == []
    page = page_client(reviewer).get("/cases/?stance=not_implicated").content.decode()
    assert "Approved summaries" in page and "Declined surveillance" not in page

"""A restricted case does not exist for anyone not cleared for it: not on any route, in
any list or count. Drafts are their filer's alone."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.services import case_file
from reviews.services import case_submit
from tests.factories import PartnerFactory, UserFactory, case_facts


@pytest.fixture
def cleared(db):
    return UserFactory(username="cleared", roles=["legal"])


@pytest.fixture
def restricted(reviewer, cleared, framework):
    partner = PartnerFactory(name="Signals intelligence agency")
    case = case_file(
        by=reviewer, facts=case_facts(partner, title="Bulk signals triage", restricted=True, access_list=[cleared])
    )
    return case_submit(case=case, by=reviewer)


@pytest.fixture
def open_case(reviewer, framework):
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(name="Aid agency"), title="Grant paperwork"))
    return case_submit(case=case, by=reviewer)


def page_client(user):
    client = Client()
    client.force_login(user)
    return client


UNCLEARED = ["decider", "lawyer", "admin"]


@pytest.mark.parametrize("persona", UNCLEARED)
def test_it_answers_404_everywhere_to_the_uncleared(personas, restricted, open_case, api_as, persona):
    user = personas[persona]
    pages, api = page_client(user), api_as(user)
    assert pages.get(f"/cases/{restricted.pk}/").status_code == 404
    assert api.get(f"/api/cases/{restricted.pk}/").status_code == 404
    listing = pages.get("/cases/").content.decode()
    assert "Bulk signals triage" not in listing and "Grant paperwork" in listing
    assert "1 case" in listing
    results = api.get("/api/cases/").json()
    assert results["count"] == 1 and [c["title"] for c in results["results"]] == ["Grant paperwork"]
    assert api.get(f"/api/cases/?partner={restricted.partner_id}").json()["count"] == 0
    assert api.get("/api/cases/?q=signals").json()["count"] == 0
    assert AuditEvent.objects.filter(action="access.denied", actor=user).count() == 2


def test_it_shows_the_case_to_its_access_list_and_filer(restricted, reviewer, cleared, api_as):
    for user in (reviewer, cleared):
        assert page_client(user).get(f"/cases/{restricted.pk}/").status_code == 200
        assert api_as(user).get("/api/cases/").json()["count"] == 1
    assert not AuditEvent.objects.filter(action="case.restricted_read").exists()


def test_it_logs_each_oversight_read_of_a_restricted_case(restricted, overseer, api_as):
    assert page_client(overseer).get(f"/cases/{restricted.pk}/").status_code == 200
    assert api_as(overseer).get(f"/api/cases/{restricted.pk}/").status_code == 200
    reads = AuditEvent.objects.filter(action="case.restricted_read", actor=overseer, object_id=str(restricted.pk))
    assert reads.count() == 2


def test_it_keeps_drafts_to_their_filer(reviewer, decider, framework, api_as):
    draft = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Half-written"))
    assert page_client(decider).get(f"/cases/{draft.pk}/").status_code == 404
    assert api_as(decider).get("/api/cases/").json()["count"] == 0
    assert page_client(reviewer).get(f"/cases/{draft.pk}/").status_code == 200


def test_it_lets_only_the_filer_change_or_submit(open_case, reviewer, api_as):
    other = UserFactory(username="reviewer2", roles=["reviewer"])
    assert page_client(other).get(f"/cases/{open_case.pk}/edit/").status_code == 403
    assert page_client(other).post(f"/cases/{open_case.pk}/submit/").status_code == 403
    assert api_as(other).patch(f"/api/cases/{open_case.pk}/", {"title": "Mine now"}, format="json").status_code == 403
    open_case.refresh_from_db()
    assert open_case.title == "Grant paperwork"


def test_it_keeps_cases_from_users_without_a_role(outsider, open_case, api_as):
    assert page_client(outsider).get("/cases/").status_code == 403
    assert api_as(outsider).get("/api/cases/").status_code == 403


def test_it_keeps_a_draft_withdrawn_before_submission_its_filers(reviewer, lawyer, framework, api_as):
    from reviews.services import case_withdraw

    draft = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Unfinished harbour draft"))
    case_withdraw(case=draft, by=reviewer)
    assert page_client(lawyer).get(f"/cases/{draft.pk}/").status_code == 404
    assert "Unfinished harbour draft" not in page_client(lawyer).get("/cases/").content.decode()
    assert api_as(lawyer).get("/api/search/", {"q": "harbour"}).json()["count"] == 0
    assert page_client(reviewer).get(f"/cases/{draft.pk}/").status_code == 200


def test_the_audit_log_shows_an_admin_nothing_of_a_case_kept_from_them(restricted, open_case, admin_user, overseer):
    about = {"object_type": "casebook.case", "object_id": restricted.pk}
    assert AuditEvent.objects.filter(**about).count() == 2  # filed, submitted
    for user, shown in ((admin_user, False), (overseer, True)):
        client = page_client(user)
        listing = client.get("/audit/").content.decode()
        assert ("Bulk signals triage" in listing) is shown and "Grant paperwork" in listing
        api = client.get("/api/audit/", about).json()
        assert api["count"] == (2 if shown else 0)
        titles = " ".join(str(e) for e in client.get("/api/audit/", {"page_size": 500}).json()["results"])
        assert ("Bulk signals triage" in titles) is shown
        entry = AuditEvent.objects.filter(**about).first()
        assert client.get(f"/api/audit/{entry.pk}/").status_code == (200 if shown else 404)
    admin_list = page_client(admin_user).get("/admin/audit/auditevent/").content.decode()
    assert "Bulk signals triage" not in admin_list and "Grant paperwork" in admin_list


def test_denials_go_on_the_record_up_to_a_limit_a_minute(restricted, lawyer, monkeypatch):
    from audit import denials

    monkeypatch.setattr(denials, "DENIALS_PER_MINUTE", 3)
    pages = page_client(lawyer)
    assert all(pages.get(f"/cases/{restricted.pk}/").status_code == 404 for _ in range(6))
    mine = AuditEvent.objects.filter(actor=lawyer)
    assert mine.filter(action="access.denied").count() == 3
    assert mine.filter(action="access.denials_throttled").count() == 1


def test_anonymous_denials_are_limited_per_address_not_all_together(db, monkeypatch):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from audit import denials

    monkeypatch.setattr(denials, "DENIALS_PER_MINUTE", 2)

    def denied_from(address):
        request = RequestFactory().get("/framework/revisions/9/", REMOTE_ADDR=address)
        request.user = AnonymousUser()
        denials.record_denial(request, "revision-detail")

    for _ in range(5):
        denied_from("198.51.100.7")
    denied_from("192.0.2.1")  # someone else is still on the record
    recorded = AuditEvent.objects.filter(action="access.denied")
    assert [e.after["address"] for e in recorded.order_by("id")] == ["198.51.100.7"] * 2 + ["192.0.2.1"]
    assert AuditEvent.objects.filter(action="access.denials_throttled").count() == 1


def test_no_answer_is_kept_by_a_cache(restricted, cleared, api_as):
    page = page_client(cleared).get(f"/cases/{restricted.pk}/")
    api = api_as(cleared).get(f"/api/cases/{restricted.pk}/")
    for response in (page, api):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_every_route_showing_oversight_a_restricted_case_puts_the_read_on_the_record(
    reviewer, decider, lawyer, overseer, framework, api_as
):
    from tests.notifications.test_notifications import decide

    decision = decide(reviewer, decider, title="Covert harbour sensors", restricted=True, access_list=[lawyer])
    case, condition = decision.case, decision.conditions.first()
    pages, api = page_client(overseer), api_as(overseer)
    routes = {
        "the case list": lambda: pages.get("/cases/"),
        "the API's case list": lambda: api.get("/api/cases/"),
        "precedent search": lambda: pages.get("/search/", {"q": "harbour"}),
        "the API's precedent search": lambda: api.get("/api/search/", {"q": "harbour"}),
        "a citation graph": lambda: api.get(f"/api/decisions/{decision.pk}/graph/"),
        "a condition": lambda: api.get(f"/api/conditions/{condition.pk}/"),
        "the partner's page": lambda: pages.get(f"/partners/{case.partner_id}/"),
    }
    for via, read in routes.items():
        response = read()
        assert response.status_code == 200, via
        # A condition is restricted content of its case without naming it; the rest show it.
        assert via == "a condition" or "Covert harbour sensors" in response.content.decode(), via
        entry = AuditEvent.objects.filter(action="case.restricted_read", actor=overseer).last()
        assert entry.object_id == str(case.pk) and entry.after == {"via": via}, via
    # Someone cleared for the case reads it without an entry: only oversight's reads are logged.
    before = AuditEvent.objects.filter(action="case.restricted_read").count()
    page_client(lawyer).get("/cases/")
    assert AuditEvent.objects.filter(action="case.restricted_read").count() == before


def test_no_entry_about_a_restricted_case_reaches_the_log_of_someone_kept_from_it(
    reviewer, decider, admin_user, overseer, framework, api_as
):
    """Entries whose record is another (a condition, a similarity mark, a partner) but which
    concern a restricted case are kept from its outsiders as the case's own entries are."""
    from casebook.models import Case
    from precedent.services import similarity_mark
    from reviews.services import condition_update, reassessment_open
    from tests.notifications.test_notifications import decide

    cleared_admin = UserFactory(username="admin2", roles=["admin"])
    hidden = decide(
        reviewer, decider, title="Harbour sonar triage", restricted=True, access_list=[decider, cleared_admin]
    )
    shown = decide(reviewer, decider, title="Grant paperwork")
    condition_update(condition=hidden.conditions.first(), by=decider, status="met", evidence="Sonar logs kept.")
    similarity_mark(case=shown.case, similar_case_id=hidden.case_id, by=reviewer, reason="Other waters.")
    reassessment_open(partner=hidden.case.partner, by=decider, reasons="Partner under investigation.")
    docket = hidden.case.docket

    def log_seen_by(user) -> str:
        entries = api_as(user).get("/api/audit/", {"page_size": 500}).json()["results"]
        return " ".join(str(entry) for entry in entries) + page_client(user).get("/audit/").content.decode()

    log = log_seen_by(admin_user)
    assert docket not in log and "Harbour sonar" not in log and "Sonar logs" not in log
    assert "Grant paperwork" in log
    for user in (overseer, cleared_admin):
        assert docket in log_seen_by(user) and "Sonar logs" in log_seen_by(user), user

    # An entry about a case since deleted is for those who see every case only.
    draft = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Unsent lagoon survey"))
    Case.objects.filter(pk=draft.pk).delete()
    assert "lagoon" not in log_seen_by(admin_user) and "lagoon" in log_seen_by(overseer)

"""Partner reassessment: every live engagement with the partner reopens together, its people
are told, each ends in a new decision, and the partner page keeps the history."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from audit.models import AuditEvent
from casebook.models import Case
from casebook.services import case_file
from notifications.models import Notification
from reviews.models import Reassessment
from reviews.services import case_start_review, case_submit, decision_issue, reassessment_open
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

REASONS = "Reported use of analytics against journalists; F-2 and F-4 are in question."


def decided(reviewer, decider, partner, title, outcome="approved", **facts):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(partner, title=title, **facts)), by=reviewer)
    decision_issue(case=in_review(case), by=decider, outcome=outcome, holding=f"{title} holds.", rationale="Why.")
    case.refresh_from_db()
    return case


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Ministry of the Interior", kind="foreign_government", country="Freedonia")


@pytest.fixture
def engagements(reviewer, decider, partner, framework):
    """Two live engagements, one that was declined (not live), one still in review, and a
    live engagement with another partner."""
    return {
        "translation": decided(reviewer, decider, partner, "Translation of border paperwork"),
        "logistics": decided(reviewer, decider, partner, "Fleet logistics", outcome="narrowed"),
        "declined": decided(reviewer, decider, partner, "Protest monitoring", outcome="declined"),
        "pending": case_submit(
            case=case_file(by=reviewer, facts=case_facts(partner, title="Visa triage")), by=reviewer
        ),
        "other": decided(reviewer, decider, PartnerFactory(name="Aid agency"), "Grant paperwork"),
    }


def test_it_reopens_every_live_engagement_and_tells_its_people(engagements, partner, admin_user, api_as):
    url = f"/api/partners/{partner.pk}/reassessments/"
    response = api_as(admin_user).post(url, {"reasons": REASONS}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["is_open"] and body["opened_by"] == "admin" and body["reasons"] == REASONS
    live = [engagements["translation"], engagements["logistics"]]
    assert sorted(e["docket"] for e in body["engagements"]) == sorted(c.docket for c in live)
    assert all(e["decision"] is None for e in body["engagements"])
    for name, status in [
        ("translation", "reopened"),
        ("logistics", "reopened"),
        ("declined", "decided"),
        ("pending", "submitted"),
        ("other", "decided"),
    ]:
        engagements[name].refresh_from_db()
        assert engagements[name].status == status, name
    told = Notification.objects.filter(kind="reassessment_opened")
    assert sorted((n.recipient.username, n.case_id) for n in told) == sorted(
        (person, case.pk) for case in live for person in ("decider", "reviewer")
    )
    assert "Ministry of the Interior is under reassessment" in told.first().message
    assert not Notification.objects.filter(kind="reassessment_opened", recipient=admin_user).exists()
    assert AuditEvent.objects.filter(action="partner.reassessment_opened").count() == 1
    assert AuditEvent.objects.filter(action="case.reopened").count() == 2


def test_each_engagement_ends_in_a_new_decision_and_the_history_shows_it(engagements, partner, decider):
    reassessment = reassessment_open(partner=partner, by=decider, reasons=REASONS)
    for name, outcome in (("translation", "suspended"), ("logistics", "terminated")):
        case = case_start_review(case=engagements[name], by=decider)
        decision_issue(case=case, by=decider, outcome=outcome, holding="Paused.", rationale="The reassessment.")
        assert reassessment.is_open_for(Case.objects.all()) == (name == "translation")
    page = Client()
    page.force_login(decider)
    html = page.get(f"/partners/{partner.pk}/").content.decode()
    assert "Concluded" in html and "<strong>suspended</strong>" in html and "<strong>terminated</strong>" in html
    assert REASONS in html
    # Concluded, so the partner can be reassessed again.
    assert reassessment_open(partner=partner, by=decider, reasons="Again.").cases.count() == 0


def test_it_refuses_empty_reasons_and_lets_a_new_concern_join_an_open_one(
    engagements, partner, reviewer, decider, admin_user, api_as
):
    api = api_as(admin_user)
    url = f"/api/partners/{partner.pk}/reassessments/"
    assert api.post(url, {"reasons": "  "}, format="json").json() == {"reasons": ["This field may not be blank."]}
    assert api.post(url, {"reasons": REASONS}, format="json").status_code == 201
    fresh = decided(reviewer, decider, partner, "Coastguard rota", outcome="approved")
    second = api.post(url, {"reasons": "A second concern."}, format="json").json()
    assert sorted(e["docket"] for e in second["engagements"]) == sorted(
        [engagements["translation"].docket, engagements["logistics"].docket, fresh.docket]
    )
    fresh.refresh_from_db()
    assert fresh.status == "reopened" and Reassessment.objects.count() == 2
    joined = Notification.objects.filter(case=engagements["translation"], message__contains="joins the reassessment")
    assert joined.exists()


@pytest.mark.parametrize(("persona", "code"), [("reviewer", 403), ("lawyer", 403), ("overseer", 403), ("admin", 201)])
def test_only_admins_and_decision_makers_open_one(engagements, partner, personas, api_as, persona, code):
    url = f"/api/partners/{partner.pk}/reassessments/"
    assert api_as(personas[persona]).post(url, {"reasons": REASONS}, format="json").status_code == code
    with pytest.raises(PermissionDenied):
        reassessment_open(partner=partner, by=personas["lawyer"], reasons=REASONS)


def test_it_reopens_a_restricted_engagement_without_revealing_it(reviewer, decider, admin_user, partner, framework):
    cleared = UserFactory(username="cleared", roles=["legal"])
    secret = decided(
        reviewer, decider, partner, "Covert source vetting", restricted=True, access_list=[cleared, decider]
    )
    open_one = decided(reviewer, decider, partner, "Open-source digest")
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(f"/partners/{partner.pk}/reassess/", {"reasons": REASONS})
    assert response.status_code == 302
    secret.refresh_from_db()
    assert secret.status == "reopened"  # reopened all the same
    html = admin.get(f"/partners/{partner.pk}/", follow=True).content.decode()
    assert "1 live engagement reopened" in html and "Covert source vetting" not in html and secret.docket not in html
    assert open_one.docket in html
    listed = admin.get(f"/api/partners/{partner.pk}/reassessments/").json()
    assert [e["docket"] for e in listed[0]["engagements"]] == [open_one.docket]
    mine = Client()
    mine.force_login(cleared)
    assert "Covert source vetting" in mine.get(f"/partners/{partner.pk}/").content.decode()
    # Once the one engagement the admin may see is decided, it is concluded as far as they
    # can know: the restricted one still waiting shows to nobody else.
    case_start_review(case=open_one, by=admin_user)
    decision_issue(case=open_one, by=decider, outcome="suspended", holding="Paused.", rationale="Reassessment.")
    assert "Concluded" in admin.get(f"/partners/{partner.pk}/").content.decode()
    assert admin.get(f"/api/partners/{partner.pk}/reassessments/").json()[0]["is_open"] is False
    assert "Open" in mine.get(f"/partners/{partner.pk}/").content.decode()
    assert 'data-testid="reassessments"' not in admin.get("/").content.decode()


def test_a_refused_reassessment_comes_back_with_the_error_beside_the_field(partner, admin_user):
    page = Client()
    page.force_login(admin_user)
    response = page.post(f"/partners/{partner.pk}/reassess/", {"reasons": ""})
    assert response.status_code == 200
    assert "usa-error-message" in response.content.decode() and not Reassessment.objects.exists()


def test_every_case_of_the_partner_says_it_is_under_reassessment(engagements, partner, decider, reviewer):
    reassessment_open(partner=partner, by=decider, reasons=REASONS)
    page = Client()
    page.force_login(reviewer)
    for name in ("translation", "pending"):
        html = page.get(f"/cases/{engagements[name].pk}/").content.decode()
        assert 'data-testid="under-reassessment"' in html and "is under reassessment since" in html, name
    assert 'data-testid="under-reassessment"' not in page.get(f"/cases/{engagements['other'].pk}/").content.decode()

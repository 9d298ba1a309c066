"""Assignment and recusal: who may assign whom, one accountable decision-maker, and a
recused person out of the case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from audit.models import AuditEvent
from casebook.models import Assignment, Decision
from casebook.services import case_file
from notifications.models import Notification
from reviews.services import assignment_add, case_start_review, case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts

DECISION = {"outcome": "approved", "holding": "Public summaries cross no red line.", "rationale": "Public."}


@pytest.fixture
def submitted(reviewer, framework):
    return case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)


def assign(api, case, person, duty):
    return api.post(f"/api/cases/{case.pk}/assignments/", {"person": person, "duty": duty}, format="json")


def test_it_assigns_reviewers_and_one_decision_maker_and_tells_them(submitted, admin_user, decider, api_as):
    second = UserFactory(username="reviewer2", roles=["reviewer"])
    api = api_as(admin_user)
    assert assign(api, submitted, "reviewer2", "reviewer").status_code == 201
    assert assign(api, submitted, "decider", "decision_maker").status_code == 201
    listed = api.get(f"/api/cases/{submitted.pk}/assignments/").json()
    assert [(a["person"], a["duty"]) for a in listed] == [("reviewer2", "reviewer"), ("decider", "decision_maker")]
    assert Notification.objects.filter(kind="assigned", recipient__in=[second, decider]).count() == 2
    assert AuditEvent.objects.filter(action="case.assigned").count() == 2


@pytest.mark.parametrize(
    ("person", "duty", "code", "message"),
    [
        ("lawyer", "reviewer", 400, "does not hold the reviewer role"),
        ("reviewer", "decision_maker", 400, "does not hold the decision-maker role"),
        ("nobody", "reviewer", 400, "does not exist"),
        ("decider", "overlord", 400, "is not a valid choice"),
    ],
)
def test_it_refuses_a_wrong_assignment_with_field_errors(
    submitted, admin_user, lawyer, api_as, person, duty, code, message
):
    response = assign(api_as(admin_user), submitted, person, duty)
    assert response.status_code == code and message in str(response.json())
    assert not Assignment.objects.exists()


def test_it_never_makes_the_filer_the_decision_maker(framework, admin_user, api_as):
    both = UserFactory(username="both", roles=["reviewer", "decision-maker"])
    case = case_submit(case=case_file(by=both, facts=case_facts(PartnerFactory())), by=both)
    response = assign(api_as(admin_user), case, "both", "decision_maker")
    assert response.status_code == 400 and "filer of a case cannot decide it" in str(response.json())


def test_it_never_makes_the_filer_a_reviewer_of_their_own_case(submitted, reviewer, admin_user, api_as):
    with pytest.raises(ValidationError) as refused:
        assignment_add(case=submitted, person=reviewer, duty="reviewer", by=admin_user)
    assert refused.value.message_dict == {"person": ["The filer of a case cannot review it."]}
    response = assign(api_as(admin_user), submitted, "reviewer", "reviewer")
    assert response.status_code == 400 and response.json() == {"person": ["The filer of a case cannot review it."]}
    assert not Assignment.objects.exists()


def test_it_does_not_offer_the_filer_in_the_assignment_form(submitted, reviewer, decider, admin_user):
    page = Client()
    page.force_login(admin_user)
    offered = page.get(f"/cases/{submitted.pk}/").context["assign_form"].fields["person"].queryset
    assert decider in offered and reviewer not in offered
    refused = page.post(f"/cases/{submitted.pk}/assign/", {"person": reviewer.pk, "duty": "reviewer"}, follow=True)
    assert "Choose a person and a duty." in refused.content.decode()
    assert not Assignment.objects.exists()


def test_the_assignment_form_offers_people_by_name_and_what_they_do(submitted, admin_user):
    UserFactory(username="rsecond", first_name="Robin", last_name="Second", roles=["reviewer"])
    page = Client()
    page.force_login(admin_user)
    html = page.get(f"/cases/{submitted.pk}/").content.decode()
    assert ">Robin Second (reviewer)</option>" in html and ">rsecond</option>" not in html


def test_it_keeps_one_accountable_decision_maker(submitted, admin_user, decider, api_as):
    UserFactory(username="decider2", roles=["decision-maker"])
    api = api_as(admin_user)
    assign(api, submitted, "decider", "decision_maker")
    refused = assign(api, submitted, "decider2", "decision_maker")
    assert refused.status_code == 409 and "already has an accountable decision-maker" in refused.json()["detail"]
    assert assign(api, submitted, "decider", "decision_maker").status_code == 409


def test_only_leads_assign(submitted, reviewer, lawyer, api_as):
    for user in (reviewer, lawyer):
        assert assign(api_as(user), submitted, "decider", "decision_maker").status_code == 403


def test_a_recused_decision_maker_is_out_of_the_case(submitted, admin_user, decider, api_as):
    api = api_as(admin_user)
    assign(api, submitted, "decider", "decision_maker")
    case_start_review(case=submitted, by=admin_user)
    mine = api_as(decider)
    assert mine.post(f"/api/cases/{submitted.pk}/recuse/", {"statement": ""}, format="json").status_code == 400
    recused = mine.post(f"/api/cases/{submitted.pk}/recuse/", {"statement": "I advised the partner."}, format="json")
    assert recused.status_code == 200 and recused.json()["recused_at"] is not None
    assert mine.post(f"/api/cases/{submitted.pk}/decision/", DECISION, format="json").status_code == 403
    with pytest.raises(PermissionDenied, match="Only the accountable decision-maker"):
        decision_issue(case=submitted, by=decider, **DECISION)
    assert not Decision.objects.exists()
    assert assign(api, submitted, "decider", "decision_maker").status_code == 409  # recused stays recused
    UserFactory(username="decider2", roles=["decision-maker"])
    assert assign(api, submitted, "decider2", "decision_maker").status_code == 201
    again = mine.post(f"/api/cases/{submitted.pk}/recuse/", {"statement": "Again."}, format="json")
    assert again.status_code == 409


def test_only_the_assigned_decision_maker_decides(submitted, admin_user, decider, api_as):
    other = UserFactory(username="decider2", roles=["decision-maker"])
    assign(api_as(admin_user), submitted, "decider", "decision_maker")
    case_start_review(case=submitted, by=admin_user)
    assert api_as(other).post(f"/api/cases/{submitted.pk}/decision/", DECISION, format="json").status_code == 403
    assert api_as(decider).post(f"/api/cases/{submitted.pk}/decision/", DECISION, format="json").status_code == 201


def test_an_assigned_person_sees_a_restricted_case(reviewer, admin_user, decider, framework):
    facts = case_facts(PartnerFactory(), restricted=True, access_list=[admin_user])
    case = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
    page = Client()
    page.force_login(decider)
    assert page.get(f"/cases/{case.pk}/").status_code == 404
    admin = Client()
    admin.force_login(admin_user)
    admin.post(f"/cases/{case.pk}/assign/", {"person": decider.pk, "duty": "decision_maker"})
    assert page.get(f"/cases/{case.pk}/").status_code == 200

"""The "my work" page everyone lands on after signing in: their own queues, and nothing
they may not see."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from casebook.services import case_file
from reviews.services import assignment_add, case_submit, decision_issue, opinion_file, reassessment_open
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review


def home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def submitted(filer, partner=None, **facts):
    facts = case_facts(partner or PartnerFactory(), **facts)
    return case_submit(case=case_file(by=filer, facts=facts), by=filer)


@pytest.fixture
def second(db):
    return UserFactory(username="reviewer2", roles=["reviewer"])


def test_a_reviewer_sees_what_they_review_and_what_they_filed(reviewer, second, decider, admin_user, framework):
    case = submitted(reviewer, title="Port logistics forecasting")
    assignment_add(case=case, person=second, duty="reviewer", by=admin_user)
    case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="A draft of mine"))
    page = home(second)
    assert "To review" in page and "Port logistics forecasting" in page and "opinion due" in page
    opinion_file(case=case, by=second, recommended_outcome="approved", reasoning="Routine.")
    assert "opinion filed" in home(second)
    mine = home(reviewer)
    assert "Cases I filed, still open" in mine and "A draft of mine" in mine and "Port logistics forecasting" in mine
    assert "To review" not in mine


def test_a_decision_maker_sees_what_they_decide_and_an_admin_what_to_put_before_the_board(
    reviewer, decider, admin_user, framework
):
    waiting = submitted(reviewer, title="Awaiting assignment")
    deciding = in_review(submitted(reviewer, title="Before the board"))
    mine = home(decider)
    assert 'data-testid="to-decide"' in mine and "Before the board" in mine
    lead = home(admin_user)
    assert 'data-testid="to-assign"' in lead and "Awaiting assignment" in lead
    assert waiting.docket in lead and deciding.docket not in lead.split('data-testid="to-assign"')[1]


def test_conditions_due_and_reassessments_reach_the_people_concerned(reviewer, decider, lawyer, framework):
    partner = PartnerFactory(name="Harbour police")
    case = in_review(submitted(reviewer, title="Harbour camera triage", partner=partner))
    decision_issue(
        case=case,
        by=decider,
        outcome="approved_with_conditions",
        holding="Allowed with logs.",
        rationale="Logs.",
        conditions=[
            {"text": "Quarterly audit of the logs", "owner": "Chief", "due_date": timezone.localdate()},
            {"text": "Yearly report", "owner": "Chief", "due_date": timezone.localdate() + datetime.timedelta(300)},
        ],
    )
    for user in (reviewer, decider, lawyer):
        page = home(user)
        assert "Quarterly audit of the logs" in page and "Yearly report" not in page, user
    reassessment_open(partner=partner, by=decider, reasons="Misuse reported.")
    for user in (reviewer, decider):
        page = home(user)
        assert 'data-testid="reassessments"' in page and "Harbour police" in page and case.docket in page


def test_it_keeps_restricted_work_to_those_cleared(reviewer, decider, admin_user, framework, api_as):
    case = submitted(reviewer, title="Covert tasking", restricted=True)
    assert "Covert tasking" not in home(admin_user)
    assert api_as(admin_user).get("/api/me/work/").json()["to_assign"] == []
    assert "Covert tasking" in home(reviewer)
    assert api_as(reviewer).get("/api/me/work/").json()["my_cases"] == [
        {"id": case.pk, "docket": case.docket, "title": "Covert tasking", "status": "submitted"}
    ]


def test_the_api_gives_the_same_queues(reviewer, second, decider, admin_user, framework, api_as):
    partner = PartnerFactory(name="Harbour police")
    case = submitted(reviewer, partner=partner, title="Port logistics forecasting")
    assignment_add(case=case, person=second, duty="reviewer", by=admin_user)
    work = api_as(second).get("/api/me/work/").json()
    assert work["to_review"] == [
        {
            "id": case.pk,
            "docket": case.docket,
            "title": "Port logistics forecasting",
            "status": "submitted",
            "opined": False,
        }
    ]
    assert work["to_decide"] == work["conditions_due"] == work["reassessments"] == []
    live = in_review(case)
    decision_issue(case=live, by=decider, outcome="approved", holding="Allowed.", rationale="Routine.")
    reassessment_open(partner=partner, by=admin_user, reasons="Misuse reported.")
    queued = api_as(decider).get("/api/me/work/").json()["reassessments"]
    assert [(r["partner"], [c["docket"] for c in r["waiting"]]) for r in queued] == [("Harbour police", [case.docket])]


def test_it_tells_someone_with_nothing_waiting_so(lawyer, outsider, framework):
    assert "Nothing is waiting for you." in home(lawyer)
    assert "Nothing is waiting for you." in home(outsider)


def test_those_who_file_cases_can_file_one_from_their_work(personas):
    for name, person in personas.items():
        if name != "outsider":  # signed in with no role, they see nothing to work on
            assert ('data-testid="file-a-case"' in home(person)) is (name == "reviewer"), name


def test_the_case_page_lists_the_case_s_steps_in_order(reviewer, second, decider, admin_user, framework):
    case = submitted(reviewer, title="Port logistics forecasting")
    assignment_add(case=case, person=second, duty="reviewer", by=admin_user)
    opinion_file(case=in_review(case), by=second, recommended_outcome="approved", reasoning="Routine.")
    decision_issue(case=case, by=decider, outcome="approved", holding="Fine.", rationale=".")
    client = Client()
    client.force_login(reviewer)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    steps = html[html.index('data-testid="timeline"') :].split("</ol>")[0]
    order = ["Filed by", f"Submitted as {case.docket}", "assigned, reviewer", "recommended approved"]
    order.append("Decided: approved")
    positions = [steps.index(what) for what in order]
    assert positions == sorted(positions), steps

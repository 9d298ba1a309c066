"""Saved searches: kept per person, refused when there is nothing to keep, and an alert to
the owner when a newly issued decision matches, never about a decision they may not see."""

import pytest
from django.test import Client

from casebook.services import case_file
from notifications.models import Notification
from precedent.models import SavedSearch
from precedent.services import saved_search_save, saved_searches_alert, saved_searches_round_up
from precedent.tasks import round_up_saved_searches
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review


def issue(reviewer, decider, title, **facts):
    case = case_submit(
        case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title, **facts)), by=reviewer
    )
    return decision_issue(case=in_review(case), by=decider, outcome="declined", holding=f"{title}.", rationale=".")


def test_it_saves_lists_and_deletes_a_search(lawyer, api_as, framework):
    api = api_as(lawyer)
    made = api.post(
        "/api/saved-searches/", {"name": "Drones", "query": "q=drone&outcome=declined&page=3"}, format="json"
    )
    assert made.status_code == 201 and made.json()["query"] == "q=drone&outcome=declined"
    again = api.post("/api/saved-searches/", {"name": "Drones", "query": "q=drones"}, format="json")
    assert again.status_code == 201 and SavedSearch.objects.get().query == "q=drones"  # same name: replaced
    assert [s["name"] for s in api.get("/api/saved-searches/").json()["results"]] == ["Drones"]
    other = api_as(UserFactory(username="lawyer2", roles=["legal"]))
    assert other.get(f"/api/saved-searches/{made.json()['id']}/").status_code == 404
    assert api_as(lawyer).delete(f"/api/saved-searches/{made.json()['id']}/").status_code == 204
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "query": "q=x"}, "name"),
        ({"name": "All", "query": ""}, "query"),
        ({"name": "Bad", "query": "as_of=soon"}, "query"),
        ({"name": "Often", "query": "q=x", "frequency": "hourly"}, "frequency"),
    ],
)
def test_it_refuses_what_cannot_be_saved(lawyer, api_as, framework, payload, field):
    response = api_as(lawyer).post("/api/saved-searches/", payload, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not SavedSearch.objects.exists()


def test_a_new_matching_decision_alerts_the_owner_once(reviewer, decider, lawyer, framework):
    saved_search_save(owner=lawyer, name="Facial recognition", query="q=facial+recognition")
    saved_search_save(owner=lawyer, name="Approvals only", query="q=facial&outcome=approved")
    decision = issue(reviewer, decider, "Facial recognition at protests")
    assert saved_searches_alert(decision=decision) == 1
    [told] = Notification.objects.filter(kind="saved_search", recipient=lawyer)
    assert "“Facial recognition”" in told.message and decision.case.docket in told.message
    assert told.url == f"/cases/{decision.case_id}/#decision-{decision.pk}"
    assert saved_searches_alert(decision=decision) == 0  # told once
    assert saved_searches_alert(decision=issue(reviewer, decider, "Translating manuals")) == 0
    assert Notification.objects.filter(kind="saved_search").count() == 1


def test_it_never_alerts_about_a_decision_the_owner_may_not_see(reviewer, decider, lawyer, framework):
    saved_search_save(owner=lawyer, name="Facial", query="q=facial")
    cleared = UserFactory(username="cleared", roles=["legal"])
    saved_search_save(owner=cleared, name="Facial", query="q=facial")
    saved_searches_alert(
        decision=issue(reviewer, decider, "Covert facial recognition", restricted=True, access_list=[cleared])
    )
    assert list(Notification.objects.filter(kind="saved_search").values_list("recipient__username", flat=True)) == [
        "cleared"
    ]


def test_the_search_page_saves_the_search_it_shows(lawyer, framework):
    client = Client()
    client.force_login(lawyer)
    assert 'data-testid="save-search"' in client.get("/search/?q=drone").content.decode()
    response = client.post("/search/saved/", {"name": "Drone cases", "query": "q=drone"})
    assert response.status_code == 302 and SavedSearch.objects.get().name == "Drone cases"
    assert "Drone cases" in client.get("/search/saved/").content.decode()
    refused = client.post("/search/saved/", {"name": "", "query": "q=drone"}, follow=True)
    assert "Give the search a name." in refused.content.decode()
    client.post(f"/search/saved/{SavedSearch.objects.get().pk}/delete/")
    assert not SavedSearch.objects.exists()


@pytest.mark.worker
def test_the_worker_sends_the_alert_when_the_decision_commits(celery_worker, reviewer, decider, lawyer, framework):
    from tests.notifications.test_notification_worker import wait_for

    saved_search_save(owner=lawyer, name="Facial", query="q=facial")
    decision = issue(reviewer, decider, "Facial recognition at protests")
    wait_for(lambda: Notification.objects.filter(kind="saved_search", recipient=lawyer).exists())
    assert Notification.objects.get(kind="saved_search").case == decision.case


def test_a_saved_search_reads_as_words_not_a_query_string(lawyer, api_as, framework):
    saved_search_save(
        owner=lawyer, name="Declined drones", query="q=drone&outcome=declined&decided_after=2026-03-01&page=2"
    )
    expected = "Words: “drone”; Outcome: Declined; Decided on or after: 1 March 2026"
    assert api_as(lawyer).get("/api/saved-searches/").json()["results"][0]["description"] == expected
    client = Client()
    client.force_login(lawyer)
    html = client.get("/search/saved/").content.decode()
    assert expected in html and "outcome=declined</code>" not in html


def test_a_daily_round_up_tells_the_owner_once_of_what_they_may_see(reviewer, decider, lawyer, framework, api_as):
    made = api_as(lawyer).post(
        "/api/saved-searches/", {"name": "Facial", "query": "q=facial", "frequency": "daily"}, format="json"
    )
    assert made.status_code == 201 and made.json()["frequency"] == "daily"
    cleared = UserFactory(username="cleared", roles=["legal"])
    first = issue(reviewer, decider, "Facial recognition at protests")
    assert saved_searches_alert(decision=first) == 0  # not as it is issued: in the round-up
    second = issue(reviewer, decider, "Facial matching of rally crowds")
    issue(reviewer, decider, "Covert facial recognition", restricted=True, access_list=[cleared])
    issue(reviewer, decider, "Translating manuals")
    assert saved_searches_round_up(frequency="weekly") == 0
    assert saved_searches_round_up(frequency="daily") == 1
    [told] = Notification.objects.filter(kind="saved_search", recipient=lawyer)
    assert told.message.startswith("“Facial”: 2 new decisions since ")
    assert first.case.docket in told.message and second.case.docket in told.message
    assert saved_searches_round_up(frequency="daily") == 0  # nothing new since
    assert round_up_saved_searches.run("daily") == 0


def test_the_page_saves_a_search_for_a_weekly_round_up_and_changes_it(lawyer, framework):
    client = Client()
    client.force_login(lawyer)
    client.post("/search/saved/", {"name": "Drones", "query": "q=drone", "frequency": "weekly"})
    assert SavedSearch.objects.get(name="Drones").frequency == "weekly"
    html = client.get("/search/saved/").content.decode()
    assert '<option value="weekly" selected>In a weekly round-up</option>' in html
    client.post("/search/saved/", {"name": "Drones", "query": "q=drone", "frequency": "immediately"})
    assert SavedSearch.objects.get(name="Drones").frequency == "immediately"

"""The search page and GET /api/search/: words, filters, facets, the as-of date, bad input,
and need-to-know in every count."""

import datetime

import pytest
from django.test import Client

from casebook.services import case_file
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review


@pytest.fixture
def casebook(reviewer, decider, framework):
    """Three decided cases about port cameras, one of them restricted, and one declined."""
    cleared = UserFactory(username="cleared", roles=["legal"])
    made = {}
    for key, title, outcome, restricted in [
        ("open", "Port cameras for cargo theft", "approved", False),
        ("declined", "Port cameras for protest watch", "declined", False),
        ("secret", "Port cameras for covert tasking", "approved", True),
    ]:
        facts = case_facts(
            PartnerFactory(name=f"Harbour {key}"), title=title, restricted=restricted, access_list=[cleared]
        )
        case = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
        made[key] = decision_issue(
            case=in_review(case), by=decider, outcome=outcome, holding=f"{title}: the rule.", rationale="Reasons."
        )
    made["cleared"] = cleared
    return made


def page(user, query: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/search/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_results_with_flags_holdings_and_snippets(casebook, lawyer):
    html = page(lawyer, "q=cameras")
    assert "2 results" in html and "Port cameras for cargo theft" in html and "Port cameras for protest watch" in html
    assert "covert tasking" not in html
    assert 'data-testid="precedent"' in html and "Good law" in html
    assert "<mark>cameras</mark>" in html.lower() or "<mark>Cameras</mark>" in html
    assert "Port cameras for cargo theft: the rule." in html


def test_a_facet_link_narrows_the_search(casebook, lawyer):
    html = page(lawyer, "q=cameras")
    assert 'href="?q=cameras&amp;outcome=declined"' in html
    narrowed = page(lawyer, "q=cameras&outcome=declined")
    assert "1 result" in narrowed and "protest watch" in narrowed and "cargo theft" not in narrowed


def test_the_api_answers_results_and_facets_as_far_as_the_caller_may_see(casebook, lawyer, overseer, api_as):
    for user, count in [(lawyer, 2), (casebook["cleared"], 3), (overseer, 3)]:
        body = api_as(user).get("/api/search/?q=cameras").json()
        assert body["count"] == count and len(body["results"]) == count, user
        assert sum(v["count"] for v in body["facets"]["outcome"]) == count
        assert sum(v["count"] for v in body["facets"]["partner_id"]) == count
    body = api_as(lawyer).get("/api/search/?q=cameras&outcome=approved").json()
    [result] = body["results"]
    assert result["title"] == "Port cameras for cargo theft" and result["precedent"]["code"] == "good_law"
    assert result["revision"] == 2 and "<mark>" in result["snippet"]
    assert [v["label"] for v in body["facets"]["partner_id"]] == ["Harbour open"]


def test_as_of_shows_what_was_decided_by_that_day_under_the_revision_then_in_force(casebook, lawyer, api_as):
    body = api_as(lawyer).get("/api/search/?q=cameras&as_of=2026-02-28").json()
    assert body["count"] == 0 and body["revision_in_force"] == 1
    today = datetime.date.today().isoformat()
    body = api_as(lawyer).get(f"/api/search/?q=cameras&as_of={today}").json()
    assert body["count"] == 2 and body["revision_in_force"] == 2
    assert "as the casebook stood on" in page(lawyer, f"q=cameras&as_of={today}")


@pytest.mark.parametrize(
    ("query", "field"),
    [("as_of=yesterday", "as_of"), ("outcome=maybe", "outcome"), ("page=0", "page"), ("partner=999999", "partner")],
)
def test_bad_input_gets_a_field_error(casebook, lawyer, api_as, query, field):
    response = api_as(lawyer).get(f"/api/search/?q=cameras&{query}")
    assert response.status_code == 400 and field in response.json()
    if field != "page":
        html = page(lawyer, f"q=cameras&{query}")
        assert "usa-error-message" in html and 'data-testid="results"' not in html


def test_a_browse_without_words_lists_everything_visible_newest_first(casebook, lawyer, api_as):
    body = api_as(lawyer).get("/api/search/").json()
    assert [r["title"] for r in body["results"]] == ["Port cameras for protest watch", "Port cameras for cargo theft"]


@pytest.mark.parametrize("persona", ["reviewer", "decider", "lawyer", "admin", "overseer"])
def test_every_role_may_search(casebook, personas, persona, api_as):
    assert api_as(personas[persona]).get("/api/search/?q=port").status_code == 200
    assert "Search the precedent" in page(personas[persona], "q=port")


def test_someone_without_a_role_may_not(outsider, api_as, framework):
    assert api_as(outsider).get("/api/search/?q=port").status_code == 403
    client = Client()
    client.force_login(outsider)
    assert client.get("/search/?q=port").status_code == 403


def test_a_draft_is_found_only_by_its_filer(reviewer, lawyer, framework, api_as):
    case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Draft about harbour drones"))
    assert api_as(lawyer).get("/api/search/?q=drones").json()["count"] == 0
    assert api_as(reviewer).get("/api/search/?q=drones").json()["count"] == 1

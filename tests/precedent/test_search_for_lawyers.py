"""Search as a lawyer works it: sorted by relevance, date or citations, several tags at
once, filters shown as chips that each remove themselves, "cited by N" on each result
(as far as the reader may see), and the result list exported as CSV."""

import csv
import io

import pytest
from django.test import Client

from casebook.services import case_file, case_set_tags
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review


@pytest.fixture
def port(reviewer, decider, framework):
    """Port-camera decisions: one cited three times (once by a restricted decision), one tagged
    on two provisions, and one whose title a spreadsheet would run as a formula."""
    cleared = UserFactory(username="cleared", roles=["legal"])

    def decided(title, *, tags=(), cites=(), restricted=False):
        case = case_file(
            by=reviewer,
            facts=case_facts(PartnerFactory(), title=title, restricted=restricted, access_list=[cleared]),
        )
        if tags:
            case_set_tags(case=case, by=reviewer, tags=[{"code": c, "stance": s, "note": ""} for c, s in tags])
        citations = [{"decision": d.pk, "provision": "P-1", "treatment": "follows", "reason": "Same."} for d in cites]
        return decision_issue(
            case=in_review(case_submit(case=case, by=reviewer)),
            by=decider,
            outcome="approved",
            holding=f"{title}: port cameras may be supported.",
            rationale="Reasons.",
            citations=citations,
        )

    first = decided("Port cameras for cargo theft", tags=[("P-1", "advances"), ("P-3", "advances")])
    second = decided("Port cameras for berth safety", tags=[("P-1", "advances")], cites=[first])
    decided("Port cameras, secret", cites=[first], restricted=True)
    third = decided("=HYPERLINK(1) port cameras", cites=[second, first])
    return {"first": first, "second": second, "third": third, "cleared": cleared}


def get(user, query: str):
    client = Client()
    client.force_login(user)
    return client.get(f"/search/?{query}")


def titles(user, query: str) -> list[str]:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return [r["title"] for r in client.get(f"/api/search/?{query}").json()["results"]]


def test_it_sorts_by_date_or_by_how_often_a_decision_is_cited(port, lawyer):
    assert titles(lawyer, "q=cameras&sort=newest")[0] == "=HYPERLINK(1) port cameras"
    assert titles(lawyer, "q=cameras&sort=cited")[:2] == [
        "Port cameras for cargo theft",
        "Port cameras for berth safety",
    ]


def test_each_result_says_how_often_it_is_cited_as_far_as_the_reader_may_see(port, lawyer):
    from rest_framework.test import APIClient

    for user, times in [(lawyer, 2), (port["cleared"], 3)]:
        client = APIClient()
        client.force_authenticate(user)
        results = client.get("/api/search/?q=cargo").json()["results"]
        assert [r["cited"] for r in results] == [times], user
    assert 'data-testid="cited-by">cited by 2<' in get(lawyer, "q=cargo").content.decode()


def test_several_tags_narrow_together_and_a_facet_adds_one(port, lawyer):
    assert titles(lawyer, "q=cameras&tag=P-1+advances&tag=P-3") == ["Port cameras for cargo theft"]
    assert sorted(titles(lawyer, "q=cameras&tag=P-1")) == [
        "Port cameras for berth safety",
        "Port cameras for cargo theft",
    ]
    html = get(lawyer, "q=cameras&tag=P-1").content.decode()
    assert 'href="?q=cameras&amp;tag=P-1&amp;tag=P-3+advances"' in html  # added to, not replaced
    bad = get(lawyer, "q=cameras&tag=XX-9")
    assert bad.status_code == 200 and "usa-alert--error" in bad.content.decode() and "XX-9" in bad.content.decode()


def test_each_filter_in_use_is_a_chip_that_removes_it(port, lawyer):
    html = get(lawyer, "q=cameras&tag=P-1&tag=P-3+advances&outcome=approved").content.decode()
    assert 'data-testid="filter-chips"' in html
    assert (
        'href="?q=cameras&amp;tag=P-3+advances&amp;outcome=approved" data-testid="filter-chip">Tagged: P-1, any stance'
        in html
    )
    assert 'href="?q=cameras&amp;tag=P-1&amp;tag=P-3+advances" data-testid="filter-chip">Outcome: Approved' in html
    assert '<details class="margin-y-1">' in html  # the filter panel stays shut


def test_the_result_list_exports_as_csv_as_far_as_the_reader_may_see(port, lawyer):
    response = get(lawyer, "q=cameras&sort=cited&format=csv")
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Docket", "Title", "Partner", "Outcome"]
    assert [row[1] for row in rows[1:]][:2] == ["Port cameras for cargo theft", "Port cameras for berth safety"]
    assert "Port cameras, secret" not in response.content.decode()
    assert "'=HYPERLINK(1) port cameras" in [row[1] for row in rows]  # text, never a formula
    assert rows[1][7] == "2"  # cited by, as the lawyer may see


@pytest.mark.parametrize(
    "query",
    ["as_of=0001-01-01", "as_of=9999-12-31&format=csv", "decided_before=9999-12-31", "decided_after=9999-12-31"],
)
def test_a_date_out_of_range_is_a_field_error_not_a_failure(port, lawyer, query):
    from rest_framework.test import APIClient

    response = get(lawyer, f"q=cameras&{query}")
    body = response.content.decode()
    assert response.status_code == 200 and ("usa-alert--error" in body or "usa-error-message" in body)
    client = APIClient()
    client.force_authenticate(lawyer)
    api = client.get(f"/api/search/?q=cameras&{query.split('&')[0]}")
    assert api.status_code == 400 and set(api.json()) <= {"as_of", "decided_before", "decided_after"}


def test_a_page_past_any_there_could_be_is_the_first(port, lawyer):
    assert get(lawyer, "q=cameras&page=9999999999").status_code == 200
    assert get(lawyer, "q=cameras&page=99999999999999999999").status_code == 200

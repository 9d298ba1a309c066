"""The citation graph: one node a case (a case decided again shown once, as its latest
decision, the earlier folded in), steps from the focus, a filter by depth and by
treatment, and the same graph as tables; as far as the reader may see."""

import pytest
from django.test import Client

from casebook.services import case_file
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, case_facts, in_review

RULE = {"outcome": "approved", "holding": "Logistics may be supported.", "rationale": "."}


@pytest.fixture
def chain(reviewer, decider, framework):
    """Road follows Rail, which follows Port (on two provisions) and was decided again;
    Sea distinguishes Port."""

    def decide(title, cites=(), case=None):
        if case is None:
            filed = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title))
            case = case_submit(case=filed, by=reviewer)
        citations = [
            {"decision": d.pk, "provision": code, "treatment": treatment, "reason": f"{title} {treatment} it."}
            for d, treatment, code in cites
        ]
        return decision_issue(case=in_review(case), by=decider, citations=citations, **RULE)

    port = decide("Port logistics")
    rail = decide("Rail logistics", [(port, "follows", "RL-3"), (port, "follows", "P-1")])
    rail_again = decide("Rail logistics", [(port, "follows", "RL-3"), (rail, "follows", "RL-3")], case=rail.case)
    road = decide("Road logistics", [(rail_again, "follows", "RL-3")])
    sea = decide("Sea logistics", [(port, "distinguishes", "RL-3")])
    return {"port": port, "rail": rail, "rail_again": rail_again, "road": road, "sea": sea}


def graph(user, decision, query=""):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/decisions/{decision.pk}/graph/{query}")


def test_a_case_decided_again_is_one_node_with_its_earlier_decision_folded_in(chain, lawyer):
    body = graph(lawyer, chain["port"]).json()
    dockets = [n["docket"] for n in body["nodes"]]
    assert len(dockets) == len(set(dockets)) == 4  # port, rail (once), road, sea
    [rail] = [n for n in body["nodes"] if n["case"] == chain["rail"].case_id]
    assert rail["id"] == chain["rail_again"].pk and [f["id"] for f in rail["folded"]] == [chain["rail"].pk]
    [focus] = [n for n in body["nodes"] if n["focus"]]
    assert focus["id"] == chain["port"].pk and focus["step"] == 0
    assert {n["docket"]: n["step"] for n in body["nodes"]}[chain["road"].case.docket] == 2
    # One edge a citing case, cited case and treatment; a case citing its own earlier decision is none.
    edges = [(e["source"], e["target"], e["treatment"], e["provision"]) for e in body["edges"]]
    assert (chain["rail_again"].pk, chain["port"].pk, "follows", "RL-3, P-1") in edges
    assert all(source != target for source, target, _, _ in edges) and len(edges) == 3


def test_it_filters_by_depth_and_by_treatment(chain, lawyer):
    one_step = graph(lawyer, chain["port"], "?depth=1").json()
    assert chain["road"].case.docket not in [n["docket"] for n in one_step["nodes"]]
    distinguished = graph(lawyer, chain["port"], "?treatment=distinguishes").json()
    assert sorted(n["docket"] for n in distinguished["nodes"]) == sorted(
        [chain["port"].case.docket, chain["sea"].case.docket]
    )
    for bad in ("?depth=9", "?treatment=ignores"):
        response = graph(lawyer, chain["port"], bad)
        assert response.status_code == 400 and set(response.json()) <= {"depth", "treatment"}


def test_the_page_draws_it_and_lists_it_in_tables_with_the_same_filters(chain, lawyer):
    client = Client()
    client.force_login(lawyer)
    html = client.get(f"/decisions/{chain['port'].pk}/graph/?depth=1&treatment=follows").content.decode()
    assert 'data-testid="graph-nodes"' in html and 'data-testid="graph-edges"' in html
    assert chain["sea"].case.docket not in html.split('id="graph-data"')[0]  # distinguishes: filtered out
    assert '<option value="1" selected>1</option>' in html and 'value="follows" checked' in html
    assert client.get(f"/decisions/{chain['port'].pk}/graph/?depth=banana").status_code == 200

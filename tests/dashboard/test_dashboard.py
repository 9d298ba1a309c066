"""The dashboard: the board's figures, on the page as charts beside their tables and in the
API, for every role, each count over what its reader may see."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from casebook.services import case_file, case_set_tags
from dashboard.figures import dashboard
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review


@pytest.fixture
def board(reviewer, decider, framework):
    """Two open decisions on RL-2 (one went ahead with conditions, one stopped), a restricted
    one, and a case still in review."""
    cleared = UserFactory(username="cleared", roles=["legal"])
    today = timezone.localdate()
    made = []

    def decided(title, outcome, *, restricted=False, conditions=(), stance="implicated_mitigated"):
        facts = case_facts(PartnerFactory(), title=title, restricted=restricted, access_list=[cleared])
        case = case_file(by=reviewer, facts=facts)
        case_set_tags(case=case, by=reviewer, tags=[{"code": "RL-2", "stance": stance, "note": ""}])
        case = in_review(case_submit(case=case, by=reviewer), opinions=("approved", "approved"))
        made.append(
            decision_issue(
                case=case,
                by=decider,
                outcome=outcome,
                holding=f"{title}.",
                rationale=".",
                conditions=list(conditions),
                answers={d.pk: "Other facts." for d in made},  # the precedent check's
            )
        )

    decided(
        "Triage with review",
        "approved_with_conditions",
        conditions=[
            {"text": "Audit monthly.", "owner": "Partner's auditor", "due_date": today - datetime.timedelta(days=3)},
            {"text": "Train staff.", "owner": "Partner's auditor", "due_date": today + datetime.timedelta(days=10)},
            {"text": "Report yearly.", "owner": "Trust team", "due_date": None},
        ],
    )
    decided("Triage without review", "declined")
    decided("Secret triage", "declined", restricted=True)
    case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Waiting")), by=reviewer)
    return {"cleared": cleared}


def test_it_counts_what_the_reader_may_see(board, lawyer, overseer):
    for user, decisions, stopped in [(lawyer, 2, 1), (board["cleared"], 3, 2), (overseer, 3, 2)]:
        found = dashboard(seen_by=user)
        assert found.counted == {"cases": decisions + 1, "decisions": decisions}, user
        [row] = [n for n, label in enumerate(found.outcomes.rows) if label == "RL-2 implicated but mitigated"]
        assert found.outcomes.values["Stopped"][row] == stopped and found.outcomes.values["Went ahead"][row] == 1
        month = found.caseload.rows.index(f"{timezone.localdate():%b %Y}")
        assert found.caseload.total(month) == decisions + 1
        assert sum(found.flags.values["Decisions"]) == decisions


def test_it_counts_outcomes_by_mission_area_and_opinions_per_decision(board, lawyer):
    found = dashboard(seen_by=lawyer)
    by_mission = found.outcomes_by_mission
    assert sum(sum(values) for values in by_mission.values.values()) == 2
    assert set(by_mission.groups) == {"Approved with conditions", "Declined"}
    assert found.opinions.rows[-1] == "2 opinions" and found.opinions.values["Decisions"][-1] == 2


def test_it_shows_open_conditions_by_owner_and_when_due(board, lawyer):
    conditions = dashboard(seen_by=lawyer).conditions
    assert conditions.rows == ["Partner's auditor", "Trust team"]  # the overdue first
    assert [conditions.values[g][0] for g in conditions.groups] == [1, 1, 0, 0]
    assert conditions.values["No date"][1] == 1


def test_it_gives_the_time_to_decision_with_heightened_scrutiny_apart(board, lawyer):
    spreads = {s.label: s for s in dashboard(seen_by=lawyer).time_to_decision}
    assert spreads["Under heightened scrutiny"].decided == 2 and "Without heightened scrutiny" not in spreads
    assert 0 <= spreads["Under heightened scrutiny"].median < 1


@pytest.mark.parametrize("persona", ["reviewer", "decider", "lawyer", "admin", "overseer"])
def test_every_role_sees_the_charts_with_their_tables(board, personas, persona, api_as):
    client = Client()
    client.force_login(personas[persona])
    html = client.get("/dashboard/").content.decode()
    for name in ("caseload", "outcomes", "outcomes-by-mission", "opinions", "time", "conditions", "impact", "flags"):
        assert f'data-testid="chart-{name}"' in html and f'data-testid="table-{name}"' in html, name
    assert "<svg" in html and "<script" not in html.split("<main")[1].split("</main>")[0]
    assert ("Secret triage" in html) is False  # counts, never titles
    body = api_as(personas[persona]).get("/api/dashboard/").json()
    assert set(body) == {
        *("caseload", "outcomes", "outcomes_by_mission", "opinions", "time_to_decision"),
        *("conditions", "impact", "flags", "counted"),
    }


def test_someone_without_a_role_may_not(outsider, api_as, framework):
    client = Client()
    client.force_login(outsider)
    assert client.get("/dashboard/").status_code == 403
    assert api_as(outsider).get("/api/dashboard/").status_code == 403

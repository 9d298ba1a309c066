"""The precedent check: a draft decision read against the case law before it issues, the
contrary precedent it departs from answered, and what was shown kept with the decision."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.services import case_file, case_set_tags
from reviews.models import PrecedentCheck
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

TAGS = [{"code": "RL-2", "stance": "implicated_mitigated"}, {"code": "P-1", "stance": "advances"}]


def filed(reviewer, *, tags=TAGS, **facts):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), **facts)), by=reviewer)
    case_set_tags(case=case, by=reviewer, tags=list(tags))
    return in_review(case, opinions=("approved", "approved"))


def decide(case, decider, outcome, **kwargs):
    return decision_issue(
        case=case,
        by=decider,
        outcome=outcome,
        holding=f"{outcome.capitalize()} on these facts.",
        rationale="Because.",
        **kwargs,
    )


@pytest.fixture
def line(reviewer, decider, framework):
    """Two earlier decisions on the same assessments: one went ahead, one did not; and one
    on something else."""
    ahead = decide(filed(reviewer), decider, "approved")
    declined = decide(filed(reviewer), decider, "declined", answers={ahead.pk: "Its partner had no oversight."})
    elsewhere = decide(filed(reviewer, tags=[{"code": "RL-3", "stance": "implicated_mitigated"}]), decider, "approved")
    return {"ahead": ahead, "declined": declined, "elsewhere": elsewhere, "draft": filed(reviewer)}


def check(api_as, user, case, **draft):
    return api_as(user).post(f"/api/cases/{case.pk}/precedent-check/", draft, format="json")


def test_it_lists_uncited_on_point_precedent_and_the_contrary_authority(line, decider, api_as):
    answer = check(api_as, decider, line["draft"], outcome="approved")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["on_point"] == 2
    assert {a["decision"] for a in body["uncited"]} == {line["ahead"].pk, line["declined"].pk}
    [contrary] = body["contrary"]
    assert contrary["decision"] == line["declined"].pk and contrary["departs"] and contrary["closeness"] == 1.0
    assert contrary["shared"] == [  # in the framework's order
        {"provision": "P-1", "stance": "advances"},
        {"provision": "RL-2", "stance": "implicated_mitigated"},
    ]
    # Declining instead, the approval is the contrary authority.
    [contrary] = check(api_as, decider, line["draft"], outcome="declined").json()["contrary"]
    assert contrary["decision"] == line["ahead"].pk
    # Before an outcome is chosen, nothing is contrary.
    assert check(api_as, decider, line["draft"]).json()["contrary"] == []


def test_issuing_asks_for_an_answer_on_a_departure_and_keeps_it(line, decider, reviewer, api_as):
    body = {"outcome": "approved", "holding": "Goes ahead.", "rationale": "Because."}
    refused = api_as(decider).post(f"/api/cases/{line['draft'].pk}/decision/", body, format="json")
    assert refused.status_code == 400
    [message] = refused.json()[f"answers.{line['declined'].pk}"]
    assert line["declined"].case.docket in message and "Cite it with a treatment" in message
    assert not line["draft"].decisions.exists()
    answers = [{"decision": line["declined"].pk, "answer": "That partner had no independent oversight."}]
    issued = api_as(decider).post(
        f"/api/cases/{line['draft'].pk}/decision/", {**body, "answers": answers}, format="json"
    )
    assert issued.status_code == 201, issued.json()
    kept = issued.json()["precedent_check"]
    assert kept["contrary"][0]["answer"] == "That partner had no independent oversight."
    stored = PrecedentCheck.objects.get(decision=issued.json()["id"])
    assert stored.answers == {str(line["declined"].pk): "That partner had no independent oversight."}
    entry = AuditEvent.objects.filter(action="decision.precedent_checked", object_id=str(line["draft"].pk)).get()
    assert entry.after["departures"] == 1
    assert entry.after["answers"] == {line["declined"].case.docket: "That partner had no independent oversight."}
    # Everyone who may read the decision reads the check (the reviewer too).
    read = api_as(reviewer).get(f"/api/cases/{line['draft'].pk}/decision/").json()
    assert read["precedent_check"]["contrary"][0]["docket"] == line["declined"].case.docket


def test_citing_the_contrary_precedent_with_a_treatment_addresses_it(line, decider, api_as):
    cite = {
        "decision": line["declined"].pk,
        "provision": "RL-2",
        "treatment": "distinguishes",
        "reason": "No oversight.",
    }
    [contrary] = check(api_as, decider, line["draft"], outcome="approved", citations=[cite]).json()["contrary"]
    assert contrary["cited_as"] == "distinguishes" and not contrary["departs"]
    decision = decide(line["draft"], decider, "approved", citations=[cite])
    assert decision.precedent_check.answers == {}
    assert decision.precedent_check.shown["contrary"][0]["cited_as"] == "distinguishes"


def test_a_less_close_contrary_precedent_needs_no_answer(reviewer, decider, framework, api_as):
    wide = [
        *TAGS,
        {"code": "RL-3", "stance": "implicated_mitigated"},
        {"code": "RL-1", "stance": "implicated_mitigated"},
    ]
    declined = decide(filed(reviewer, tags=wide), decider, "declined")
    draft = filed(reviewer, tags=[{"code": "P-1", "stance": "advances"}])
    [contrary] = check(api_as, decider, draft, outcome="approved").json()["contrary"]
    assert contrary["decision"] == declined.pk and contrary["closeness"] < 0.5 and not contrary["departs"]
    assert decide(draft, decider, "approved").precedent_check.shown["contrary"][0]["departs"] is False


def test_cited_decisions_with_a_warning_flag_are_listed_with_why(line, decider, reviewer, api_as):
    overruling = {"decision": line["ahead"].pk, "provision": "RL-2", "treatment": "overrules", "reason": "Wrong."}
    decide(filed(reviewer, tags=[{"code": "RL-3", "stance": "crossed"}]), decider, "declined", citations=[overruling])
    follows = {"decision": line["ahead"].pk, "provision": "RL-2", "treatment": "follows", "reason": "Same."}
    body = check(api_as, decider, line["draft"], outcome="approved", citations=[follows]).json()
    [warning] = body["warnings"]
    assert warning["decision"] == line["ahead"].pk and warning["flag"] == "overruled"
    assert "Overruled by" in warning["reasons"][0]


def test_an_overruled_contrary_precedent_is_no_departure(line, decider, reviewer, api_as):
    overruling = {"decision": line["declined"].pk, "provision": "RL-2", "treatment": "overrules", "reason": "Wrong."}
    decide(filed(reviewer, tags=[{"code": "RL-3", "stance": "crossed"}]), decider, "declined", citations=[overruling])
    [contrary] = check(api_as, decider, line["draft"], outcome="approved").json()["contrary"]
    assert contrary["flag"] == "overruled" and not contrary["departs"]


def test_only_decision_makers_check_a_draft(line, personas, api_as, api_client):
    for name, person in personas.items():
        expected = 200 if name == "decider" else 403
        assert check(api_as, person, line["draft"], outcome="approved").status_code == expected, name
    assert api_client.post(f"/api/cases/{line['draft'].pk}/precedent-check/", {}, format="json").status_code in (
        401,
        403,
    )
    for name, person in personas.items():
        client = Client()
        client.force_login(person)
        page = client.post(f"/cases/{line['draft'].pk}/decide/check/", {"outcome": "approved"})
        assert page.status_code == (200 if name == "decider" else 403), name


def test_a_case_not_in_review_is_not_checked(line, decider, api_as):
    answer = check(api_as, decider, line["ahead"].case, outcome="approved")
    assert answer.status_code == 409


def test_a_restricted_precedent_is_shown_only_to_those_cleared(reviewer, decider, lawyer, framework, api_as):
    cleared_case = filed(reviewer, restricted=True, access_list=[decider])
    secret = decide(cleared_case, decider, "declined")
    draft = filed(reviewer)
    # Another decision-maker, not cleared, never learns of it.
    other = UserFactory(username="decider2", roles=["decision-maker"])
    blind = check(api_as, other, draft, outcome="approved").json()
    assert blind["on_point"] == 0 and blind["contrary"] == [] and blind["uncited"] == []
    # The decider, cleared, is asked about it, and answers.
    decision = decide(draft, decider, "approved", answers={secret.pk: "Different partner, different oversight."})
    assert decision.precedent_check.shown["contrary"][0]["decision"] == secret.pk
    # Legal, not cleared, reads the decision, not the restricted precedent or its answer.
    read = api_as(lawyer).get(f"/api/cases/{draft.pk}/decision/").json()["precedent_check"]
    assert read["contrary"] == [] and read["uncited"] == [] and read["on_point"] == 0
    page = Client()
    page.force_login(lawyer)
    assert cleared_case.docket not in page.get(f"/cases/{draft.pk}/").content.decode()
    entry = AuditEvent.objects.filter(action="decision.precedent_checked", object_id=str(draft.pk)).get()
    assert entry.after["answers"] == {"a restricted decision": "Different partner, different oversight."}
    assert cleared_case.docket not in str(entry.after)


def test_the_decide_page_shows_the_check_and_asks_for_the_answer_beside_it(line, decider):
    client = Client()
    client.force_login(decider)
    path = f"/cases/{line['draft'].pk}/decide/"
    page = client.get(path).content.decode()
    assert 'data-testid="precedent-check"' in page and line["declined"].case.docket in page
    form = {
        "outcome": "approved",
        "holding": "Goes ahead.",
        "rationale": "Because.",
        "action": "issue",
        "confirm": "yes",
        **{
            f"{prefix}-{k}": v
            for prefix in ("conditions", "citations")
            for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }
    refused = client.post(path, form)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert f'id="answer-{line["declined"].pk}-error"' in html and not line["draft"].decisions.exists()
    fragment = client.post(f"/cases/{line['draft'].pk}/decide/check/", {**form, "outcome": "declined"})
    assert f'data-docket="{line["ahead"].case.docket}"' in fragment.content.decode()
    issued = client.post(path, {**form, f"answer-{line['declined'].pk}": "No oversight there."})
    assert issued.status_code == 302
    case_page = client.get(f"/cases/{line['draft'].pk}/").content.decode()
    assert "No oversight there." in case_page


def test_the_docket_typeahead_offers_only_what_the_decision_maker_may_cite(reviewer, decider, lawyer, framework):
    def issued(title, **facts):
        case = case_submit(
            case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title, **facts)), by=reviewer
        )
        return decision_issue(case=in_review(case), by=decider, outcome="approved", holding=".", rationale=".")

    open_one = issued("Harbour cameras")
    other = UserFactory(username="decider2", roles=["decision-maker"])
    issued("Harbour cameras, secret", restricted=True, access_list=[decider])
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="New")), by=reviewer)
    in_review(case, decider=other)
    client = Client()
    client.force_login(other)
    offered = client.get(f"/cases/{case.pk}/decide/dockets/", {"citations-0-docket": "harbour"}).content.decode()
    assert open_one.case.docket in offered and "secret" not in offered
    client.force_login(lawyer)
    assert client.get(f"/cases/{case.pk}/decide/dockets/", {"q": "harbour"}).status_code == 403

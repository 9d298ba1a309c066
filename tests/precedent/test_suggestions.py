"""Suggested tags: the stances the nearest precedents took and the red lines whose wording
the facts use, accepted or rejected by the filer in a click, rejections kept and used."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.models import TagVerdict
from casebook.services import case_file, case_set_tags
from precedent import suggestions
from precedent.search import CaseFacts
from principles.models import Revision
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

TRIAGE = "Caseworkers receive model flags on benefit applications and decide each claim themselves."


def decided(reviewer, decider, title, use, tags, outcome="approved", answers=None, **facts):
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title, proposed_use=use, **facts))
    case_set_tags(case=case, by=reviewer, tags=[{"code": c, "stance": s} for c, s in tags])
    case = case_submit(case=case, by=reviewer)
    case = in_review(case, opinions=("approved", "approved"))
    return decision_issue(case=case, by=decider, outcome=outcome, holding=f"{title}.", rationale=".", answers=answers)


@pytest.fixture
def casebook(reviewer, decider, framework):
    mitigated = [("RL-2", "implicated_mitigated"), ("P-1", "advances")]
    for n in range(3):
        decided(reviewer, decider, f"Benefit triage {n}", TRIAGE, mitigated, mission_area="law_enforcement")
    decided(reviewer, decider, "Translating manuals", "Manuals translated for logistics staff.", [("P-3", "advances")])


def draft(reviewer, **facts):
    return case_file(
        by=reviewer,
        facts=case_facts(PartnerFactory(), title="Benefit triage again", proposed_use=TRIAGE, **facts),
    )


def pairs(body):
    return {(s["provision"], s["stance"]) for s in body}


def test_the_nearest_precedents_stances_are_suggested_with_their_reasons(casebook, reviewer, api_as):
    case = draft(reviewer, mission_area="law_enforcement")
    answer = api_as(reviewer).get(f"/api/cases/{case.pk}/tag-suggestions/")
    assert answer.status_code == 200, answer.json()
    suggested = {(s["provision"], s["stance"]): s for s in answer.json()}
    rl2 = suggested[("RL-2", "implicated_mitigated")]
    assert len(rl2["precedents"]) == 3 and "3 of the" in rl2["reasons"][0]
    assert ("P-3", "advances") not in suggested


def test_accepting_tags_the_case_and_rejecting_is_kept(casebook, reviewer, api_as):
    case = draft(reviewer, mission_area="law_enforcement")
    case_set_tags(case=case, by=reviewer, tags=[{"code": "RL-1", "stance": "not_implicated", "note": "Kept."}])
    path = f"/api/cases/{case.pk}/tag-suggestions/"
    accepted = api_as(reviewer).post(
        path, {"provision": "RL-2", "stance": "implicated_mitigated", "accepted": True}, format="json"
    )
    assert accepted.status_code == 201, accepted.json()
    assert set(case.tags.values_list("provision__code", "stance", "note")) == {
        ("RL-1", "not_implicated", "Kept."),
        ("RL-2", "implicated_mitigated", ""),
    }
    rejected = api_as(reviewer).post(path, {"provision": "P-1", "stance": "advances", "accepted": False}, format="json")
    assert rejected.status_code == 201
    assert not case.tags.filter(provision__code="P-1").exists()
    assert pairs(api_as(reviewer).get(path).json()) & {("RL-2", "implicated_mitigated"), ("P-1", "advances")} == set()
    assert TagVerdict.objects.filter(case=case).count() == 2
    actions = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"case.tag_suggestion_accepted", "case.tag_suggestion_rejected", "case.tagged"} <= actions
    bad = api_as(reviewer).post(path, {"provision": "RL-2", "stance": "advances", "accepted": True}, format="json")
    assert bad.status_code == 400 and "stance" in bad.json()


def test_a_stance_rejected_elsewhere_is_suggested_less(casebook, reviewer, api_as):
    first, second = draft(reviewer, mission_area="law_enforcement"), draft(reviewer, mission_area="law_enforcement")
    before = {s.pair: s.share for s in suggestions.suggest_tags(draft=CaseFacts.of(second), seen_by=reviewer)}
    api_as(reviewer).post(
        f"/api/cases/{first.pk}/tag-suggestions/",
        {"provision": "P-1", "stance": "advances", "accepted": False},
        format="json",
    )
    after = {s.pair: s for s in suggestions.suggest_tags(draft=CaseFacts.of(second), seen_by=reviewer)}
    assert ("P-1", "advances") not in after or after[("P-1", "advances")].share < before[("P-1", "advances")]


def test_a_red_line_whose_wording_the_facts_use_is_suggested_implicated(reviewer, framework):
    revision = Revision.objects.in_force()
    text, telling = next(iter(suggestions._telling_words(revision.pk).items()))
    words = list(telling.values())[:3]
    facts = CaseFacts(title="A new use", proposed_use=f"The partner's system would {' '.join(words)} daily.")
    suggested = {s.pair: s for s in suggestions.suggest_tags(draft=facts, seen_by=reviewer)}
    suggestion = suggested[(text.provision.code, "implicated_mitigated")]
    assert "The facts use words of its wording" in suggestion.reasons[0]


def test_only_the_filer_judges_suggestions_and_a_restricted_precedent_never_shows(
    casebook, reviewer, decider, personas, api_as
):
    cleared = UserFactory(username="cleared", roles=["reviewer"])
    secret = decided(
        cleared,
        decider,
        "Covert benefit triage",
        TRIAGE,
        [("RL-3", "crossed")],
        outcome="declined",
        restricted=True,
        access_list=[decider],
    )
    case = draft(reviewer, mission_area="law_enforcement")
    path = f"/api/cases/{case.pk}/tag-suggestions/"
    for name, person in personas.items():
        expected = 200 if name == "reviewer" else 403
        assert api_as(person).get(path).status_code == expected, name
    other = UserFactory(username="reviewer2", roles=["reviewer"])
    assert api_as(other).get(path).status_code == 404  # a draft is its filer's alone
    body = api_as(reviewer).get(path).json()
    assert secret.case.docket not in str(body) and ("RL-3", "crossed") not in pairs(body)
    page = Client()
    page.force_login(reviewer)
    html = page.get(f"/cases/{case.pk}/tags/suggestions/").content.decode()
    assert 'data-testid="tag-suggestion"' in html and secret.case.docket not in html
    assert (
        page.post(
            f"/cases/{case.pk}/tags/suggestions/",
            {"code": "RL-2", "stance": "implicated_mitigated", "verdict": "accept"},
        ).status_code
        == 302
    )
    assert case.tags.filter(provision__code="RL-2").exists()


def test_the_filing_panel_ranks_an_untagged_draft_with_its_suggested_tags(casebook, reviewer):
    page = Client()
    page.force_login(reviewer)
    facts = case_facts(PartnerFactory(), title="Benefit triage again", proposed_use=TRIAGE)
    form = {key: value for key, value in facts.items() if isinstance(value, str)}
    form["partner"] = facts["partner"].pk
    form["data_involved"] = facts["data_involved"]
    html = page.post("/cases/similar/", form).content.decode()
    assert 'data-testid="ranked-with-suggested"' in html and "RL-2 implicated but mitigated" in html

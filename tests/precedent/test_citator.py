"""The citator's flags: how later decisions treated a decision, whether it was superseded,
whether the texts it relied on were revised, and whether it leans on overruled precedent;
each flag as its reader may see it, now or as it stood on a date."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from casebook.services import case_file, case_set_tags
from precedent import citator, search
from precedent.models import SearchEntry
from principles import services as framework
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

RULE = {"outcome": "approved", "holding": "Public summaries may be supported.", "rationale": "Public data."}


@pytest.fixture
def decide(reviewer, decider, framework):
    def decide_case(title, *, cites=(), tags=(), restricted=False, access_list=(), **fields):
        facts = case_facts(PartnerFactory(), title=title, restricted=restricted, access_list=list(access_list))
        case = case_file(by=reviewer, facts=facts)
        if tags:
            case_set_tags(case=case, by=reviewer, tags=list(tags))
        case = case_submit(case=case, by=reviewer)
        citations = [
            {"decision": decision.pk, "provision": "RL-1", "treatment": treatment, "reason": f"It {treatment} it."}
            for decision, treatment in cites
        ]
        opinions = ("approved", "approved") if any(t["stance"] == "implicated_mitigated" for t in tags) else ()
        return decision_issue(
            case=in_review(case, opinions=opinions), by=decider, citations=citations, **{**RULE, **fields}
        )

    return decide_case


def flag(decision, user):
    return citator.statuses([decision], seen_by=user)[decision.pk]


def stored(decision):
    return SearchEntry.objects.get(decision=decision).precedent


def test_a_decision_nobody_has_treated_is_good_law(decide, lawyer):
    first = decide("First")
    status = flag(first, lawyer)
    assert (status.code, status.reasons, status.tone) == ("good_law", (), "positive")


def test_the_flag_changes_when_a_later_decision_overrules_it(decide, lawyer):
    first = decide("First")
    decide("Second", cites=[(first, "follows")])
    assert flag(first, lawyer).code == "good_law"
    assert flag(first, lawyer).reasons == ("Followed or extended by 1 later decision.",)
    third = decide("Third", cites=[(first, "overrules")])
    status = flag(first, lawyer)
    assert status.code == "overruled" and status.tone == "negative"
    assert status.reasons[0].startswith(f"Overruled by {third.case.docket} (") and status.reasons[0].endswith(
        "on RL-1: It overrules it."
    )
    assert stored(first) == "overruled"


@pytest.mark.parametrize(("treatment", "code"), [("questions", "questioned"), ("distinguishes", "distinguished")])
def test_questioned_and_distinguished_are_flagged(decide, lawyer, treatment, code):
    first = decide("First")
    decide("Second", cites=[(first, treatment)])
    assert flag(first, lawyer).code == code and stored(first) == code


def test_a_decision_relying_on_an_overruled_one_shows_the_risk(decide, lawyer):
    first = decide("First")
    relying = decide("Relying", cites=[(first, "follows")])
    assert flag(relying, lawyer).code == "good_law"
    overruling = decide("Overruling", cites=[(first, "overrules")])
    status = flag(relying, lawyer)
    assert status.code == "relies_on_overruled"
    assert f"Follows {first.case.docket}, since overruled by {overruling.case.docket}" in status.reasons[0]
    assert stored(relying) == "relies_on_overruled"


def test_the_flag_changes_when_a_relied_on_provision_is_revised(decide, lawyer, admin_user):
    tagged = decide("Tagged", tags=[{"code": "RL-2", "stance": "implicated_mitigated", "note": "Benefits."}])
    untouched = decide("Untouched", tags=[{"code": "RL-3", "stance": "implicated_mitigated", "note": ""}])
    unaffected = decide("Unaffected", tags=[{"code": "RL-2", "stance": "not_implicated", "note": "No benefits."}])
    draft = framework.revision_draft(by=admin_user, change_summary="Tighten RL-2.")
    framework.revision_set_text(revision=draft, code="RL-2", title="High-stakes decisions", body="New.", by=admin_user)
    framework.revision_publish(revision=draft, by=admin_user)
    status = flag(tagged, lawyer)
    assert status.code == "revised" and status.tone == "caution"
    assert status.reasons == ("Decided against RL-2 as worded in Revision 2; revised in Revision 3.",)
    assert stored(tagged) == "revised"
    assert flag(untouched, lawyer).code == "good_law" and stored(untouched) == "good_law"
    assert flag(unaffected, lawyer).code == "good_law"  # RL-2 did not bear on it


def test_a_reconsidered_decision_is_superseded(decide, decider, lawyer):
    first = decide("First")
    decision_issue(case=in_review(first.case), by=decider, **{**RULE, "outcome": "narrowed"})
    assert flag(first, lawyer).code == "superseded" and stored(first) == "superseded"


def test_a_restricted_later_decision_counts_only_for_those_cleared(decide, lawyer, overseer):
    cleared = UserFactory(username="cleared", roles=["legal"])
    first = decide("First")
    secret = decide("Secret", cites=[(first, "overrules")], restricted=True, access_list=[cleared])
    assert flag(first, lawyer).code == "good_law" and stored(first) == "good_law"
    for user in (cleared, overseer):
        assert flag(first, user).code == "overruled" and secret.case.docket in flag(first, user).reasons[0]


def test_it_gives_the_status_as_it_stood_on_a_date(decide, lawyer):
    first = decide("First")
    overruling = decide("Overruling", cites=[(first, "overrules")])
    before = overruling.issued_at - datetime.timedelta(seconds=1)
    assert citator.statuses([first], seen_by=lawyer, as_of=before)[first.pk].code == "good_law"
    assert citator.statuses([first], seen_by=lawyer, as_of=timezone.now())[first.pk].code == "overruled"


def test_search_results_and_the_case_page_carry_the_flag(decide, lawyer):
    first = decide("Harbour cameras")
    decide("Later harbour ruling", cites=[(first, "overrules")])
    [result] = [r for r in search.search(user=lawyer, text="harbour").results if r.decision == first]
    assert result.status.code == "overruled"
    client = Client()
    client.force_login(lawyer)
    page = client.get(f"/cases/{first.case_id}/").content.decode()
    assert 'data-testid="precedent"' in page and "Overruled" in page


def precedent_facet(found) -> dict[str, int]:
    return {value.value: value.count for value in found.facets["precedent"]}


def test_a_search_as_of_a_date_counts_and_filters_the_flags_as_they_stood(decide, lawyer):
    first = decide("Harbour cameras")
    overruling = decide("Later harbour ruling", cites=[(first, "overrules")])
    before = first.issued_at  # and before the overruling, a moment later
    assert precedent_facet(search.search(user=lawyer, text="harbour")) == {"overruled": 1, "good_law": 1}
    then = search.search(user=lawyer, text="harbour", as_of=before)
    assert precedent_facet(then) == {"good_law": 2}
    assert {r.status.code for r in then.results} == {"good_law"}  # the results agree with the facet
    overruled_then = search.search(user=lawyer, text="harbour", filters={"precedent": "overruled"}, as_of=before)
    assert overruled_then.count == 0
    good_then = search.search(user=lawyer, text="harbour", filters={"precedent": "good_law"}, as_of=before)
    assert {r.entry.decision for r in good_then.results} == {first, overruling}
    good_now = search.search(user=lawyer, text="harbour", filters={"precedent": "good_law"})
    assert [r.entry.decision for r in good_now.results] == [overruling]


def test_a_search_as_of_a_date_before_a_revision_counts_what_was_then_good_law(decide, lawyer, admin_user):
    decide(
        "Harbour benefits",
        tags=[{"code": "RL-2", "stance": "implicated_mitigated", "note": "Benefits."}],
        at=timezone.now() - datetime.timedelta(days=10),
    )
    draft = framework.revision_draft(by=admin_user, change_summary="Tighten RL-2.")
    framework.revision_set_text(revision=draft, code="RL-2", title="High-stakes decisions", body="New.", by=admin_user)
    framework.revision_publish(revision=draft, by=admin_user)
    assert precedent_facet(search.search(user=lawyer, text="harbour")) == {"revised": 1}
    then = timezone.now() - datetime.timedelta(days=5)
    assert precedent_facet(search.search(user=lawyer, text="harbour", as_of=then)) == {"good_law": 1}
    assert search.search(user=lawyer, text="harbour", filters={"precedent": "revised"}, as_of=then).count == 0

"""Refitting similar decisions' weights on the casebook's own judgements: the precedents
its decisions cited and the suggestions marked "not similar". Weights are kept only when
they rank held-out judgements better, the change is on record, and similar decisions uses
them from then on. Closeness in meaning is off here (tests/conftest.py)."""

import dataclasses

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from casebook.services import case_file
from precedent.models import FittedWeights, SimilarityFeedback
from precedent.search import CaseFacts, fitting, fusion, similar
from precedent.services import similarity_mark, similarity_refit
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, case_facts, in_review

# Weights that look only at the words: a refit on judgements that follow the facts should
# learn to weigh the facts.
WORDS_ONLY = fusion.Weights(
    words=1.0,
    tags=0.0,
    facts=0.0,
    conflicts=0.0,
    seeds=1,
    feedback=0.0,
    seed_meaning=0.0,
    seed_tags=0.0,
    seed_words=0.0,
)


@pytest.fixture
def casebook(reviewer, decider, framework):
    """Two precedents and four later decisions that each cited the first. Each later case
    shares two of its four facts (partner, mission area, architecture, data) and one word
    with the first precedent, and two words with the other, which shares no fact; the
    later cases share a fact or two among themselves, and no word."""
    port, customs = PartnerFactory(name="Harbour Authority"), PartnerFactory(name="Customs Office")

    def decided(title, partner, mission_area, architecture, data, citations=()):
        facts = case_facts(
            partner,
            title=title,
            proposed_use=f"{title}.",
            mission_area=mission_area,
            architecture=architecture,
            data_involved=[data],
        )
        case = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
        holding = {"outcome": "approved", "holding": f"{title}.", "rationale": "."}
        return decision_issue(case=in_review(case), by=decider, citations=citations, **holding)

    on_facts = decided(
        "Manifests screened: maintenance, inspections, audits, repairs",
        port,
        "border_security",
        "on_premises",
        "non_personal",
    )
    on_words = decided(
        "Crane schedules, berth rosters, cargo tallies, winch logs",
        PartnerFactory(name="Inland Revenue Office"),
        "logistics",
        "edge_device",
        "us_person",
    )
    cite = [{"decision": on_facts.pk, "provision": "P-1", "treatment": "follows", "reason": "The same screening."}]
    later = [
        decided("Crane schedules and maintenance", port, "border_security", "cloud_only", "open_source", cite),
        decided("Berth rosters and inspections", customs, "translation", "on_premises", "non_personal", cite),
        decided("Cargo tallies and audits", port, "translation", "on_premises", "open_source", cite),
        decided("Winch logs and repairs", customs, "border_security", "cloud_only", "non_personal", cite),
    ]
    return {"on_facts": on_facts, "on_words": on_words, "later": later}


def test_with_too_few_judgements_the_weights_in_use_stay(casebook, lawyer, capsys):
    refits = similarity_refit()
    assert [(r.tagged, r.judged, r.weights) for r in refits] == [(True, 0, None), (False, 4, None)]
    assert not FittedWeights.objects.exists() and not AuditEvent.objects.filter(action="similarity.refitted").exists()
    call_command("refit_similarity")
    assert "4 judged cases, 20 needed to refit; the weights in use stay." in capsys.readouterr().out


def test_weights_refitted_on_the_judgements_are_kept_on_record_and_used(casebook, lawyer, monkeypatch):
    monkeypatch.setattr(fitting, "MIN_JUDGED", 4)
    monkeypatch.setitem(fusion.WEIGHTS, (False, False), WORDS_ONLY)
    draft = CaseFacts.of(casebook["later"][0].case)
    untagged = dataclasses.replace(draft, tags=())
    before = [s.case.pk for s in similar(user=lawyer, draft=untagged).results]
    assert before[0] == casebook["on_words"].case_id  # the words alone choose the other
    [_, refit] = similarity_refit()
    assert refit.judged == 4 and refit.weights is not None and refit.weights.facts > 0
    assert refit.after > refit.before
    kept = FittedWeights.objects.get()
    assert (kept.tagged, kept.semantic, kept.judged) == (False, False, 4)
    event = AuditEvent.objects.get(action="similarity.refitted")
    assert event.before["weights"]["facts"] == 0 and event.after["weights"] == kept.weights
    after = [s.case.pk for s in similar(user=lawyer, draft=untagged).results]
    assert after[0] == casebook["on_facts"].case_id


def test_refitted_weights_that_do_no_better_are_not_kept(casebook, monkeypatch):
    monkeypatch.setattr(fitting, "MIN_JUDGED", 4)
    monkeypatch.setattr(fitting, "MARGIN", 10.0)  # no refit can be that much better
    [_, refit] = similarity_refit()
    assert refit.judged == 4 and refit.weights is None and not FittedWeights.objects.exists()


def test_weights_of_an_older_shape_are_not_used(db):
    FittedWeights.objects.create(
        tagged=True,
        semantic=False,
        weights={"lexical": 1.0},
        judged=30,
        before=0.5,
        after=0.6,
        fitted_at=timezone.now(),
    )
    assert fusion.weights_for(tagged=True, meaning=False) == fusion.WEIGHTS[(True, False)]


def test_a_suggestion_marked_not_similar_counts_against_weights_that_rank_it_high(casebook, reviewer):
    case = case_submit(
        case=case_file(
            by=reviewer,
            facts=case_facts(casebook["on_facts"].case.partner, title="Crane schedules and cargo tallies"),
        ),
        by=reviewer,
    )
    similarity_mark(case=case, similar_case_id=casebook["on_words"].case_id, by=reviewer, reason="Other cargo.")
    [judged] = [j for j in fitting.judgements(tagged=False) if j.marked]
    assert judged.marked == {casebook["on_words"].case_id} and not judged.cited
    assert SimilarityFeedback.objects.count() == 1
    # Every candidate is in a first five this short: the mark costs each weighting a fifth.
    assert fitting.agreement([judged], WORDS_ONLY) == pytest.approx(0.8)

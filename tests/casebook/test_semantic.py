"""Closeness in meaning, with the real all-MiniLM-L6-v2 model on the CPU (the [semantic]
extra, which `make test` installs): stored embeddings, exact nearest neighbours inside
need-to-know, its place in the fused ranking, and similarity without it."""

import pytest
from django.test import Client

from casebook.models import CaseEmbedding
from casebook.search import semantic
from casebook.search.similar import Draft, similar
from casebook.services import case_file, case_submit, decision_issue
from casebook.tasks import embed_case
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

pytestmark = pytest.mark.semantic


@pytest.fixture
def decided(reviewer, decider, framework):
    def decide(title, use, **facts):
        case = case_submit(
            case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title, proposed_use=use, **facts)),
            by=reviewer,
        )
        decision = decision_issue(
            case=in_review(case), by=decider, outcome="approved", holding=f"{title}.", rationale="."
        )
        embed_case(case.pk)
        return decision

    return decide


def test_it_stores_an_embedding_once_per_text(decided):
    decision = decided("Facial recognition at protests", "Match faces in footage against a watch list.")
    stored = CaseEmbedding.objects.get(case=decision.case)
    assert len(bytes(stored.vector)) == 4 * semantic.DIMENSIONS and stored.model == semantic.MODEL_NAME
    assert embed_case(decision.case_id) is False  # unchanged text: nothing to do
    assert embed_case(999_999) is False  # a case since gone


def test_it_finds_the_closest_in_meaning_without_shared_words(decided, lawyer):
    faces = decided("Facial recognition at protests", "Match faces in demonstration footage against a watch list.")
    decided("Translating field manuals", "Translate equipment manuals for logistics staff.")
    decided("Forecasting fuel deliveries", "Plan fuel convoys from consumption figures.")
    [(entry_id, score), *_] = semantic.nearest(
        user=lawyer, text="Identifying individuals in crowds from camera images", exclude_case=None, limit=3
    )
    from casebook.models import SearchEntry

    assert SearchEntry.objects.get(pk=entry_id).decision == faces and 0 < score <= 1


def test_need_to_know_applies_before_ranking(decided, lawyer, overseer):
    cleared = UserFactory(username="cleared", roles=["legal"])
    secret = decided("Covert facial recognition", "Match faces of sources.", restricted=True, access_list=[cleared])
    text = "facial recognition of sources"
    for user, sees in [(lawyer, False), (cleared, True), (overseer, True)]:
        found = semantic.nearest(user=user, text=text, exclude_case=None, limit=5)
        from casebook.models import SearchEntry

        cases = set(SearchEntry.objects.filter(pk__in=[e for e, _ in found]).values_list("case_id", flat=True))
        assert (secret.case_id in cases) is sees, user


def test_it_joins_the_fused_ranking_with_its_reason(decided, lawyer):
    decided("Facial recognition at protests", "Match faces in demonstration footage against a watch list.")
    found = similar(user=lawyer, draft=Draft(title="Identifying people in crowds", proposed_use="From camera images."))
    assert found.semantic is True
    top = found.results[0]
    assert "semantic" in top.components and any(r.startswith("Close in meaning") for r in top.reasons)


def test_without_it_similarity_uses_the_other_signals_and_says_so(decided, reviewer, lawyer, settings):
    settings.SEMANTIC_SEARCH = False
    decision = decided("Facial recognition at protests", "Match faces in footage.")
    found = similar(user=lawyer, draft=Draft(title="Facial recognition of crowds"))
    assert found.semantic is False and found.results[0].decision == decision
    assert "semantic" not in found.results[0].components
    client = Client()
    client.force_login(lawyer)
    assert 'data-testid="semantic-off"' in client.get(f"/cases/{decision.case_id}/").content.decode()


@pytest.mark.worker
def test_the_worker_embeds_a_case_when_it_changes(celery_worker, reviewer, framework):
    from tests.reviews.test_notification_worker import wait_for

    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Harbour cameras"))
    wait_for(lambda: CaseEmbedding.objects.filter(case=case).exists(), timeout=60)

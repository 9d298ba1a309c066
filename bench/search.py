"""Precedent search benchmark: generates N realistic synthetic cases, builds the index, and
prints p50/p95 for search (AND- and OR-style queries, with snippets and facets) and for
similar-case requests, at the engine and over HTTP (two gunicorn workers: each one's first
similar request, then requests a second with 2 and 4 clients at once), on SQLite and on
PostgreSQL; with the index build times, the embedding throughput (when the [semantic] extra
is installed) and the web workers' resident memory. Figures are compared with the targets
of issue 14.

    .venv/bin/python bench/search.py                       # 100,000 cases, both engines
    .venv/bin/python bench/search.py --cases 5000 --engine sqlite

Each database gets a database of its own, made afresh: /tmp/casebook-bench.sqlite3, and
`casebook_bench` on the local PostgreSQL (BENCH_POSTGRES_URL to use another server), and a
search index of its own beside it (/tmp/casebook-bench-index-sqlite, -postgres).
The synthetic text is drawn from a word-pair model of the demo casebook's own memos, so
its vocabulary and word frequencies are those of real review writing.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import tomllib
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQLITE_PATH = Path("/tmp/casebook-bench.sqlite3")
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/casebook_bench")
# Over HTTP, drafts are embedded as in production: by an encoder worker, through Redis.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
ENCODER = f"bench-encoder-{os.getpid()}@localhost"
# Issue 14's targets, at 100,000 cases on a 2-core machine.
TARGETS = {
    "search_engine_p95 AND-style": 10,
    "search_engine_p95 OR-style": 20,
    "search_http_p95 AND-style": 30,
    "search_http_p95 OR-style": 40,
    "similar_engine_p95": 20,
    "similar_http_p95": 50,
    "similar_semantic_p95": 100,
    "rebuild_s": 60,
    "worker_rss_mb": 300,
    # At least, over HTTP with two gunicorn workers.
    "search_rps": 100,
    "similar_rps": 50,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--queries", type=int, default=200, help="timed requests of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--embed", type=int, default=4096, help="cases to encode for real (the rest repeat them)")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one engine, in a process of its own
    args = parser.parse_args()
    if args.run:
        run_engine(args)
        return
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    for engine in engines:
        command = [sys.executable, __file__, "--run", engine, "--cases", str(args.cases)]
        command += ["--queries", str(args.queries), "--seed", str(args.seed), "--embed", str(args.embed)]
        subprocess.run(command, check=True, cwd=ROOT)


# One engine ------------------------------------------------------------------------------


def run_engine(args) -> None:
    url = f"sqlite:///{SQLITE_PATH}" if args.run == "sqlite" else POSTGRES_URL
    fresh_database(args.run, url)
    index = Path(f"/tmp/casebook-bench-index-{args.run}")
    shutil.rmtree(index, ignore_errors=True)
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SEARCH_INDEX_DIR": str(index),
            "AUDIT_ANCHOR_FILE": f"/tmp/casebook-bench-audit-anchor-{args.run}.json",
        }
    )
    os.environ.pop("REDIS_URL", None)  # tasks in-process: the benchmark times search, not a queue
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    print(f"\n== {args.run}: {args.cases:,} synthetic cases")
    rng = random.Random(args.seed)
    started = time.perf_counter()
    people = generate(args.cases, rng)
    print(f"generated the records in {time.perf_counter() - started:.1f} s")

    # Embedded before the index is built, so that its similarity arrays take the vectors in.
    semantic_on = embed_all(args)
    from precedent import search

    started = time.perf_counter()
    made = search.rebuild()  # every entry from the records, and the engine's index over them
    rebuild_s = time.perf_counter() - started
    started = time.perf_counter()
    search.rebuild_engine()
    engine_s = time.perf_counter() - started
    from precedent.search import engine

    similarity = sum(f.stat().st_blocks * 512 for f in (engine.current_path() / "similarity").rglob("*.npy"))
    print(f"index build: {made:,} entries, {engine.size_on_disk() / 2**20:.0f} MB on disk")
    print(f"similarity arrays: {similarity / 2**20:.0f} MB on disk")
    report("remaking the entries from the records, then the index", rebuild_s, unit="s")
    report("the engine's index alone (manage.py rebuild_index)", engine_s, "rebuild_s", unit="s")
    # A live PostgreSQL has its planner statistics (autovacuum keeps them); one loaded in bulk a
    # moment ago has none. SQLite keeps none unless asked, and Casebook never asks.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    queries = make_queries(rng, args.queries)
    drafts = make_drafts(rng, args.queries)
    lawyer = people["lawyer"]
    time_engine(lawyer, queries, drafts, semantic_on)
    time_replaced(lawyer, queries)
    time_http(url, people, queries, drafts, semantic_on)


def fresh_database(engine: str, url: str) -> None:
    Path(f"/tmp/casebook-bench-audit-anchor-{engine}.json").unlink(missing_ok=True)
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# Synthetic casebook -------------------------------------------------------------------------


class Writer:
    """Sentences drawn from the word pairs of the demo casebook's memos."""

    def __init__(self, rng: random.Random):
        import re

        data = tomllib.loads((ROOT / "demo" / "data" / "demo_casebook.toml").read_text())
        texts = [c["proposed_use"] for c in data["cases"]]
        texts += [d[field] for c in data["cases"] for d in c.get("decisions", []) for field in ("holding", "rationale")]
        self.rng = rng
        self.follows: dict[str, list[str]] = {}
        self.starts: list[str] = []
        for text in texts:
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                words = sentence.split()
                if len(words) < 4:
                    continue
                self.starts.append(words[0])
                for a, b in zip(words, words[1:], strict=False):
                    self.follows.setdefault(a, []).append(b)

    def sentence(self, most: int = 28) -> str:
        word = self.rng.choice(self.starts)
        words = [word]
        while len(words) < most and not word.endswith("."):
            word = self.rng.choice(self.follows.get(word) or self.starts)
            words.append(word)
        return " ".join(words).rstrip(".,;:") + "."

    def text(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))


class Names:
    """The proper names a casebook keeps adding: partners' systems, places and authorities.
    As in real text, a few are everywhere and most are rare (a Pareto tail: the commonest
    is in some 4% of texts), and new ones keep coming as the casebook grows, unlike the
    demo memos' fixed 2,120 words, where an OR of three words matches two thirds of all
    entries."""

    SYLLABLES = "ka lo mi ran tor vel sun dra pe ix ol nu ber ghi sa fen qua ro li mar zen do".split()
    KINDS = ("system", "place", "authority")

    def __init__(self, rng: random.Random):
        self.rng = rng

    def name(self, kind: str) -> str:
        k = int(20 * self.rng.paretovariate(0.8)) * len(self.KINDS) + self.KINDS.index(kind)
        parts = []
        while k:
            k, digit = divmod(k, len(self.SYLLABLES))
            parts.append(self.SYLLABLES[digit])
        return "".join(parts).capitalize()

    def title(self, writer: Writer) -> str:
        ending = self.rng.choice(
            [
                f"for the {self.name('system')} system",
                f"at {self.name('place')}",
                f"under the {self.name('authority')} Act",
            ]
        )
        return f"{writer.sentence(8).rstrip('.')} {ending}"

    def text(self, writer: Writer, sentences: int) -> str:
        named = f"It runs on {self.name('system')} at {self.name('place')}, as the {self.name('authority')} Act allows."
        return f"{writer.text(sentences)} {named}"


def generate(n: int, rng: random.Random) -> dict:
    """N decided cases with their tags and decisions, written in bulk: the services would
    take hours, and the benchmark measures search, not filing."""
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from casebook.choices import (
        STANCES_BY_KIND,
        Architecture,
        DataCategory,
        ForceProximity,
        HumanJudgment,
        MissionArea,
        Outcome,
        PartnerKind,
    )
    from casebook.models import Case, CaseData, Decision, Partner, Tag, User
    from principles.models import Revision

    writer, names = Writer(rng), Names(rng)
    people = {}
    for username, role in (("reviewer", "reviewer"), ("decider", "decision-maker"), ("lawyer", "legal")):
        user = User.objects.create_user(username=username, password="bench-password")
        user.groups.set(Group.objects.filter(name=role))
        people[username] = user
    partners = Partner.objects.bulk_create(
        Partner(name=f"Partner {i:03d}", kind=rng.choice(PartnerKind.values), country=rng.choice(COUNTRIES))
        for i in range(200)
    )
    revision = Revision.objects.in_force()
    texts = list(revision.texts.select_related("provision"))
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, n, 2000):
            size = min(2000, n - start)
            cases = Case.objects.bulk_create(
                Case(
                    docket=f"NS-{2020 + (start + i) // 20000}-{(start + i) % 20000 + 1:05d}",
                    title=names.title(writer),
                    partner=rng.choice(partners),
                    mission_area=rng.choice(MissionArea.values),
                    proposed_use=names.text(writer, rng.randint(2, 5)),
                    architecture=rng.choice(Architecture.values),
                    human_judgment=rng.choice(HumanJudgment.values),
                    force_proximity=rng.choices(ForceProximity.values, weights=[8, 2, 1])[0],
                    restricted=rng.random() < 0.05,
                    status="decided",
                    filed_by=people["reviewer"],
                    submitted_at=now,
                )
                for i in range(size)
            )
            CaseData.objects.bulk_create(
                CaseData(case=case, category=category)
                for case in cases
                for category in rng.sample(DataCategory.values, rng.randint(1, 3))
            )
            Tag.objects.bulk_create(
                Tag(
                    case=case,
                    provision=text.provision,
                    provision_text=text,
                    stance=rng.choice(STANCES_BY_KIND[text.provision.kind]),
                    note=writer.sentence(14) if rng.random() < 0.5 else "",
                    tagged_by=people["reviewer"],
                )
                for case in cases
                for text in rng.sample(texts, rng.randint(4, 9))
            )
            Decision.objects.bulk_create(
                Decision(
                    case=case,
                    outcome=rng.choice(Outcome.values),
                    holding=f"{writer.sentence(24)} {names.title(writer)}.",
                    rationale=writer.text(rng.randint(4, 9)),
                    public_digest=writer.sentence(20),
                    decided_by=people["decider"],
                    revision=revision,
                    issued_at=now - datetime.timedelta(days=rng.randint(0, 2000)),
                )
                for case in cases
            )
    return people


COUNTRIES = ["United States", "United Kingdom", "Canada", "Australia", "Japan", "Germany", "France", "Poland"]


def make_queries(rng: random.Random, n: int) -> dict[str, list[str]]:
    """What reviewers type: a name or two and a word (AND), or alternatives (OR); and, as a
    second set, what a careless query does, words of the memos alone, which match most."""
    writer, names = Writer(rng), Names(rng)
    words = [w.strip(".,;:()").lower() for w in writer.text(400).split()]
    from precedent.search.query import STOP_WORDS

    words = [w for w in words if len(w) > 3 and w.isalpha() and w not in STOP_WORDS]

    def name() -> str:
        return names.name(rng.choice(Names.KINDS)).lower()

    return {
        "AND-style": [" ".join([name(), rng.choice(words)][: rng.choice([1, 2, 2])]) for _ in range(n)],
        "OR-style": [" OR ".join([name(), name(), rng.choice(words)]) for _ in range(n)],
        "AND-style, memo words only": [" ".join(rng.sample(words, rng.choice([2, 2, 3]))) for _ in range(n)],
        "OR-style, memo words only": [" OR ".join(rng.sample(words, 3)) for _ in range(n)],
    }


def make_drafts(rng: random.Random, n: int) -> list:
    from casebook.choices import STANCES_BY_KIND, Architecture, DataCategory, HumanJudgment, MissionArea
    from casebook.models import Partner
    from precedent.search import CaseFacts
    from principles.models import Revision

    writer, names = Writer(rng), Names(rng)
    partners = list(Partner.objects.values_list("pk", flat=True))
    provisions = [
        (t.provision.code, t.provision.kind) for t in Revision.objects.in_force().texts.select_related("provision")
    ]
    return [
        CaseFacts(
            title=names.title(writer),
            proposed_use=names.text(writer, 3),
            partner_id=rng.choice(partners),
            mission_area=rng.choice(MissionArea.values),
            architecture=rng.choice(Architecture.values),
            human_judgment=rng.choice(HumanJudgment.values),
            force_proximity="none",
            data_involved=tuple(rng.sample(DataCategory.values, 2)),
            tags=tuple((code, rng.choice(STANCES_BY_KIND[kind])) for code, kind in rng.sample(provisions, 6)),
        )
        for _ in range(n)
    ]


# Timing ----------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def report(label: str, value: float, target: str | None = None, *, unit: str = "ms", p50: float | None = None) -> None:
    limit = TARGETS.get(target) if target else None
    verdict = ""
    if limit is not None:
        verdict = f"  (target ≤ {limit:g} {unit}: {'met' if value <= limit else 'MISSED'})"
    head = f"p50 {p50:7.1f} {unit}  p95 {value:7.1f} {unit}" if p50 is not None else f"{value:.1f} {unit}"
    print(f"  {label:<52} {head}{verdict}")


def timed(call, items) -> list[float]:
    call(items[0])  # warm the caches once
    samples = []
    for item in items:
        started = time.perf_counter()
        call(item)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def time_engine(lawyer, queries: dict[str, list[str]], drafts: list, semantic_on: bool) -> None:
    from precedent import search
    from precedent.search import similar

    print("at the engine (a lawyer, not cleared for the 5% restricted cases):")
    for style, texts in queries.items():
        p50, p95 = percentiles(timed(lambda q: search.search(user=lawyer, text=q, facets=False), texts))
        target = f"search_engine_p95 {style.split(',')[0]}"
        report(f"search {style}, ranked page of 20 with snippets", p95, target, p50=p50)
        p50, p95 = percentiles(timed(lambda q: search.search(user=lawyer, text=q), texts))
        report(f"search {style}, with facet counts and flags", p95, target, p50=p50)
    from django.test import override_settings

    with override_settings(SEMANTIC_SEARCH=False):
        p50, p95 = percentiles(timed(lambda d: similar(user=lawyer, draft=d), drafts))
    report("similar cases for a draft, semantic off", p95, "similar_engine_p95", p50=p50)
    if semantic_on:
        p50, p95 = percentiles(timed(lambda d: similar(user=lawyer, draft=d), drafts))
        report("similar cases for a draft, semantic on (encoding it)", p95, "similar_semantic_p95", p50=p50)


def time_replaced(lawyer, queries: dict[str, list[str]]) -> None:
    """The engines tantivy replaced, on the same entries and queries: SQLite's FTS5 with
    BM25 and PostgreSQL's weighted tsvector under GIN with ts_rank_cd, as Casebook queried
    them until commit 2c8386c (the fields weighted alike, need-to-know in the query, a page
    of 20 and the exact count), beside tantivy asked the same, as a ratio. Only the engine:
    the entries' hydration, snippets and flags, which the two share, are not in either."""
    from django.db import connection

    from precedent.search import engine, retrieval
    from precedent.search.query import parse
    from precedent.search.scope import Scope

    replaced = _Replaced(connection)
    scope = Scope.for_user(lawyer)
    searcher = engine.searcher()
    print(f"the replaced engine ({replaced.name}), a page of 20 and the count, against tantivy asked the same:")
    try:
        for style, texts in queries.items():
            _, ours = percentiles(
                timed(lambda q: retrieval.ranked(searcher, parse(q), scope, limit=20, offset=0), texts)
            )
            _, theirs = percentiles(timed(replaced.search, texts))
            print(f"  {style:<52} p95 {theirs:7.1f} ms against {ours:5.1f} ms: {theirs / ours:5.1f} times faster now")
    finally:
        replaced.drop()


class _Replaced:
    WEIGHTS = (10, 10, 4, 2, 1)  # title, holding, proposed use, rationale, notes: engine.TEXTS
    TEXTS = "title, holding, proposed_use, rationale, notes"

    def __init__(self, connection):
        self.connection, self.postgres = connection, connection.vendor == "postgresql"
        self.name = "PostgreSQL tsvector, GIN" if self.postgres else "SQLite FTS5"
        with connection.cursor() as cursor:
            if self.postgres:
                vector = " || ".join(
                    f"setweight(to_tsvector('english', coalesce({name}, '')), '{weight}')"
                    for name, weight in zip(self.TEXTS.split(", "), "AABCD", strict=True)
                )
                cursor.execute(
                    "ALTER TABLE casebook_searchentry "
                    f"ADD COLUMN bench_vector tsvector GENERATED ALWAYS AS ({vector}) STORED"
                )
                cursor.execute("CREATE INDEX bench_vector_gin ON casebook_searchentry USING gin (bench_vector)")
                cursor.execute("ANALYZE casebook_searchentry")
            else:
                cursor.execute(f"CREATE VIRTUAL TABLE bench_fts USING fts5({self.TEXTS}, tokenize='porter unicode61')")
                cursor.execute(
                    f"INSERT INTO bench_fts(rowid, {self.TEXTS}) SELECT id, {self.TEXTS} FROM casebook_searchentry"
                )

    def search(self, text: str) -> None:
        """A page of 20 and the count, the way the replaced code asked: the best 60 matches
        scored on the engine's own index first, need-to-know tested on those alone, and
        the exact way (the scope tested on every match) only when that cut cannot be sure
        of the page."""
        words = text.split(" OR ")
        either = len(words) > 1
        words = words if either else text.split()
        with self.connection.cursor() as cursor:
            if self.postgres:
                # As the replaced engine did: the GIN index, never a scan of every vector.
                cursor.execute("SET enable_seqscan = off")
                query = (" | " if either else " & ").join(words)
                rank = "ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', e.bench_vector, q)"
                source = "casebook_searchentry e, to_tsquery('english', %s) q WHERE e.bench_vector @@ q"
                ties = "e.issued_at DESC NULLS LAST, e.id DESC"
                best = f"SELECT e.id, {rank} AS score FROM {source} ORDER BY score DESC, {ties} LIMIT 60"
            else:
                query = (" OR " if either else " AND ").join(f'"{w}"' for w in words)
                rank = f"-bm25(bench_fts, {', '.join(map(str, self.WEIGHTS))})"
                source = "bench_fts JOIN casebook_searchentry e ON e.id = bench_fts.rowid WHERE bench_fts MATCH %s"
                ties = "e.issued_at DESC, e.id DESC"
                # Scored on the FTS5 table alone, as the replaced code did.
                best = f"SELECT rowid AS id, {rank} AS score FROM bench_fts WHERE bench_fts MATCH %s "
                best += "ORDER BY score DESC, rowid DESC LIMIT 60"
            cursor.execute(
                f"WITH r AS MATERIALIZED ({best}) "
                "SELECT r.id, r.score, (SELECT COUNT(*) FROM r), (SELECT MIN(score) FROM r) "
                f"FROM r JOIN casebook_searchentry e ON e.id = r.id WHERE e.open_to_all "
                f"ORDER BY r.score DESC, {ties} LIMIT 20",
                (query,),
            )
            cut = cursor.fetchall()
            kept, floor = cut[0][2:] if cut else (60, None)
            if not (kept < 60 or (len(cut) == 20 and cut[-1][1] > floor)):
                exact = f"SELECT e.id, {rank} AS score FROM {source} AND e.open_to_all"
                cursor.execute(f"{exact} ORDER BY score DESC, {ties} LIMIT 20", (query,))
                cursor.fetchall()
            cursor.execute(f"SELECT count(*) FROM {source} AND e.open_to_all", (query,))
            cursor.fetchall()
            if self.postgres:
                cursor.execute("SET enable_seqscan = on")

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("ALTER TABLE casebook_searchentry DROP COLUMN bench_vector")
            else:
                cursor.execute("DROP TABLE bench_fts")


def embed_all(args) -> bool:
    """An embedding for every case, as the embed_case task stores them. The first
    `--embed` cases are encoded for real (which gives the throughput); the rest of the index
    repeats those vectors, unless --embed covers every case: the cost of an exact
    nearest-neighbour search and the memory it takes depend on how many vectors there are,
    not on their values. Real vectors are cached on disk, so the second engine reuses them."""
    from precedent.search import semantic

    if not semantic.available():
        print("embeddings: the [semantic] extra is not installed; semantic similarity is off")
        return False
    import numpy as np

    from casebook.models import Case
    from precedent.models import CaseEmbedding

    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    real = min(args.embed, len(ids))
    # Named for the corpus too: the vectors are of its texts.
    cache = Path(f"/tmp/casebook-bench-embeddings-names-{args.cases}-{args.seed}-{real}.npy")
    sample = list(Case.objects.filter(pk__in=ids[:256]).prefetch_related("decisions"))
    started = time.perf_counter()
    semantic.encode([semantic.case_text(case) for case in sample])
    print(f"embedding throughput: {len(sample) / (time.perf_counter() - started):.0f} cases a second")
    if cache.exists():
        computed = np.load(cache)
        print(f"embeddings: {real:,} real vectors from {cache}")
    else:
        started = time.perf_counter()
        computed = np.zeros((real, semantic.DIMENSIONS), dtype=np.float32)
        for start in range(0, real, 256):
            cases = Case.objects.filter(pk__in=ids[start : min(start + 256, real)]).prefetch_related("decisions")
            batch = semantic.encode([semantic.case_text(c) for c in cases.order_by("pk")])
            computed[start : start + len(batch)] = batch
        elapsed = time.perf_counter() - started
        np.save(cache, computed)
        print(f"embeddings: {real:,} encoded in {elapsed:.0f} s")
    if real < len(ids):
        print(f"embeddings: the other {len(ids) - real:,} cases repeat those vectors (--embed {len(ids)} for all)")
    CaseEmbedding.objects.bulk_create(
        (
            CaseEmbedding(case_id=pk, model=semantic.MODEL_NAME, digest="bench", vector=computed[n % real].tobytes())
            for n, pk in enumerate(ids)
        ),
        batch_size=2000,
    )
    return True


def time_http(url: str, people: dict, queries: dict[str, list[str]], drafts: list, semantic_on: bool) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=people["lawyer"]).key
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "DEBUG": "true", "ALLOWED_HOSTS": "127.0.0.1"}
    quiet = {"cwd": ROOT, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    encoder = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues=encode,embed", "--pool=solo"]
        + [f"--hostname={ENCODER}", "--without-gossip", "--without-mingle"],
        **quiet,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"], **quiet
    )
    try:
        wait_for(port)
        if semantic_on:
            wait_for_encoder(env, ENCODER)

        def get(q):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/search/?" + urllib.parse.urlencode({"q": q}),
                headers={"Authorization": f"Token {token}"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()

        def post(draft):
            body = json.dumps(
                {
                    "title": draft.title,
                    "proposed_use": draft.proposed_use,
                    "partner": draft.partner_id,
                    "mission_area": draft.mission_area,
                    "architecture": draft.architecture,
                    "human_judgment": draft.human_judgment,
                    "data_involved": list(draft.data_involved),
                    "tags": [{"code": c, "stance": s} for c, s in draft.tags],
                }
            ).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/similar/",
                data=body,
                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                # A figure for "semantic on" counts only answers closeness in meaning took part in.
                if json.loads(response.read())["semantic"] is not semantic_on:
                    raise SystemExit("POST /api/similar/ answered without closeness in meaning: is the encoder up?")

        print("over HTTP (gunicorn, two sync workers, token auth):")
        # Before anything warms them: each worker's first similar request (two clients at
        # once, so that both workers take one).
        target = "similar_semantic_p95" if semantic_on else "similar_http_p95"
        *firsts, _ = concurrently(post, drafts[:2], clients=2, count=2)
        report("POST /api/similar/, each worker's first request", max(firsts), target)
        for style, texts in queries.items():
            p50, p95 = percentiles(timed(get, texts))
            report(f"GET /api/search/ {style}", p95, f"search_http_p95 {style.split(',')[0]}", p50=p50)
        p50, p95 = percentiles(timed(post, drafts))
        report(f"POST /api/similar/ (a draft, semantic {'on' if semantic_on else 'off'})", p95, target, p50=p50)
        for clients in (2, 4):
            for style, texts in queries.items():
                rate(
                    f"GET /api/search/ {style}, {clients} clients",
                    concurrently(get, texts, clients=clients),
                    "search_rps",
                )
            rate(f"POST /api/similar/, {clients} clients", concurrently(post, drafts, clients=clients), "similar_rps")
        loaded = " with the semantic index loaded (the encoder holds the model)" if semantic_on else ""
        workers = [memory(pid) for pid in children_of(server.pid)]
        report(
            f"web worker resident memory{loaded}, the larger",
            max(w["Rss"] for w in workers),
            "worker_rss_mb",
            unit="MB",
        )
        report("  of which its own (private), the larger", max(w["Private"] for w in workers), unit="MB")
        report("  its share of what they map together (Pss), the larger", max(w["Pss"] for w in workers), unit="MB")
        if semantic_on:
            report("encoder worker resident memory, with the model loaded", rss(encoder.pid), unit="MB")
    finally:
        for process in (server, encoder):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def concurrently(call, items: list, *, clients: int, count: int | None = None) -> list[float]:
    """Each request's time when `clients` send `items` (each in turn, `count` in all, by
    default as many as there are items) as fast as they are answered; the last entry is the
    wall-clock time of the whole, in ms."""
    from concurrent.futures import ThreadPoolExecutor

    count = count or len(items)
    samples: list[float] = []

    def client(first: int) -> None:
        for n in range(first, count, clients):
            started = time.perf_counter()
            call(items[n % len(items)])
            samples.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return [*samples, (time.perf_counter() - started) * 1000]


def rate(label: str, samples: list[float], target: str) -> None:
    """Requests a second, and their p95, from concurrently's samples."""
    *times, wall = samples
    per_second = len(times) / (wall / 1000)
    _, p95 = percentiles(times)
    verdict = f"(target ≥ {TARGETS[target]:g}: {'met' if per_second >= TARGETS[target] else 'MISSED'})"
    print(f"  {label:<52} {per_second:7.1f} requests/s, p95 {p95:7.1f} ms  {verdict}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start within a minute")


def wait_for_encoder(env: dict, name: str) -> None:
    """Until the encoder worker answers a ping, which it does once it has loaded the model."""
    probe = f"from config.celery import app; raise SystemExit(not app.control.ping([{name!r}], timeout=1))"
    deadline = time.monotonic() + 120
    while subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True).returncode:
        if time.monotonic() > deadline:
            raise SystemExit("the encoder worker did not start within two minutes")


def children_of(master_pid: int) -> list[int]:
    """gunicorn's workers: the master's children."""
    return [int(pid) for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()]


def memory(pid: int) -> dict[str, float]:
    """A process's resident memory (Rss), the part of it no other process maps (Private)
    and its proportional share (Pss: each page shared by N processes counts 1/N), in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        found[name.rstrip(":")] = int(value) / 1024
    return {**found, "Private": found["Private_Clean"] + found["Private_Dirty"]}


def rss(pid: int) -> float:
    """A process's resident memory, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    main()

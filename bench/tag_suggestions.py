"""Suggested tags, measured: precision and recall of the red-line stances Casebook suggests
(implicated but mitigated, crossed) against the tags reviewers gave, on drafts held out of
the casebook they are suggested from; beside three simple baselines computed here on the
same drafts: the casebook's habits (every red-line stance that at least 30% of its cases
carry, whatever the draft says), the nearest precedents alone, and the red lines' wording
alone.

    .venv/bin/python bench/tag_suggestions.py

Two sets. The relevance set of bench/quality.py (bench/relevance/casebook.toml): its
precedents are the casebook, its drafts (ten doctrine families, with look-alikes) the
held-out cases. And the demo casebook, each decided case held out in turn (leave one out:
its own decisions are never among its neighbours). Target: Casebook's F1 on each set at
least that of the best baseline (a ratio of 1.0 or more), and recall of 0.6 or more.
Written into a database of its own (/tmp/casebook-suggestions.sqlite3).
"""

import os
import shutil
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = Path("/tmp/casebook-suggestions.sqlite3")
INDEX = Path("/tmp/casebook-suggestions-index")
PRIOR = 0.3
TARGET_RECALL = 0.6
SERIOUS = {"implicated_mitigated", "crossed"}


def main() -> None:
    DATABASE.unlink(missing_ok=True)
    shutil.rmtree(INDEX, ignore_errors=True)
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{DATABASE}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SEARCH_INDEX_DIR": str(INDEX),
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.core.management import call_command

    from precedent import search

    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    from quality import load

    relevance = tomllib.loads((ROOT / "bench" / "relevance" / "casebook.toml").read_text())
    lawyer, _ = load(relevance)
    search.rebuild()
    drafts = [(_facts(query), _serious(query["tags"])) for query in relevance["queries"]]
    ok = report("relevance set", lawyer, drafts, held_out=None)

    call_command("flush", interactive=False, verbosity=0)
    call_command("load_framework", verbosity=0)
    call_command("load_demo", verbosity=0)
    search.rebuild()
    from casebook.models import Case, User

    legal = User.objects.get(username="legal")
    decided = Case.objects.filter(decisions__isnull=False).distinct().order_by("pk")
    drafts = []
    for case in decided:
        facts = search.CaseFacts.of(case)  # its own id kept, so it is never its own neighbour
        drafts.append((replace(facts, tags=()), _serious(facts.tags)))
    ok &= report("demo casebook, leave one out", legal, drafts, held_out=True)
    sys.exit(0 if ok else 1)


def _facts(query: dict):
    from casebook.models import Partner
    from precedent.search import CaseFacts

    partner = Partner.objects.filter(name=query["partner"]).first()
    return CaseFacts(
        title=query["title"],
        proposed_use=query["proposed_use"],
        partner_id=partner.pk if partner else None,
        mission_area=query["mission_area"],
        architecture=query["architecture"],
        human_judgment=query["human_judgment"],
        force_proximity=query["force_proximity"],
        data_involved=tuple(query["data"]),
    )


def _serious(tags) -> set[tuple[str, str]]:
    return {(code, stance) for code, stance in tags if code.startswith("RL-") and stance in SERIOUS}


def report(name: str, user, drafts: list, *, held_out) -> bool:
    from casebook.models import Tag
    from precedent import suggestions
    from principles.models import Revision

    revision = Revision.objects.in_force()
    suggestions._telling_words.cache_clear()
    methods = {"habits": [], "nearest precedents": [], "wording": [], "Casebook": []}
    for facts, truth in drafts:
        others = Tag.objects.exclude(case_id=facts.case_id) if held_out else Tag.objects.all()
        cases = others.values("case").distinct().count() or 1
        counts = {}
        for code, stance in others.values_list("provision__code", "stance"):
            counts[(code, stance)] = counts.get((code, stance), 0) + 1
        habits = {pair for pair, n in counts.items() if n / cases >= PRIOR}
        nearest, wording = {}, {}
        suggestions._from_precedents(facts, user, nearest)
        suggestions._from_wording(facts, revision, wording)
        casebook = {s.pair for s in suggestions.suggest_tags(draft=facts, seen_by=user)}
        for method, pairs in (
            ("habits", habits),
            ("nearest precedents", {p for p, s in nearest.items() if s.share >= suggestions.SHARE}),
            ("wording", {p for p, s in wording.items() if s.share >= suggestions.SHARE}),
            ("Casebook", casebook),
        ):
            methods[method].append((_serious(pairs), truth))
    print(f"\n{name}: {len(drafts)} held-out drafts, {sum(len(t) for _, t in drafts)} red-line stances tagged")
    print(f"  {'method':<20} {'precision':>9} {'recall':>7} {'F1':>6}")
    figures = {}
    for method, rows in methods.items():
        hit = sum(len(s & t) for s, t in rows)
        made = sum(len(s) for s, _ in rows)
        wanted = sum(len(t) for _, t in rows)
        precision = hit / made if made else 0.0
        recall = hit / wanted if wanted else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures[method] = (precision, recall, f1)
        print(f"  {method:<20} {precision:>9.2f} {recall:>7.2f} {f1:>6.2f}")
    best = max(f1 for method, (_, _, f1) in figures.items() if method != "Casebook")
    _, recall, f1 = figures["Casebook"]
    ratio = f1 / best if best else float("inf")
    ok = ratio >= 1.0 and recall >= TARGET_RECALL
    print(
        f"  Casebook's F1 / best baseline's: {ratio:.2f} (target ≥ 1.00); recall {recall:.2f} "
        f"(target ≥ {TARGET_RECALL:.2f}): {'met' if ok else 'MISSED'}"
    )
    return ok


if __name__ == "__main__":
    main()

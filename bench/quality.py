"""Ranking quality of similar past decisions, on a relevance set of our own: recall@5,
nDCG@10 and on-point@1 for Casebook's ranking, beside plain BM25, plain structure overlap,
plain embedding cosine and their naive reciprocal-rank fusion, all computed here on the
same precedents and drafts. Each draft is asked twice: tagged, as a reviewer would tag it,
and untagged, as while it is being typed (its words and facts alone).

    .venv/bin/python bench/quality.py                        # bench/relevance/casebook.toml
    .venv/bin/python bench/quality.py --set other.toml       # a set in the same format
    .venv/bin/python bench/quality.py --fit                  # and choose the fusion's weights

Casebook's figures are those of the weights in precedent.search.fusion (WEIGHTS).
Beside them it prints the figures of weights chosen without each family: the weights are
fitted on the other nine and the family's drafts ranked by them, which says how well the
choice carries to doctrines it has not seen. --fit prints the weights chosen on the whole
set, to be written into precedent.search.fusion.

The set's precedents are written in bulk into a database of their own
(/tmp/casebook-quality.sqlite3, with its search index beside it), as decided cases; the
drafts are asked as a lawyer, who may see them all. Closeness in meaning takes part when
the [semantic] extra is installed (the cosine baseline needs it too).
"""

import argparse
import datetime
import math
import os
import shutil
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = Path("/tmp/casebook-quality.sqlite3")
INDEX = Path("/tmp/casebook-quality-index")
TARGETS = {("tagged", "recall@5"): 0.92, ("tagged", "nDCG@10"): 0.95, ("untagged", "recall@5"): 0.85}
RRF_K = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default=str(ROOT / "bench" / "relevance" / "casebook.toml"))
    parser.add_argument("--fit", action="store_true", help="choose the fusion's weights on the set and print them")
    args = parser.parse_args()
    relevance = tomllib.loads(Path(args.set).read_text())
    DATABASE.unlink(missing_ok=True)
    shutil.rmtree(INDEX, ignore_errors=True)
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{DATABASE}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SEARCH_INDEX_DIR": str(INDEX),
        }
    )
    os.environ.pop("REDIS_URL", None)  # drafts are encoded in-process
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    lawyer, case_of = load(relevance)
    from precedent import search

    search.rebuild()
    semantic = search.embeds()
    if semantic:
        from casebook.models import Case

        search.embed_cases(list(Case.objects.all()))
    print(
        f"{len(relevance['precedents'])} precedents in {len(relevance['families'])} families, "
        f"{len(relevance['queries'])} drafts; closeness in meaning {'on' if semantic else 'off (no [semantic] extra)'}"
    )
    grades = graded(relevance, case_of)
    scores, fitted = {}, {}
    families = [q["family"] for q in relevance["queries"]]
    for mode in ("tagged", "untagged"):
        rankings, scored = rank_all(relevance, case_of, lawyer, tagged=mode == "tagged", semantic=semantic)
        for method, ranked in rankings.items():
            scores[(mode, method)] = measure(ranked, grades)
        scores[(mode, "families held out")] = measure(held_out(scored, grades, families, mode, semantic), grades)
        if args.fit:
            fitted[mode] = fit(scored, grades, range(len(scored)), start=_weights(mode, semantic))
            ranked = [top_cases(one, fitted[mode]) for one in scored]
            scores[(mode, "fitted here")] = measure(ranked, grades)
    report(scores)
    for mode, weights in fitted.items():
        key = (mode == "tagged", semantic)
        print(f"\nweights fitted on every {mode} draft (precedent.search.fusion.WEIGHTS[{key}]): {weights}")


# The set, loaded -------------------------------------------------------------------------


def load(relevance: dict):
    """The set's partners and precedents, as decided cases written in bulk; the lawyer who
    asks, and each precedent's case id by its position in the set."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from casebook.models import Case, CaseData, Decision, Partner, Tag, User
    from principles.models import Revision

    people = {}
    for username, role in (("reviewer", "reviewer"), ("decider", "decision-maker"), ("lawyer", "legal")):
        user = User.objects.create_user(username=username, password="quality-password")
        user.groups.set(Group.objects.filter(name=role))
        people[username] = user
    partners = {
        p["name"]: Partner.objects.create(name=p["name"], kind=p["kind"], country=p["country"])
        for p in relevance["partners"]
    }
    revision = Revision.objects.in_force()
    texts = {text.provision.code: text for text in revision.texts.select_related("provision")}
    now = timezone.now()
    case_of = []
    for n, p in enumerate(relevance["precedents"]):
        case = Case.objects.create(
            docket=f"QS-2026-{n + 1:04d}",
            title=p["title"],
            partner=partners[p["partner"]],
            mission_area=p["mission_area"],
            proposed_use=p["proposed_use"],
            architecture=p["architecture"],
            human_judgment=p["human_judgment"],
            force_proximity=p["force_proximity"],
            status="decided",
            filed_by=people["reviewer"],
            submitted_at=now,
        )
        CaseData.objects.bulk_create(CaseData(case=case, category=category) for category in p["data"])
        Tag.objects.bulk_create(
            Tag(
                case=case,
                provision=texts[code].provision,
                provision_text=texts[code],
                stance=stance,
                tagged_by=people["reviewer"],
            )
            for code, stance in p["tags"]
        )
        Decision.objects.create(
            case=case,
            outcome=p["outcome"],
            holding=p["holding"],
            rationale=p["rationale"],
            decided_by=people["decider"],
            revision=revision,
            issued_at=now - datetime.timedelta(days=len(relevance["precedents"]) - n),
        )
        case_of.append(case.pk)
    return people["lawyer"], case_of


def graded(relevance: dict, case_of: list[int]) -> list[dict[int, int]]:
    """Each draft's grade of each precedent: 2 of its own family, 1 of a related family
    (either naming the other: relation is mutual)."""
    related = {f["key"]: set(f["related"]) for f in relevance["families"]}
    for family, others in list(related.items()):
        for other in others:
            related[other].add(family)
    grades = []
    for query in relevance["queries"]:
        own = query["family"]
        grade = {}
        for case_id, p in zip(case_of, relevance["precedents"], strict=True):
            if p["family"] == own:
                grade[case_id] = 2
            elif p["family"] in related[own]:
                grade[case_id] = 1
        grades.append(grade)
    return grades


# The rankings ----------------------------------------------------------------------------


def _facts_of(item: dict, partner_ids: dict[str, int], *, tagged: bool = True):
    """A draft, or a precedent, as the CaseFacts similarity compares."""
    from precedent.search import CaseFacts

    return CaseFacts(
        title=item["title"],
        proposed_use=item["proposed_use"],
        partner_id=partner_ids[item["partner"]],
        mission_area=item["mission_area"],
        architecture=item["architecture"],
        human_judgment=item["human_judgment"],
        force_proximity=item["force_proximity"],
        data_involved=tuple(item["data"]),
        tags=tuple(tuple(tag) for tag in item["tags"]) if tagged else (),
    )


def rank_all(relevance: dict, case_of: list[int], lawyer, *, tagged: bool, semantic: bool) -> dict[str, list]:
    from casebook.models import Partner
    from precedent.search import similar
    from precedent.search.fusion import gather

    partner_ids = dict(Partner.objects.values_list("name", "pk"))
    drafts = [_facts_of(q, partner_ids, tagged=tagged) for q in relevance["queries"]]
    rankings = {"Casebook": [[r.case.pk for r in similar(user=lawyer, draft=d, limit=10).results] for d in drafts]}
    scored = [gather(lawyer, d) for d in drafts]
    rankings["BM25"] = bm25(relevance, case_of, drafts)
    precedents = [_facts_of(p, partner_ids) for p in relevance["precedents"]]
    rankings["structure"] = structure(precedents, case_of, drafts)
    lists = ["BM25", "structure"]
    if semantic:
        rankings["cosine"] = cosine(relevance, case_of, drafts)
        lists.append("cosine")
    rankings["naive fusion"] = [fuse([rankings[name][n] for name in lists]) for n in range(len(drafts))]
    return rankings, scored


def _stems(text: str) -> list[str]:
    from precedent.search.engine import ANALYZER
    from precedent.search.query import STOP_WORDS

    return [stem for stem in ANALYZER.analyze(text) if stem not in STOP_WORDS]


def bm25(relevance: dict, case_of: list[int], drafts: list, k1: float = 1.2, b: float = 0.75) -> list[list[int]]:
    """Plain BM25 (Robertson's, k1 1.2, b 0.75) of each draft's title and proposed use over
    each precedent's title, proposed use, holding and rationale, one field."""
    documents = [
        Counter(_stems(" ".join((p["title"], p["proposed_use"], p["holding"], p["rationale"]))))
        for p in relevance["precedents"]
    ]
    average = sum(sum(d.values()) for d in documents) / len(documents)
    frequency = Counter(word for d in documents for word in d)
    idf = {w: math.log(1 + (len(documents) - n + 0.5) / (n + 0.5)) for w, n in frequency.items()}
    ranked = []
    for draft in drafts:
        words = set(_stems(f"{draft.title} {draft.proposed_use}"))
        scores = []
        for case_id, d in zip(case_of, documents, strict=True):
            length = sum(d.values())
            score = sum(
                idf[w] * d[w] * (k1 + 1) / (d[w] + k1 * (1 - b + b * length / average)) for w in words if w in d
            )
            scores.append((score, case_id))
        ranked.append([case_id for score, case_id in sorted(scores, reverse=True) if score > 0])
    return ranked


def _facts(case) -> set:
    return {
        ("partner", case.partner_id),
        ("mission_area", case.mission_area),
        ("architecture", case.architecture),
        ("human_judgment", case.human_judgment),
        ("force_proximity", case.force_proximity),
        *(("data", category) for category in case.data_involved),
        *(("tag", code, stance) for code, stance in case.tags),
    }


def structure(precedents: list, case_of: list[int], drafts: list) -> list[list[int]]:
    """Plain structure overlap: the Jaccard index of the draft's facts (partner, mission
    area, architecture, human judgment, force, kinds of data, and tags when it has them)
    and each precedent's."""
    facts = [_facts(p) for p in precedents]
    ranked = []
    for d in drafts:
        mine = _facts(d)
        scores = sorted(
            ((len(mine & f) / len(mine | f), case_id) for case_id, f in zip(case_of, facts, strict=True)),
            reverse=True,
        )
        ranked.append([case_id for score, case_id in scores if score > 0])
    return ranked


def cosine(relevance: dict, case_of: list[int], drafts: list) -> list[list[int]]:
    """Plain cosine of all-MiniLM-L6-v2 embeddings: each draft's title and proposed use
    against each precedent's title, holding and proposed use."""
    from precedent.search import semantic

    precedents = semantic.encode(
        [
            semantic.text_of(title=p["title"], proposed_use=p["proposed_use"], holding=p["holding"])
            for p in relevance["precedents"]
        ]
    )
    asked = semantic.encode([semantic.text_of(title=d.title, proposed_use=d.proposed_use) for d in drafts])
    similarity = asked @ precedents.T
    return [[case_of[i] for i in row.argsort()[::-1]] for row in similarity]


def fuse(lists: list[list[int]]) -> list[int]:
    """Naive reciprocal rank fusion: 1 / (60 + rank) summed over the lists."""
    fused = Counter()
    for ranked in lists:
        for rank, case_id in enumerate(ranked, start=1):
            fused[case_id] += 1 / (RRF_K + rank)
    return [case_id for case_id, _ in fused.most_common()]


# The fusion's weights -------------------------------------------------------------------


def _weights(mode: str, semantic: bool):
    from precedent.search import fusion

    return fusion.WEIGHTS[(mode == "tagged", semantic)]


def top_cases(scored, weights) -> list[int]:
    """The case ids of the ten best candidates by these weights (the lawyer may see them
    all, so nothing is left out after the ranking)."""
    from precedent.search import fitting

    return fitting.ranked(scored, weights)


def fit(scored: list, grades: list[dict[int, int]], drafts, *, start):
    """The weights that rank these drafts best (recall@5 plus nDCG@10), found as the
    casebook refits its own (precedent.search.fitting.ascend)."""
    from precedent.search import fitting

    drafts = list(drafts)

    def quality(weights) -> float:
        found = measure([top_cases(scored[n], weights) for n in drafts], [grades[n] for n in drafts])
        return found["recall@5"] + found["nDCG@10"]

    return fitting.ascend(quality, start)


def held_out(scored: list, grades: list, families: list[str], mode: str, semantic: bool) -> list[list[int]]:
    """Each draft ranked by weights fitted without its family."""
    ranked = [None] * len(scored)
    for family in dict.fromkeys(families):
        others = [n for n, f in enumerate(families) if f != family]
        weights = fit(scored, grades, others, start=_weights(mode, semantic))
        for n, f in enumerate(families):
            if f == family:
                ranked[n] = top_cases(scored[n], weights)
    return ranked


# The measures ----------------------------------------------------------------------------


def measure(rankings: list[list[int]], grades: list[dict[int, int]]) -> dict[str, float]:
    recall, ndcg, on_point = [], [], []
    for ranked, grade in zip(rankings, grades, strict=True):
        relevant = {case_id for case_id, g in grade.items() if g == 2}
        recall.append(len(relevant & set(ranked[:5])) / min(5, len(relevant)))
        gains = [2 ** grade.get(case_id, 0) - 1 for case_id in ranked[:10]]
        ideal = sorted((2**g - 1 for g in grade.values()), reverse=True)[:10]
        dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
        ndcg.append(dcg / sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal)))
        on_point.append(1.0 if ranked and grade.get(ranked[0]) == 2 else 0.0)
    return {
        "recall@5": sum(recall) / len(recall),
        "nDCG@10": sum(ndcg) / len(ndcg),
        "on-point@1": sum(on_point) / len(on_point),
    }


def report(scores: dict) -> None:
    for mode in ("tagged", "untagged"):
        print(f"\n{mode} drafts:")
        print(f"  {'':<18} {'recall@5':>9} {'nDCG@10':>9} {'on-point@1':>11}")
        methods = [method for m, method in scores if m == mode]
        for method in methods:
            row = scores[(mode, method)]
            print(
                f"  {method:<18} "
                + " ".join(f"{row[k]:>{w}.3f}" for k, w in (("recall@5", 9), ("nDCG@10", 9), ("on-point@1", 11)))
            )
        print("  (families held out: each family's drafts ranked by weights fitted on the other families)")
        ours, naive = scores[(mode, "Casebook")], scores[(mode, "naive fusion")]
        for (target_mode, metric), target in TARGETS.items():
            if target_mode == mode:
                met = ours[metric] >= target and ours[metric] > naive[metric]
                print(
                    f"  Casebook {metric} {ours[metric]:.3f}: target ≥ {target} and above naive fusion "
                    f"({naive[metric]:.3f}): {'met' if met else 'MISSED'}"
                )


if __name__ == "__main__":
    main()

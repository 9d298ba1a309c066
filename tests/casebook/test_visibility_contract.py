"""Need-to-know's contract: casebook.visibility says who may see a case, and every form of
the rule (the ORM filter, the SQL inside the search engine, the in-process mask and the
flag stored on each search entry) gives the same cases to the same people. Runs against
the engine of the database under test."""

import pytest
from django.contrib.auth.models import AnonymousUser

from casebook import visibility
from casebook.models import Case, User
from casebook.services import case_file, case_update
from precedent import search
from precedent.models import SearchEntry
from precedent.search import CaseFacts, arrays, feed, similar
from precedent.search.fusion import gather
from reviews.services import assignment_add, assignment_recuse, case_submit, case_withdraw, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

# Every title holds the word the engine is asked for.
OPEN = ["Open decided vetting", "Open submitted vetting", "Withdrawn submitted vetting"]
RESTRICTED = [
    "Restricted cleared vetting",
    "Restricted assigned vetting",
    "Restricted own vetting",
    "Restricted recused vetting",
]
DRAFTS = ["Draft vetting", "Shared draft vetting", "Withdrawn draft vetting"]
EVERY_CASE = sorted(OPEN + RESTRICTED + DRAFTS)
DECIDED = {"Open decided vetting", "Restricted assigned vetting"}

# What the rule in casebook.visibility gives each of the people below.
RULE = {
    "overseer": EVERY_CASE,
    "superuser": EVERY_CASE,
    # Filed the restricted case of their own; assigned to another, and recused from it.
    "reviewer": sorted([*OPEN, "Restricted own vetting", "Restricted recused vetting"]),
    # Assigned to decide the restricted case it decided.
    "decider": sorted([*OPEN, "Restricted assigned vetting"]),
    # On the access list of a restricted case and of a draft.
    "lawyer": sorted([*OPEN, "Restricted cleared vetting", "Shared draft vetting"]),
    # Assigned people, but is involved in nothing itself.
    "admin": sorted(OPEN),
    # Filed every case but the reviewer's.
    "filer": sorted(set(EVERY_CASE) - {"Restricted own vetting"}),
    "outsider": [],
    # On the same access list as the lawyer, then deactivated.
    "departed": [],
    "signed out": [],
}


@pytest.fixture
def people(personas):
    filer = UserFactory(username="filer", roles=["reviewer"])
    departed = UserFactory(username="departed", roles=["legal"])
    superuser = UserFactory(username="root", is_superuser=True)
    return {**personas, "filer": filer, "departed": departed, "superuser": superuser, "signed out": AnonymousUser()}


@pytest.fixture
def cases(people, framework):
    """A case of every kind need-to-know tells apart."""
    filer, reviewer, decider, lawyer, admin = (
        people[name] for name in ("filer", "reviewer", "decider", "lawyer", "admin")
    )

    def file(title, *, by=filer, submit=True, **facts):
        case = case_file(by=by, facts=case_facts(PartnerFactory(), title=title, **facts))
        return case_submit(case=case, by=by) if submit else case

    def decide(case):
        decision_issue(case=in_review(case), by=decider, outcome="approved", holding="Approved.", rationale=".")

    decide(file("Open decided vetting"))
    file("Open submitted vetting")
    # A draft withdrawn before it was submitted stays its filer's; one withdrawn after, the board's.
    case_withdraw(case=file("Withdrawn draft vetting", submit=False), by=filer)
    case_withdraw(case=file("Withdrawn submitted vetting"), by=filer)
    file("Draft vetting", submit=False)
    file("Shared draft vetting", submit=False, access_list=[lawyer])
    file("Restricted cleared vetting", restricted=True, access_list=[lawyer, people["departed"]])
    decide(file("Restricted assigned vetting", restricted=True))
    file("Restricted own vetting", by=reviewer, restricted=True)
    recused = file("Restricted recused vetting", restricted=True)
    assignment_add(case=recused, person=reviewer, duty="reviewer", by=admin)
    assignment_recuse(case=recused, by=reviewer, statement="I advised the partner on this.")
    User.objects.filter(username="departed").update(is_active=False)


def fresh(user):
    # Roles are cached on the instance: read them as they now stand.
    return User.objects.get(pk=user.pk) if user.is_authenticated else user


def titles_of(case_ids) -> list[str]:
    return sorted(Case.objects.filter(pk__in=list(case_ids)).values_list("title", flat=True))


FORMS = [
    "Case.objects.visible_to",
    "need_to_know across a relation",
    "need_to_know with the involved cases read first",
    "the engine, matching words",
    "the engine, counting",
    "the engine, browsing",
    "the in-process mask",
]


def every_form(user) -> dict[str, list[str] | int]:
    """The cases `user` may see, as each form of need-to-know finds them."""
    feed.sync()  # as similar decisions does before it reads the arrays
    index = arrays.current()
    words = search.search(user=user, text="vetting", per_page=50)
    browsing = search.search(user=user, text="", per_page=50, facets=False)
    found = {
        "Case.objects.visible_to": titles_of(Case.objects.visible_to(user).values_list("pk", flat=True)),
        "need_to_know across a relation": titles_of(
            SearchEntry.objects.filter(visibility.need_to_know(user, via="case")).values_list("case_id", flat=True)
        ),
        "need_to_know with the involved cases read first": titles_of(
            SearchEntry.objects.filter(
                visibility.need_to_know(user, via="case", involved=visibility.involved_ids(user))
            ).values_list("case_id", flat=True)
        ),
        "the engine, matching words": titles_of(r.case.pk for r in words.results),
        "the engine, counting": words.count,
        "the engine, browsing": titles_of(r.case.pk for r in browsing.results),
        "the in-process mask": titles_of(index.case_ids[arrays.visible(index, user)].tolist()),
    }
    assert list(found) == FORMS
    return found


def in_every_form(titles: list[str]) -> dict[str, list[str]]:
    return {form: len(titles) if form == "the engine, counting" else titles for form in FORMS}


def test_it_gives_every_form_of_need_to_know_the_same_cases(people, cases):
    seen = {name: every_form(fresh(user)) for name, user in people.items()}
    assert seen == {name: in_every_form(RULE[name]) for name in people}


def test_it_offers_similar_decisions_only_from_the_cases_in_view(people, cases):
    feed.sync()
    index = arrays.current()
    offered = {
        name: titles_of(index.case_ids[arrays.allowed(index, fresh(user), exclude_case=None)].tolist())
        for name, user in people.items()
    }
    assert offered == {name: [title for title in RULE[name] if title in DECIDED] for name in people}


def test_every_signal_of_similar_decisions_weighs_only_the_cases_in_view(people, cases):
    # A draft like every case: each signal would score each of them.
    draft = CaseFacts(
        title="Vetting", proposed_use="Vetting.", mission_area="law_enforcement", tags=(("RL-1", "not_implicated"),)
    )
    for name, user in people.items():
        expected = [title for title in RULE[name] if title in DECIDED]
        scored = gather(fresh(user), draft)
        if scored is None:
            assert expected == [], name
            continue
        candidates = scored.candidates
        assert titles_of(candidates.index.case_ids[candidates.rows].tolist()) == expected, name
        found = similar(user=fresh(user), draft=draft)
        shown = found.results + found.decided_differently
        assert set(titles_of(s.case.pk for s in shown)) <= set(expected), name
        # Ranked among the cases in view only: no rank counts a case out of view.
        assert all(c["rank"] <= len(expected) for s in shown for c in s.components.values()), name


def test_it_stores_the_rule_on_every_entry_and_in_the_mask(people, cases):
    reviewer = people["reviewer"]
    feed.sync()
    arrays.current()  # open before the changes: the mask must follow them through the feed
    # Changes that move a case in or out of view: the flag must follow them.
    case_submit(case=Case.objects.get(title="Draft vetting"), by=people["filer"])
    own = Case.objects.get(title="Restricted own vetting")
    case_update(case=own, by=reviewer, facts={"restricted": False})
    open_case = Case.objects.get(title="Open submitted vetting")
    case_update(case=open_case, by=people["filer"], facts={"restricted": True})

    feed.sync()  # as similar decisions does before it reads the arrays
    index = arrays.current()
    stored = {(entry.case.title, entry.open_to_all) for entry in SearchEntry.objects.select_related("case").order_by()}
    masked = {
        (title, bool(index.open_to_all[index.row_of[pk]])) for pk, title in Case.objects.values_list("pk", "title")
    }
    rule = {
        (case.title, visibility.is_open_to_all(restricted=case.restricted, submitted=case.submitted_at is not None))
        for case in Case.objects.all()
    }
    assert stored == masked == rule
    now_open = sorted(title for title, open_to_all in rule if open_to_all)
    assert now_open == [
        "Draft vetting",
        "Open decided vetting",
        "Restricted own vetting",
        "Withdrawn submitted vetting",
    ]
    # Someone involved in nothing sees just these, in every form.
    assert every_form(fresh(people["admin"])) == in_every_form(now_open)

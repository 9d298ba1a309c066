"""Every route, pages, API and Django admin, walked by everyone outside a restricted case's
need-to-know list, with every id its records have: none shows any of it (its title, facts,
docket, discussion, conditions), whatever the answer's status. The case is decided, cites
a public decision, is discussed, has conditions and a similarity mark, and its partner is
under reassessment, so that each place it could surface has it to show."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.casebook.test_access_map import walk
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review
from tests.resilience.figures import add

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

SECRET = "Quillmarsh"
SKIP = {"logout", "api:token-revoke"}  # signing out would end the sweep's own session


@pytest.fixture
def world(reviewer, decider, lawyer, admin_user, framework):
    from casebook.services import case_file
    from precedent.services import similarity_mark
    from reviews.services import case_submit, comment_add, decision_issue, reassessment_open
    from tests.notifications.test_notifications import decide

    cleared = UserFactory(username="cleared", roles=["legal"])
    cleared_decider = UserFactory(username="cleared-decider", roles=["decision-maker"])
    public = decide(reviewer, decider, title="Public port logistics")
    partner = PartnerFactory(name="Shared partner agency")
    facts = case_facts(
        partner,
        title=f"{SECRET} sonar triage",
        proposed_use=f"Triage of {SECRET} sonar contacts.",
        restricted=True,
        access_list=[cleared, cleared_decider],
    )
    case = in_review(case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer), decider=cleared_decider)
    comment_add(case=case, by=cleared, body=f"The {SECRET} contacts are military.")
    decision = decision_issue(
        case=case,
        by=cleared_decider,
        outcome="approved_with_conditions",
        holding=f"{SECRET} triage stays advisory.",
        rationale=f"{SECRET} analysts decide.",
        conditions=[{"text": f"Log every {SECRET} contact.", "owner": "CISO", "due_date": "2030-01-01"}],
        citations=[{"decision": public.pk, "provision": "RL-2", "treatment": "follows", "reason": f"As {SECRET}."}],
    )
    similarity_mark(case=public.case, similar_case_id=case.pk, by=cleared, reason=f"Not {SECRET}.")
    case_submit(case=case_file(by=reviewer, facts=case_facts(partner, title="Open engagement")), by=reviewer)
    reassessment_open(partner=partner, by=admin_user, reasons="A concern about the partner.")
    ids = {case.pk, decision.pk, decision.conditions.first().pk, partner.pk, public.pk, public.case_id}
    return {"case": case, "ids": sorted(ids)}


def paths(ids):
    """Every GET-able path, with every id the restricted case's records have."""
    values = {"number": ["1", "2"], "code": ["RL-2"], "app_label": ["casebook"]}
    for name, params in sorted(set(walk())):
        if name in SKIP or name.endswith("?"):
            continue
        choices = [{}]
        for param in params:
            options = values.get(param, [str(i) for i in ids])
            choices = [{**chosen, param: option} for chosen in choices for option in options]
        for kwargs in choices:
            try:
                yield reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue


def test_nobody_outside_the_list_sees_anything_of_it_anywhere(world, personas):
    docket = world["case"].docket
    outsiders = {name: personas[name] for name in ("reviewer", "decider", "lawyer", "admin", "outsider")}
    outsiders["another reviewer"] = UserFactory(username="reviewer2", roles=["reviewer"])
    del outsiders["reviewer"]  # the filer is on the list
    routes = list(paths(world["ids"]))
    leaks = []
    add("outsider requests showing restricted content", 0)  # shown as 0 unless one does
    for who, user in outsiders.items():
        client = Client()
        client.force_login(user)
        for path in routes:
            for query in ({}, {"q": "sonar"}):  # a word of its title: a query's own words are echoed
                response = client.get(path, query)
                add("outsider requests swept")
                body = response.content.decode(errors="replace")
                if response.status_code >= 500:
                    leaks.append(f"{who}: GET {path}?{query} answered {response.status_code}")
                if SECRET in body or docket in body:
                    add("outsider requests showing restricted content")
                    leaks.append(f"{who}: GET {path}?{query} ({response.status_code})")
    assert len(routes) > 100
    assert leaks == []


def test_the_list_and_oversight_do_see_it(world, overseer):
    client = Client()
    client.force_login(overseer)
    assert SECRET in client.get(f"/cases/{world['case'].pk}/").content.decode()
    assert SECRET in client.get("/audit/").content.decode()

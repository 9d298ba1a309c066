"""The annotated framework: a provision's case law, grouped by stance and outcome, leading
decisions first, overruled and revised lines set apart, as of any date, as far as the
reader may see, with the pattern summarised from the figures."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from principles import services as framework
from reviews.services import headnotes_set
from tests.factories import UserFactory
from tests.reviews.test_headnotes import issue


def tagged(stance):
    return [{"code": "RL-2", "stance": stance}]


@pytest.fixture
def law(reviewer, decider, lawyer, framework):
    cleared = UserFactory(username="cleared", roles=["legal"])
    declined = issue(reviewer, decider, outcome="declined", tags=tagged("crossed"), title="Automated benefit denials")
    issue(reviewer, decider, outcome="terminated", tags=tagged("crossed"), title="Automated parole scoring")
    mitigated = issue(reviewer, decider, tags=tagged("implicated_mitigated"), title="Triage with a human on each case")
    issue(
        reviewer,
        decider,
        tags=tagged("implicated_mitigated"),
        title="Second triage relying on the first",
        citations=[{"decision": mitigated.pk, "provision": "RL-2", "treatment": "follows", "reason": "Same review."}],
    )
    overruled = issue(reviewer, decider, tags=tagged("not_implicated"), title="Advisory scoring without review")
    issue(
        reviewer,
        decider,
        outcome="declined",
        tags=tagged("crossed"),
        title="Scoring with no human",
        citations=[
            {"decision": overruled.pk, "provision": "RL-2", "treatment": "overrules", "reason": "It was wrong."}
        ],
    )
    hidden = issue(
        reviewer,
        decider,
        outcome="declined",
        tags=tagged("crossed"),
        title="Secret sentencing aid",
        restricted=True,
        access_list=[cleared],
    )
    headnotes_set(
        decision=declined,
        by=lawyer,
        headnotes=[
            {"provision": "RL-2", "stance": "crossed", "text": "Denying benefits with no human review crosses RL-2."}
        ],
    )
    return {"declined": declined, "mitigated": mitigated, "overruled": overruled, "hidden": hidden, "cleared": cleared}


def read(user, **params):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client.get("/api/provisions/RL-2/case-law/", params)


def test_it_groups_by_stance_then_outcome_leading_first_with_the_overruled_apart(law, lawyer):
    body = read(lawyer).json()
    stances = {group["stance"]: group for group in body["stances"]}
    # In the framework's order of stances; the one decision not implicated was overruled.
    assert list(stances) == ["implicated_mitigated", "crossed"]
    crossed = {o["outcome"]: [d["title"] for d in o["decisions"]] for o in stances["crossed"]["outcomes"]}
    assert list(crossed) == ["declined", "terminated"] and crossed["terminated"] == ["Automated parole scoring"]
    assert set(crossed["declined"]) == {"Automated benefit denials", "Scoring with no human"}
    mitigated = stances["implicated_mitigated"]["outcomes"][0]["decisions"]
    assert [d["title"] for d in mitigated][0] == "Triage with a human on each case"  # followed, so leading
    assert mitigated[0]["followed"] == 1 and mitigated[0]["cited"] == 1
    assert [d["title"] for d in body["overruled"]] == ["Advisory scoring without review"]
    [denials] = [d for d in stances["crossed"]["outcomes"][0]["decisions"] if d["title"] == "Automated benefit denials"]
    assert denials["headnotes"][0]["text"].startswith("Denying benefits")
    assert "Secret sentencing aid" not in str(body) and body["count"] == 6


def test_it_summarises_the_pattern_from_the_figures(law, lawyer):
    summary = read(lawyer).json()["summary"]
    assert summary.startswith("RL-2 implicated but mitigated: 2 decisions, all went ahead (2 approved).")
    assert "Crossed: 3, none went ahead (2 declined, 1 terminated)." in summary
    assert "Set apart: 1 overruled." in summary


def test_it_shows_the_cleared_what_is_kept_from_others_and_logs_oversight(law, overseer):
    assert "Secret sentencing aid" in str(read(law["cleared"]).json())
    assert read(overseer).status_code == 200
    reads = AuditEvent.objects.filter(
        action="case.restricted_read", actor=overseer, object_id=str(law["hidden"].case_id)
    )
    assert reads.get().after == {"via": "a provision's case law"}


def test_as_of_a_date_under_the_wording_then_in_force(law, lawyer, admin_user):
    draft = framework.revision_draft(by=admin_user, change_summary="Sharpen RL-2.")
    framework.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New words.", by=admin_user)
    framework.revision_publish(revision=draft, by=admin_user)
    now = read(lawyer).json()
    assert now["revision"] == 3 and now["stances"] == [] and len(now["revised"]) == 5
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    before = read(lawyer, as_of=yesterday.isoformat()).json()
    assert before["revision"] == 2 and before["count"] == 0  # nothing was decided yet
    assert read(lawyer, as_of="2999-01-01").status_code == 400


def test_the_page_puts_the_wording_beside_its_case_law_and_refuses_a_bad_date(law, lawyer):
    pages = Client()
    pages.force_login(lawyer)
    page = pages.get("/framework/provisions/RL-2/case-law/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="case-law-wording"' in text and "Automated benefit denials" in text and "Set apart" in text
    assert "Secret sentencing aid" not in text
    bad = pages.get("/framework/provisions/RL-2/case-law/", {"as_of": "2999-01-01"})
    assert bad.status_code == 200 and "still to come" in bad.content.decode()
    assert pages.get("/framework/provisions/NOPE-1/case-law/").status_code == 404
    assert 'href="/framework/provisions/RL-2/case-law/"' in pages.get("/framework/").content.decode()


def test_it_is_for_those_with_a_role(law, outsider):
    assert read(outsider).status_code == 403


def test_a_revision_s_diff_says_how_many_live_decisions_rested_on_the_old_wording(law, admin_user, overseer):
    draft = framework.revision_draft(by=admin_user, change_summary="Sharpen RL-2.")
    framework.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New words.", by=admin_user)
    publish, diff = f"/framework/revisions/{draft.number}/publish/", f"/framework/revisions/{draft.number}/diff/"
    # Not the one that found RL-2 not implicated: it did not rest on the wording.
    for user, seen, paths in ((admin_user, 5, (publish, diff)), (overseer, 6, (diff,))):  # restricted: oversight's
        pages = Client()
        pages.force_login(user)
        for path in paths:
            page = pages.get(path).content.decode()
            assert f"{seen} live decisions</a> rested on the old wording" in page, (user, path)


def test_citations_count_on_the_provision_only(law, reviewer, decider, lawyer):
    cite = {"decision": law["mitigated"].pk, "provision": "P-1", "treatment": "follows", "reason": "Elsewhere."}
    issue(reviewer, decider, title="A P-1 case", citations=[cite])
    mitigated = [
        d
        for g in read(lawyer).json()["stances"]
        for o in g["outcomes"]
        for d in o["decisions"]
        if d["decision"] == law["mitigated"].pk
    ]
    assert mitigated[0]["cited"] == 1 and mitigated[0]["followed"] == 1


def test_the_old_wording_is_counted_in_every_revision_that_carried_it(law, admin_user):
    other = framework.revision_draft(by=admin_user, change_summary="Touch P-1 only.")
    framework.revision_set_text(revision=other, code="P-1", title="Defence", body="Reworded.", by=admin_user)
    framework.revision_publish(revision=other, by=admin_user)  # RL-2's wording carried over unchanged
    draft = framework.revision_draft(by=admin_user, change_summary="Now RL-2.")
    framework.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New words.", by=admin_user)
    pages = Client()
    pages.force_login(admin_user)
    page = pages.get(f"/framework/revisions/{draft.number}/diff/").content.decode()
    assert "5 live decisions</a> rested on the old wording" in page


def test_a_restricted_decision_cited_is_not_named_to_the_uncleared(law, reviewer, decider, lawyer, api_as):
    # The decider issued the restricted decision, and so may cite it.
    cite = {"decision": law["hidden"].pk, "provision": "RL-2", "treatment": "follows", "reason": "As the secret one."}
    open_one = issue(reviewer, decider, title="Open, citing a secret", citations=[cite])
    docket = law["hidden"].case.docket
    pages = Client()
    pages.force_login(lawyer)
    assert docket not in pages.get(f"/cases/{open_one.case_id}/").content.decode()
    assert docket not in pages.get(f"/decisions/{open_one.pk}/memo/").content.decode()
    assert docket not in str(api_as(lawyer).get(f"/api/cases/{open_one.case_id}/decision/").json())


def test_every_role_reads_it_and_only_the_cleared_count_the_restricted(law, personas, api_client):
    """Need-to-know in the entries, the group counts and the summary, on the page and the API."""
    sees = {"reviewer": True, "decider": True, "overseer": True, "lawyer": False, "admin": False}  # filer, issuer
    for name, person in personas.items():
        if name == "outsider":
            continue
        body = read(person).json()
        crossed = next(group for group in body["stances"] if group["stance"] == "crossed")
        assert crossed["count"] == (4 if sees[name] else 3), name
        assert ("Secret sentencing aid" in str(body)) == sees[name], name
        assert f"Crossed: {4 if sees[name] else 3}, none went ahead" in body["summary"], name
        page = Client()
        page.force_login(person)
        html = page.get("/framework/provisions/RL-2/case-law/").content.decode()
        assert ("Secret sentencing aid" in html) == sees[name], name
        assert (law["hidden"].case.docket in html) == sees[name], name
    assert api_client.get("/api/provisions/RL-2/case-law/").status_code in (401, 403)
    assert Client().get("/framework/provisions/RL-2/case-law/").status_code == 302

"""Headnotes: a decision's points of law, numbered and keyed to a provision, written by legal
or the decision-maker who issued it, searched as holdings are, and cited one by one."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.models import Headnote
from casebook.services import case_file, case_set_tags
from reviews.services import case_submit, decision_issue, headnotes_set
from tests.casebook.test_stale_writes import form_data
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

HEADNOTES = [
    {"provision": "RL-2", "stance": "implicated_mitigated", "text": "A human who reviews each output mitigates RL-2."},
    {"provision": "P-1", "stance": "advances", "text": "Defending networks from intrusion advances P-1."},
]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def issue(reviewer, decider, *, tags=(), citations=(), outcome="approved", **facts):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), **facts)), by=reviewer)
    if tags:
        case_set_tags(case=case, by=reviewer, tags=list(tags))
    return decision_issue(
        case=in_review(case, opinions=("approved", "approved")),
        by=decider,
        outcome=outcome,
        holding="Summaries of public reports cross no red line.",
        rationale="Public data only.",
        citations=list(citations),
    )


@pytest.fixture
def decided(reviewer, decider, framework):
    tags = [{"code": "RL-2", "stance": "implicated_mitigated"}, {"code": "P-1", "stance": "advances"}]
    return issue(reviewer, decider, tags=tags)


def test_the_holding_is_the_first_headnote_keyed_to_the_most_serious_tag(decided):
    [first] = decided.headnotes.all()
    assert (first.number, first.provision.code, first.stance) == (1, "RL-2", "implicated_mitigated")
    assert first.text == decided.holding and first.written_by is None


def test_legal_and_the_deciding_decision_maker_write_them_and_no_one_else(decided, reviewer, decider, lawyer, api_as):
    path = f"/api/decisions/{decided.pk}/headnotes/"
    etag = api_as(lawyer).get(path)["ETag"]
    written = api_as(lawyer).put(path, HEADNOTES, format="json", HTTP_IF_MATCH=etag)
    assert written.status_code == 200, written.json()
    assert [(h["number"], h["provision"], h["written_by"]) for h in written.json()] == [
        (1, "RL-2", "lawyer"),
        (2, "P-1", "lawyer"),
    ]
    assert api_as(lawyer).put(path, HEADNOTES[:1], format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert api_as(decider).put(path, HEADNOTES[:1], format="json").status_code == 200  # who issued it
    other = UserFactory(username="decider2", roles=["decision-maker"])
    assert api_as(other).put(path, HEADNOTES, format="json").status_code == 403
    assert api_as(reviewer).put(path, HEADNOTES, format="json").status_code == 403
    assert decided.headnotes.count() == 1
    change = AuditEvent.objects.filter(action="decision.headnotes_set").first()
    assert change.before["headnotes"][0]["text"] == decided.holding and len(change.after["headnotes"]) == 2


def test_bad_headnotes_are_refused_row_by_row(decided, lawyer, api_as):
    bad = [{"provision": "RL-9", "text": "x"}, {"provision": "RL-2", "stance": "advances", "text": "y"}]
    refused = api_as(lawyer).put(f"/api/decisions/{decided.pk}/headnotes/", bad, format="json")
    assert refused.status_code == 400
    body = refused.json()
    assert "'RL-9' is not a provision" in body["headnotes.0"][0] and "not a stance on RL-2" in body["headnotes.1"][0]
    assert decided.headnotes.count() == 1


def test_a_later_decision_treats_one_headnote_and_follows_another(decided, reviewer, decider, lawyer, api_as):
    headnotes_set(decision=decided, by=lawyer, headnotes=HEADNOTES)
    later = issue(
        reviewer,
        decider,
        title="Summaries for a military network",
        citations=[
            {"decision": decided.pk, "headnote": 1, "treatment": "follows", "reason": "Human review again."},
            {
                "decision": decided.pk,
                "headnote": 2,
                "provision": "P-1",
                "treatment": "distinguishes",
                "reason": "Not defence.",
            },
        ],
    )
    cites = {c.headnote.number: c for c in later.citations.select_related("headnote", "provision")}
    assert cites[1].provision.code == "RL-2" and cites[2].treatment == "distinguishes"
    page = signed_in(lawyer).get(f"/cases/{decided.case_id}/").content.decode()
    assert f"distinguished by {later.case.docket}" in page and f"followed by {later.case.docket}" in page
    assert f"{decided.case.docket} hn 2" in signed_in(lawyer).get(f"/cases/{later.case_id}/").content.decode()
    [hn2] = [h for h in api_as(lawyer).get(f"/api/decisions/{decided.pk}/headnotes/").json() if h["number"] == 2]
    assert [(t["citing_docket"], t["treatment"]) for t in hn2["treated_by"]] == [(later.case.docket, "distinguishes")]
    # A point a later decision relies on keeps its number: reworded, never dropped.
    refused = api_as(lawyer).put(f"/api/decisions/{decided.pk}/headnotes/", HEADNOTES[:1], format="json")
    assert refused.status_code == 400 and "hn 2 is relied on" in str(refused.json())
    reworded = [HEADNOTES[0], {**HEADNOTES[1], "text": "Network defence advances P-1."}]
    assert api_as(lawyer).put(f"/api/decisions/{decided.pk}/headnotes/", reworded, format="json").status_code == 200
    assert Headnote.objects.get(decision=decided, number=2).citations.count() == 1


def test_a_citation_names_a_headnote_the_decision_has_on_its_provision(decided, reviewer, decider, lawyer):
    from django.core.exceptions import ValidationError

    headnotes_set(decision=decided, by=lawyer, headnotes=HEADNOTES)
    for cite, says in [
        ({"headnote": 7, "provision": "RL-2"}, "has no headnote 7"),
        ({"headnote": 2, "provision": "RL-2"}, "hn 2 of"),
    ]:
        with pytest.raises(ValidationError, match=says):
            issue(
                reviewer, decider, citations=[{"decision": decided.pk, "treatment": "follows", "reason": "R.", **cite}]
            )


def test_headnotes_are_searched_as_holdings_are_and_kept_from_the_uncleared(reviewer, decider, lawyer, framework):
    cleared = UserFactory(username="cleared", roles=["legal"])
    hidden = issue(
        reviewer,
        decider,
        outcome="declined",
        restricted=True,
        access_list=[cleared],
        tags=[{"code": "RL-2", "stance": "crossed"}],
    )
    headnotes_set(
        decision=hidden, by=cleared, headnotes=[{"provision": "RL-2", "text": "Autonomous targeting crosses RL-2."}]
    )
    docket = hidden.case.docket  # its headnote's words are found nowhere else

    def found_by(user) -> bool:
        return docket in signed_in(user).get("/search/", {"q": "autonomous targeting"}).content.decode()

    assert found_by(cleared) and not found_by(lawyer)
    assert signed_in(lawyer).get(f"/decisions/{hidden.pk}/headnotes/").status_code == 404
    assert Client().get(f"/api/decisions/{hidden.pk}/headnotes/").status_code in (401, 403)


def test_legal_writes_them_on_a_page_and_a_stale_page_keeps_what_was_written(decided, lawyer, decider):
    pages = signed_in(lawyer)
    path = f"/decisions/{decided.pk}/headnotes/"
    data = form_data(pages.get(path).context["form"])
    rows = form_data(pages.get(path).context["rows"].management_form)
    fields = {**data, **rows}
    for n, headnote in enumerate(HEADNOTES):
        fields.update({f"headnotes-{n}-{key}": value for key, value in headnote.items()})
    fields["headnotes-TOTAL_FORMS"] = "3"
    stale = fields.copy()
    saved = pages.post(path, fields)
    assert saved.status_code == 302 and decided.headnotes.count() == 2
    stale["headnotes-0-text"] = "My own wording."
    refused = pages.post(path, stale)
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else changed these headnotes" in page and "My own wording." in page
    assert decided.headnotes.get(number=1).text == HEADNOTES[0]["text"]
    memo = pages.get(f"/decisions/{decided.pk}/memo/").content.decode()
    assert "hn 2" in memo and HEADNOTES[1]["text"] in memo


def test_a_relied_on_headnote_keeps_its_number_and_provision(decided, reviewer, decider, lawyer, api_as):
    headnotes_set(decision=decided, by=lawyer, headnotes=HEADNOTES)
    cite = {"decision": decided.pk, "headnote": 2, "treatment": "follows", "reason": "Defence again."}
    issue(reviewer, decider, title="Another defence case", citations=[cite])
    path = f"/api/decisions/{decided.pk}/headnotes/"
    moved = api_as(lawyer).put(path, [HEADNOTES[0], {**HEADNOTES[0], "text": "Another RL-2 point."}], format="json")
    assert moved.status_code == 400 and "keep it at number 2, on P-1" in str(moved.json())
    swapped = api_as(lawyer).put(path, HEADNOTES[::-1], format="json")
    assert swapped.status_code == 400
    assert Headnote.objects.get(decision=decided, number=2).provision.code == "P-1"


def test_two_headnotes_on_one_provision_are_cited_apart(decided, reviewer, decider, lawyer):
    two = [HEADNOTES[0], {**HEADNOTES[0], "text": "Logging each output also mitigates RL-2."}]
    headnotes_set(decision=decided, by=lawyer, headnotes=two)
    cites = [
        {"decision": decided.pk, "headnote": n, "treatment": t, "reason": "R."}
        for n, t in ((1, "follows"), (2, "distinguishes"))
    ]
    later = issue(reviewer, decider, title="Both points", citations=cites)
    assert sorted(later.citations.values_list("headnote__number", "treatment")) == [
        (1, "follows"),
        (2, "distinguishes"),
    ]


def test_a_superseded_decision_or_a_recused_issuer_writes_none(decided, reviewer, decider, lawyer, api_as):
    from django.utils import timezone

    path = f"/api/decisions/{decided.pk}/headnotes/"
    # A conflict that came to light after the decision (recusal is closed by then).
    decided.case.assignments.filter(person=decider).update(
        recused_at=timezone.now(), recusal_statement="A late conflict."
    )
    assert api_as(decider).put(path, HEADNOTES, format="json").status_code == 403
    assert api_as(lawyer).put(path, HEADNOTES, format="json").status_code == 200

    newer = decision_issue(
        case=in_review(
            decided.case, decider=UserFactory(username="decider2", roles=["decision-maker"]), opinions=("declined",) * 2
        ),
        by=decided.case.accountable_decision_maker(),
        outcome="declined",
        holding="On reconsideration, declined.",
        rationale="New facts.",
    )
    assert api_as(lawyer).put(path, HEADNOTES, format="json").status_code == 403
    page = signed_in(lawyer).get(f"/cases/{decided.case_id}/").content.decode()
    assert page.count("Write the headnotes") == 1 and f"/decisions/{newer.pk}/headnotes/" in page


def test_an_emptied_row_on_the_page_drops_that_headnote(decided, lawyer):
    headnotes_set(decision=decided, by=lawyer, headnotes=HEADNOTES)
    pages = signed_in(lawyer)
    path = f"/decisions/{decided.pk}/headnotes/"
    form = pages.get(path).context
    fields = {**form_data(form["form"]), **form_data(form["rows"].management_form)}
    for n, headnote in enumerate(HEADNOTES):
        fields.update({f"headnotes-{n}-{key}": value for key, value in headnote.items()})
    fields["headnotes-1-text"] = ""
    assert pages.post(path, fields).status_code == 302
    assert list(decided.headnotes.values_list("number", "provision__code")) == [(1, "RL-2")]

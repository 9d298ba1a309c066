"""Similar past decisions: the fused ranking with its reasons, for a saved case and for a
draft; the "decided differently" panel; feedback that demotes a pair; and need-to-know.
Closeness in meaning is off here (tests/conftest.py); test_semantic.py tests it."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from casebook.services import case_file, case_set_tags
from precedent.models import SimilarityFeedback
from precedent.search import CaseFacts, similar
from precedent.services import similarity_mark
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

FACIAL = "Officers would match faces in protest footage against a watch list using facial recognition."


@pytest.fixture
def precedent(reviewer, decider, framework):
    """Decided cases: two facial-recognition requests (one declined, one approved), and one
    unrelated translation case; and a restricted facial-recognition case."""
    police = PartnerFactory(name="Port Ashby Police")
    cleared = UserFactory(username="cleared", roles=["legal"])

    def decided(title, use, outcome, partner=police, tags=(), **facts):
        case = case_file(by=reviewer, facts=case_facts(partner, title=title, proposed_use=use, **facts))
        if tags:
            case_set_tags(case=case, by=reviewer, tags=[{"code": c, "stance": s, "note": ""} for c, s in tags])
        case = case_submit(case=case, by=reviewer)
        opinions = ("declined", "declined") if any(s == "implicated_mitigated" for _, s in tags) else ()
        return decision_issue(
            case=in_review(case, opinions=opinions), by=decider, outcome=outcome, holding=f"{title}.", rationale="."
        )

    return {
        "police": police,
        "cleared": cleared,
        "declined": decided(
            "Facial recognition at protests",
            FACIAL,
            "declined",
            mission_area="law_enforcement",
            data_involved=["biometric", "us_person"],
            tags=[("RL-1", "implicated_mitigated")],
        ),
        "approved": decided(
            "Facial recognition for missing children",
            "Investigators compare faces of missing children with recovered photographs.",
            "approved",
            partner=PartnerFactory(name="Child protection agency"),
            mission_area="law_enforcement",
            data_involved=["biometric"],
        ),
        "unrelated": decided("Translating manuals", "Manuals translated for logistics staff.", "approved"),
        "secret": decided(
            "Covert facial recognition of sources",
            FACIAL,
            "declined",
            restricted=True,
            access_list=[cleared],
            mission_area="law_enforcement",
        ),
    }


def draft_like_the_declined(precedent, **overrides):
    return CaseFacts(
        title="Facial recognition of rally crowds",
        proposed_use=FACIAL,
        partner_id=precedent["police"].pk,
        mission_area="law_enforcement",
        architecture="cloud_only",
        data_involved=("biometric", "us_person"),
        tags=(("RL-1", "implicated_mitigated"),),
        **overrides,
    )


def test_it_ranks_the_closest_precedent_first_and_says_why(precedent, lawyer):
    found = similar(user=lawyer, draft=draft_like_the_declined(precedent))
    titles = [s.case.title for s in found.results]
    assert titles[0] == "Facial recognition at protests"
    assert titles.index("Facial recognition for missing children") < titles.index("Translating manuals")
    top = found.results[0]
    assert "Both tag RL-1 implicated but mitigated." in top.reasons
    assert "Same partner (Port Ashby Police)." in top.reasons
    assert "Same mission area (law enforcement and investigations)." in top.reasons
    assert "Both involve U.S.-person data and biometric data." in top.reasons
    # The title's words first; not the partner's name, which has a reason of its own.
    [words] = [r for r in top.reasons if r.startswith("Shared key terms:")]
    assert words.startswith("Shared key terms: facial, recognition") and "ashby" not in words
    assert set(top.components) == {"lexical", "provisions", "facts", "closest"}
    assert top.components["provisions"]["rank"] == 1 and top.components["lexical"]["rank"] == 1
    assert top.status.code == "good_law" and found.semantic is False


def test_the_shared_key_terms_leave_out_the_names_of_places_and_agencies(precedent, reviewer, decider, lawyer):
    # A place both texts name, and the draft's partner's name: it tells nothing of the use.
    use = "Port Ashby ferry officers would match faces against a watch list using facial recognition."
    case = case_file(
        by=reviewer,
        facts=case_facts(
            PartnerFactory(name="Coastal guard"), title="Facial recognition at Port Ashby ferries", proposed_use=use
        ),
    )
    decision_issue(
        case=in_review(case_submit(case=case, by=reviewer)), by=decider, outcome="declined", holding=".", rationale="."
    )
    draft = CaseFacts(
        title="Facial recognition on the Port Ashby quays",
        proposed_use=use,
        partner_id=PartnerFactory(name="Port Ashby Harbour Authority").pk,
        mission_area="law_enforcement",
        architecture="cloud_only",
        data_involved=("biometric",),
    )
    [ferries] = [s for s in similar(user=lawyer, draft=draft).results if s.case == case]
    [words] = [r for r in ferries.reasons if r.startswith("Shared key terms:")]
    assert "facial" in words and "port" not in words and "ashby" not in words


def test_it_shows_the_strongest_contrary_precedent(precedent, lawyer):
    found = similar(user=lawyer, draft=draft_like_the_declined(precedent))
    assert found.contrast == "was stopped"
    assert [s.case.title for s in found.decided_differently][0] == "Facial recognition for missing children"


def test_the_contrary_panel_looks_below_the_results_shown(precedent, lawyer):
    found = similar(user=lawyer, draft=draft_like_the_declined(precedent), limit=1)
    assert [s.case.title for s in found.results] == ["Facial recognition at protests"]
    [contrary, *_] = found.decided_differently
    assert contrary.case.title == "Facial recognition for missing children"
    assert contrary.reasons and contrary.status.code == "good_law"  # made as fully as a result


def test_a_restricted_case_never_appears_for_the_uncleared(precedent, lawyer, overseer):
    draft = draft_like_the_declined(precedent)
    for user, sees in [(lawyer, False), (precedent["cleared"], True), (overseer, True)]:
        found = similar(user=user, draft=draft)
        shown = [s.case.title for s in found.results + found.decided_differently]
        assert ("Covert facial recognition of sources" in shown) is sees, user


def test_a_saved_case_is_never_similar_to_itself(precedent, lawyer):
    own = precedent["declined"].case
    found = similar(user=lawyer, draft=CaseFacts.of(own))
    assert own.pk not in [s.case.pk for s in found.results]
    assert found.contrast == "was stopped"  # its own decision sets the contrast


def test_feedback_demotes_the_pair_and_is_shown_to_others(precedent, reviewer, lawyer, api_as):
    case = case_submit(
        case=case_file(
            by=reviewer,
            facts=case_facts(precedent["police"], title="Facial recognition at rallies", proposed_use=FACIAL),
        ),
        by=reviewer,
    )
    before = [s.case.pk for s in similar(user=lawyer, draft=CaseFacts.of(case)).results]
    declined = precedent["declined"].case
    assert before[0] == declined.pk
    response = api_as(reviewer).post(
        f"/api/cases/{case.pk}/similar/feedback/",
        {"similar_case": declined.pk, "reason": "Rallies are permitted events."},
        format="json",
    )
    assert response.status_code == 201
    after = similar(user=lawyer, draft=CaseFacts.of(case)).results
    assert after[0].case.pk != declined.pk
    [marked] = [s for s in after if s.case.pk == declined.pk]
    assert [(m.by.username, m.reason) for m in marked.marks] == [("reviewer", "Rallies are permitted events.")]
    assert AuditEvent.objects.filter(action="similarity.marked").count() == 1
    body = api_as(lawyer).get(f"/api/cases/{case.pk}/similar/").json()
    [shown] = [r for r in body["results"] if r["case"] == declined.pk]
    assert shown["marks"][0]["reason"] == "Rallies are permitted events."


def test_a_precedent_marked_not_similar_is_no_contrary_authority(precedent, reviewer, lawyer):
    case = case_file(
        by=reviewer,
        facts=case_facts(precedent["police"], title="Facial recognition at rallies", proposed_use=FACIAL),
    )
    case_set_tags(case=case, by=reviewer, tags=[{"code": "RL-1", "stance": "implicated_mitigated", "note": ""}])
    case = case_submit(case=case, by=reviewer)
    approved = precedent["approved"].case
    assert approved.pk in [s.case.pk for s in similar(user=lawyer, draft=CaseFacts.of(case)).decided_differently]
    similarity_mark(case=case, similar_case_id=approved.pk, by=reviewer, reason="Children, not crowds.")
    found = similar(user=lawyer, draft=CaseFacts.of(case))
    assert approved.pk not in [s.case.pk for s in found.decided_differently]
    client = Client()
    client.force_login(lawyer)
    html = client.get(f"/cases/{precedent['approved'].case_id}/").content.decode()
    panel = html[html.index('data-testid="decided-differently"') :]
    assert 'data-testid="precedent"' in panel  # each contrary precedent with its flag


def test_feedback_on_a_case_one_may_not_see_is_refused(precedent, reviewer, api_as):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(precedent["police"])), by=reviewer)
    secret = precedent["secret"].case
    other = UserFactory(username="reviewer2", roles=["reviewer"])
    response = api_as(other).post(f"/api/cases/{case.pk}/similar/feedback/", {"similar_case": secret.pk}, format="json")
    assert response.status_code == 400 and "similar_case" in response.json()
    assert not SimilarityFeedback.objects.exists()
    assert (
        api_as(UserFactory(username="watcher", roles=["oversight"]))
        .post(f"/api/cases/{case.pk}/similar/feedback/", {"similar_case": precedent["declined"].case_id}, format="json")
        .status_code
        == 403
    )


def test_the_api_answers_for_a_draft(precedent, reviewer, api_as):
    body = (
        api_as(reviewer)
        .post(
            "/api/similar/",
            {
                "title": "Facial recognition of rally crowds",
                "proposed_use": FACIAL,
                "partner": precedent["police"].pk,
                "mission_area": "law_enforcement",
                "data_involved": ["biometric"],
                "tags": [{"code": "RL-1", "stance": "implicated_mitigated"}],
            },
            format="json",
        )
        .json()
    )
    assert body["results"][0]["title"] == "Facial recognition at protests"
    assert body["results"][0]["reasons"] and body["semantic"] is False
    assert body["decided_differently"][0]["title"] == "Facial recognition for missing children"
    bad = api_as(reviewer).post("/api/similar/", {"mission_area": "astrology", "tags": "x"}, format="json")
    assert bad.status_code == 400 and {"mission_area", "tags"} <= set(bad.json())
    assert api_as(reviewer).post("/api/similar/", {}, format="json").json()["results"] == []


def test_the_api_lists_as_many_as_asked(precedent, reviewer, lawyer, api_as):
    draft = {"title": "Facial recognition of rally crowds", "proposed_use": FACIAL, "mission_area": "law_enforcement"}
    every = api_as(reviewer).post("/api/similar/", draft, format="json").json()["results"]
    one = api_as(reviewer).post("/api/similar/?limit=1", draft, format="json").json()["results"]
    assert len(every) > 1 and [r["title"] for r in one] == [every[0]["title"]]
    case = precedent["police"].cases.order_by("pk").first()
    assert len(api_as(lawyer).get(f"/api/cases/{case.pk}/similar/?limit=2").json()["results"]) <= 2
    for limit in ("0", "51", "many"):
        bad = api_as(reviewer).post(f"/api/similar/?limit={limit}", draft, format="json")
        assert bad.status_code == 400 and set(bad.json()) == {"limit"}


def test_the_filing_form_asks_as_it_is_written(precedent):
    client = Client()
    client.force_login(UserFactory(username="reviewer2", roles=["reviewer"]))
    assert 'hx-post="/cases/similar/"' in client.get("/cases/new/").content.decode()
    panel = client.post(
        "/cases/similar/",
        {
            "title": "Facial recognition of rally crowds",
            "proposed_use": FACIAL,
            "partner": "",
            "data_involved": ["biometric"],
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Facial recognition at protests" in panel and 'data-testid="similar-reasons"' in panel
    assert "Covert facial recognition" not in panel
    assert (
        "Similar past decisions appear here" in client.post("/cases/similar/", {"mission_area": "??"}).content.decode()
    )


def test_the_case_and_review_pages_show_the_panel(precedent, reviewer, lawyer):
    client = Client()
    client.force_login(lawyer)
    html = client.get(f"/cases/{precedent['approved'].case_id}/").content.decode()
    assert 'data-testid="similar"' in html and "Facial recognition at protests" in html
    assert "Mark not similar" in html

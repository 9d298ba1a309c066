"""Decisions citing earlier decisions, per provision, with a treatment; cited-by lists
that never reveal a restricted case."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from casebook.models import Citation, Decision
from casebook.services import case_file
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

HOLDING = {"outcome": "approved", "holding": "Summaries of public reports cross no red line.", "rationale": "Public."}


@pytest.fixture
def earlier(reviewer, decider, framework):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Earlier")), by=reviewer)
    return decision_issue(case=in_review(case), by=decider, **HOLDING)


def later_case(reviewer, decider=None, **overrides):
    facts = case_facts(PartnerFactory(), title="Later", **overrides)
    return in_review(case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer), decider)


def test_it_records_citations_with_the_decision(earlier, reviewer, decider):
    cite = {"decision": earlier.pk, "provision": "RL-1", "treatment": "follows", "reason": "Same public data."}
    later = decision_issue(case=in_review(later_case(reviewer)), by=decider, citations=[cite], **HOLDING)
    citation = Citation.objects.get()
    assert (citation.citing, citation.cited, citation.provision.code) == (later, earlier, "RL-1")
    with pytest.raises(PermissionError):
        Citation.objects.update(treatment="overrules")


@pytest.mark.postgres
def test_it_refuses_raw_sql_changes_to_a_citation_on_postgresql(earlier, reviewer, decider):
    cite = {"decision": earlier.pk, "provision": "RL-1", "treatment": "follows", "reason": "Same public data."}
    decision_issue(case=in_review(later_case(reviewer)), by=decider, citations=[cite], **HOLDING)
    citation = Citation.objects.get()
    for sql in (
        "UPDATE casebook_citation SET treatment = 'overrules' WHERE id = %s",
        "DELETE FROM casebook_citation WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="as final as the decision"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [citation.pk])
    assert Citation.objects.get().treatment == "follows"


@pytest.mark.parametrize(
    ("cite", "message"),
    [
        ({"provision": "RL-99"}, "is not a provision"),
        ({"treatment": "ignores"}, "is not a treatment"),
        ({"reason": ""}, "Say in a sentence"),
        ({"decision": 999999}, "no decision #999999 you may cite"),
    ],
)
def test_it_refuses_a_bad_citation_and_issues_nothing(earlier, reviewer, decider, cite, message):
    from django.core.exceptions import ValidationError

    base = {"decision": earlier.pk, "provision": "RL-1", "treatment": "follows", "reason": "Same."}
    with pytest.raises(ValidationError) as refused:
        decision_issue(case=in_review(later_case(reviewer)), by=decider, citations=[{**base, **cite}], **HOLDING)
    assert message in " ".join(refused.value.message_dict["citations.0"])
    assert Decision.objects.count() == 1


def test_it_will_not_cite_a_decision_the_issuer_may_not_see(reviewer, framework):
    cleared = UserFactory(username="cleared-decider", roles=["decision-maker"])
    uncleared = UserFactory(username="uncleared-decider", roles=["decision-maker"])
    secret_case = case_submit(
        case=case_file(by=reviewer, facts=case_facts(PartnerFactory(), restricted=True, access_list=[cleared])),
        by=reviewer,
    )
    secret = decision_issue(case=in_review(secret_case, cleared), by=cleared, **HOLDING)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="you may cite"):
        decision_issue(
            case=later_case(reviewer, uncleared),
            by=uncleared,
            citations=[{"decision": secret.pk, "provision": "RL-1", "treatment": "follows", "reason": "x"}],
            **HOLDING,
        )


def test_it_hides_restricted_citers_from_the_cited_by_list(earlier, reviewer, lawyer, api_as):
    cleared = UserFactory(username="cleared-decider", roles=["decision-maker"])
    secret_case = later_case(reviewer, cleared, restricted=True, access_list=[cleared])
    decision_issue(
        case=secret_case,
        by=cleared,
        citations=[
            {"decision": earlier.pk, "provision": "RL-1", "treatment": "distinguishes", "reason": "Bulk data here."}
        ],
        **HOLDING,
    )
    outsider_view = api_as(lawyer).get(f"/api/cases/{earlier.case_id}/decision/").json()
    assert outsider_view["cited_by"] == []
    insider_view = api_as(reviewer).get(f"/api/cases/{earlier.case_id}/decision/").json()
    assert [c["treatment"] for c in insider_view["cited_by"]] == ["distinguishes"]
    page = Client()
    page.force_login(lawyer)
    assert secret_case.docket not in page.get(f"/cases/{earlier.case_id}/").content.decode()


def test_it_cites_by_docket_in_the_page_and_by_id_in_the_api(earlier, reviewer, decider, api_as):
    page = Client()
    page.force_login(decider)
    case = later_case(reviewer)
    issued = page.post(
        f"/cases/{case.pk}/decide/",
        {
            **HOLDING,
            "confirm": "yes",
            "conditions-TOTAL_FORMS": "0",
            "conditions-INITIAL_FORMS": "0",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-docket": earlier.case.docket,
            "citations-0-provision": "P-1",
            "citations-0-treatment": "extends",
            "citations-0-reason": "Extends it to logistics.",
        },
    )
    assert issued.status_code == 302
    detail = page.get(f"/cases/{earlier.case_id}/").content.decode()
    assert 'data-testid="cited-by"' in detail and case.docket in detail
    other = later_case(reviewer)
    response = api_as(decider).post(
        f"/api/cases/{other.pk}/decision/",
        {
            **HOLDING,
            "citations": [
                {"decision": earlier.pk, "provision": "RL-2", "treatment": "questions", "reason": "Doubts it."}
            ],
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["citations"][0]["cited_docket"] == earlier.case.docket
    bad = api_as(decider).post(
        f"/api/cases/{later_case(reviewer).pk}/decision/",
        {**HOLDING, "citations": [{"decision": "one", "provision": "RL-2", "treatment": "questions", "reason": "x"}]},
        format="json",
    )
    assert bad.status_code == 400 and "citations" in bad.json()

"""Every rule lives in the function that all entry points call, so a new entry point (a
task, a command, another API) cannot skip it: these call the services directly, as such an
entry point would, with no view in front of them."""

import pytest
from django.core.exceptions import PermissionDenied

from casebook.models import Case, Condition
from casebook.services import case_file, case_set_tags, case_update
from precedent.services import saved_search_delete, saved_search_save, similarity_mark
from reviews.services import case_submit, condition_update, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review
from tests.reviews.test_decisions import DECISION


@pytest.fixture
def draft(reviewer, framework):
    return case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Port logistics"))


@pytest.fixture
def another_reviewer(db):
    return UserFactory(username="reviewer2", roles=["reviewer"])


def test_it_lets_no_one_but_the_filer_change_a_case(draft, another_reviewer, admin_user):
    for someone in (another_reviewer, admin_user):
        with pytest.raises(PermissionDenied, match="Only the case's filer"):
            case_update(case=draft, by=someone, facts={"title": "Taken over"})
    assert Case.objects.get(pk=draft.pk).title == "Port logistics"


def test_it_lets_no_one_but_the_filer_tag_a_case(draft, another_reviewer):
    with pytest.raises(PermissionDenied, match="Only the case's filer"):
        case_set_tags(case=draft, by=another_reviewer, tags=[{"code": "P-1", "stance": "advances"}])
    assert not draft.tags.exists()


def test_it_lets_no_one_but_the_filer_submit_a_case(draft, another_reviewer):
    with pytest.raises(PermissionDenied, match="Only the case's filer"):
        case_submit(case=draft, by=another_reviewer)
    assert Case.objects.get(pk=draft.pk).status == "draft"


def test_it_lets_only_those_who_track_conditions_record_progress(draft, reviewer, decider, lawyer, another_reviewer):
    case = in_review(case_submit(case=draft, by=reviewer))
    condition = decision_issue(case=case, by=decider, **DECISION).conditions.get()
    with pytest.raises(PermissionDenied, match="filer, its decision-maker, legal and admins"):
        condition_update(condition=condition, by=another_reviewer, status="waived", evidence="Not needed.")
    assert Condition.objects.get(pk=condition.pk).status == "open"
    for tracker in (reviewer, decider, lawyer):
        condition_update(condition=condition, by=tracker, status="open", evidence="")


def test_it_marks_only_a_decided_case_the_marker_may_see(draft, reviewer, another_reviewer):
    from django.core.exceptions import ValidationError

    hidden = case_file(by=reviewer, facts=case_facts(PartnerFactory(), restricted=True))
    for suggested in (None, draft.pk, hidden.pk, 999_999):
        with pytest.raises(ValidationError, match="no decided case like that"):
            similarity_mark(case=draft, similar_case_id=suggested, by=another_reviewer)


def test_it_lets_only_its_owner_delete_a_saved_search(reviewer, another_reviewer):
    saved = saved_search_save(owner=reviewer, name="Ports", query="q=port")
    with pytest.raises(PermissionDenied, match="Only its owner"):
        saved_search_delete(saved=saved, by=another_reviewer)
    saved_search_delete(saved=saved, by=reviewer)

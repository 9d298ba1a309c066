"""Filing, editing and submitting cases, through the services every entry point calls."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from casebook.models import Case, DocketCounter
from casebook.services import case_file, case_update
from core.errors import Conflict
from principles.models import Provision
from reviews.services import case_submit
from tests.factories import PartnerFactory, case_facts


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Defense research agency")


@pytest.fixture
def draft(reviewer, partner, framework):
    return case_file(by=reviewer, facts=case_facts(partner, safeguards=[Provision.objects.get(code="S-3")]))


def test_it_files_a_draft_without_a_docket(draft, reviewer):
    assert (draft.status, draft.docket, draft.filed_by) == ("draft", None, reviewer)
    assert draft.data_categories == ["open_source"]
    assert [p.code for p in draft.safeguards.all()] == ["S-3"]
    filed = AuditEvent.objects.get(action="case.filed")
    assert filed.after["safeguards"] == ["S-3"] and filed.actor == reviewer


def test_it_numbers_dockets_per_year_in_submission_order(reviewer, partner, framework):
    cases = [case_file(by=reviewer, facts=case_facts(partner, title=f"Case {n}")) for n in range(3)]
    for case in reversed(cases):
        case_submit(case=case, by=reviewer)
    year = Case.objects.get(pk=cases[2].pk).submitted_at.year
    assert [Case.objects.get(pk=c.pk).docket for c in cases] == [
        f"NS-{year}-0003",
        f"NS-{year}-0002",
        f"NS-{year}-0001",
    ]
    assert DocketCounter.objects.get(year=year).last == 3


def test_it_never_reuses_a_docket(draft, reviewer, partner):
    submitted = case_submit(case=draft, by=reviewer)
    Case.objects.filter(pk=submitted.pk).update(status="withdrawn")
    later = case_submit(case=case_file(by=reviewer, facts=case_facts(partner)), by=reviewer)
    assert later.docket.endswith("-0002")


def test_it_refuses_to_submit_twice(draft, reviewer):
    case_submit(case=draft, by=reviewer)
    with pytest.raises(Conflict, match="it cannot be submitted"):
        case_submit(case=draft, by=reviewer)


def test_it_records_what_an_edit_changed(draft, reviewer):
    case_update(
        case=draft, by=reviewer, facts={"title": "A better title", "data_involved": ["open_source", "us_person"]}
    )
    change = AuditEvent.objects.get(action="case.updated")
    assert change.before == {
        "title": "Summarising open-source reporting for cyber defenders",
        "data_involved": ["open_source"],
    }
    assert change.after == {"title": "A better title", "data_involved": ["open_source", "us_person"]}


def test_it_fixes_the_facts_once_decided(draft, reviewer):
    Case.objects.filter(pk=draft.pk).update(status="decided")
    with pytest.raises(Conflict, match="its facts are fixed"):
        case_update(case=draft, by=reviewer, facts={"title": "Rewritten"})


def test_it_accepts_only_safeguards_of_the_framework_in_force(reviewer, partner, framework):
    with pytest.raises(ValidationError) as refused:
        case_file(by=reviewer, facts=case_facts(partner, safeguards=[Provision.objects.get(code="RL-1")]))
    assert "safeguards" in refused.value.message_dict
    assert not Case.objects.exists()


def test_it_refuses_unknown_choices_and_leaves_nothing_behind(reviewer, partner, framework):
    with pytest.raises(ValidationError) as refused:
        case_file(by=reviewer, facts=case_facts(partner, architecture="submarine", title=""))
    assert {"architecture", "title"} <= set(refused.value.message_dict)
    assert not Case.objects.exists() and not AuditEvent.objects.filter(action="case.filed").exists()

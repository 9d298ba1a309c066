"""Tagging a case against the framework: one stance per provision, pinned to its wording."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEvent
from casebook.models import Case
from casebook.services import case_file, case_set_tags
from core.errors import Conflict
from principles import services as framework
from principles.models import Revision
from tests.factories import PartnerFactory, case_facts


@pytest.fixture
def case(reviewer, framework):
    return case_file(by=reviewer, facts=case_facts(PartnerFactory()))


def test_it_pins_each_tag_to_the_wording_in_force(case, reviewer):
    case_set_tags(
        case=case,
        by=reviewer,
        tags=[
            {"code": "RL-1", "stance": "not_implicated", "note": "Open-source material only."},
            {"code": "P-1", "stance": "advances", "note": ""},
        ],
    )
    tag = case.tags.get(provision__code="RL-1")
    assert tag.provision_text.revision.number == 2
    assert AuditEvent.objects.get(action="case.tagged").after["RL-1"]["stance"] == "not_implicated"


def test_it_replaces_the_whole_set(case, reviewer):
    case_set_tags(case=case, by=reviewer, tags=[{"code": "RL-1", "stance": "crossed"}])
    case_set_tags(case=case, by=reviewer, tags=[{"code": "P-4", "stance": "in_tension"}])
    assert [t.provision.code for t in case.tags.all()] == ["P-4"]


@pytest.mark.parametrize(
    ("tag", "key", "message"),
    [
        ({"code": "RL-1", "stance": "advances"}, "RL-1", "A red line is not implicated"),
        ({"code": "P-1", "stance": "crossed"}, "P-1", "A principle is advances"),
        ({"code": "RL-99", "stance": "crossed"}, "RL-99", "not a provision of the framework in force"),
    ],
)
def test_it_refuses_a_stance_that_does_not_fit(case, reviewer, tag, key, message):
    with pytest.raises(ValidationError) as refused:
        case_set_tags(case=case, by=reviewer, tags=[tag])
    assert message in refused.value.message_dict[key][0]
    assert not case.tags.exists()


def test_it_fixes_tags_once_decided(case, reviewer):
    Case.objects.filter(pk=case.pk).update(status="decided")
    with pytest.raises(Conflict):
        case_set_tags(case=case, by=reviewer, tags=[])


def test_it_marks_a_tag_whose_wording_was_revised_since(case, reviewer, admin_user):
    case_set_tags(case=case, by=reviewer, tags=[{"code": "RL-2", "stance": "not_implicated"}])
    client = Client()
    client.force_login(reviewer)
    assert 'data-testid="revised-since"' not in client.get(f"/cases/{case.pk}/").content.decode()
    draft = framework.revision_draft(by=admin_user, change_summary="Sharpen RL-2.")
    framework.revision_set_text(
        revision=draft, code="RL-2", title="High-stakes decisions", body="New words.", by=admin_user
    )
    framework.revision_publish(revision=draft, by=admin_user, effective_date=datetime.date.today())
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="revised-since"' in page and "Revision 2" in page
    assert Revision.objects.in_force().number == 3


def test_it_tags_through_the_page_and_shows_errors_in_place(case, reviewer):
    client = Client()
    client.force_login(reviewer)

    def seen():  # the version of the tags the page was sent with
        page = client.get(f"/cases/{case.pk}/tags/")
        assert page.status_code == 200
        return page.context["form"]["seen"].value()

    saved = client.post(
        f"/cases/{case.pk}/tags/", {"stance_RL-1": "not_implicated", "note_RL-1": "No personal data.", "seen": seen()}
    )
    assert saved.status_code == 302
    assert case.tags.get().note == "No personal data."
    wrong = client.post(f"/cases/{case.pk}/tags/", {"stance_RL-1": "advances", "note_RL-1": "kept", "seen": seen()})
    assert wrong.status_code == 200 and 'id="id_stance_RL-1-error"' in wrong.content.decode()


def test_it_tags_through_the_api(case, reviewer, decider, api_as):
    client = api_as(reviewer)
    response = client.put(f"/api/cases/{case.pk}/tags/", [{"code": "RL-3", "stance": "not_implicated"}], format="json")
    assert response.status_code == 200 and response.json()[0]["revision"] == 2
    bad = client.put(f"/api/cases/{case.pk}/tags/", [{"code": "RL-3", "stance": "advances"}], format="json")
    assert bad.status_code == 400 and "RL-3" in bad.json()
    wrong_type = client.put(f"/api/cases/{case.pk}/tags/", {"code": "RL-3"}, format="json")
    assert wrong_type.status_code == 400
    assert api_as(decider).put(f"/api/cases/{case.pk}/tags/", [], format="json").status_code in (403, 404)
    assert case.tags.get().stance == "not_implicated"

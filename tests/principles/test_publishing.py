"""Drafting and publishing revisions: every rule, through the services every entry point calls."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from core.errors import Conflict
from principles import services
from principles.choices import Change, RevisionState
from principles.diff import revision_diff
from principles.models import Provision, ProvisionText, Revision


@pytest.fixture
def draft(framework, admin_user):
    return services.revision_draft(by=admin_user, change_summary="Tighten RL-2.")


def test_it_drafts_a_copy_of_the_revision_in_force(draft):
    current = Revision.objects.get(number=2)
    assert draft.number == 3 and draft.state == RevisionState.DRAFT
    assert [c.change for c in revision_diff(current, draft)] == [Change.UNCHANGED] * current.texts.count()


def test_it_allows_one_draft_at_a_time(draft, admin_user):
    with pytest.raises(Conflict, match="Revision 3 is already being drafted"):
        services.revision_draft(by=admin_user)


def test_it_publishes_a_draft_atomically(draft, admin_user):
    services.revision_set_text(
        revision=draft, code="RL-2", title="High-stakes decisions", body="New words.", by=admin_user
    )
    services.revision_publish(revision=draft, by=admin_user, effective_date=datetime.date.today())
    states = dict(Revision.objects.values_list("number", "state"))
    assert states == {1: "superseded", 2: "superseded", 3: "published"}
    draft.refresh_from_db()
    assert (draft.published_by, draft.effective_date) == (admin_user, datetime.date.today())
    assert AuditEvent.objects.filter(action="revision.published", object_id=str(draft.pk)).exists()


def test_it_adds_and_retires_provisions(draft, admin_user):
    services.revision_set_text(
        revision=draft,
        code="S-40",
        kind="safeguard",
        title="Red-team exercise",
        body="Each deployment is red-teamed first.",
        by=admin_user,
    )
    services.revision_retire_provision(revision=draft, code="S-9", by=admin_user)
    changes = {c.code: c.change for c in revision_diff(Revision.objects.get(number=2), draft, changed_only=True)}
    assert changes == {"S-40": Change.ADDED, "S-9": Change.RETIRED}


def test_it_refuses_a_new_provision_without_its_kind_or_with_the_wrong_prefix(draft, admin_user):
    with pytest.raises(ValidationError) as missing:
        services.revision_set_text(revision=draft, code="S-40", title="T", body="B", by=admin_user)
    assert "kind" in missing.value.message_dict
    with pytest.raises(ValidationError) as wrong:
        services.revision_set_text(revision=draft, code="S-40", kind="red_line", title="T", body="B", by=admin_user)
    assert "code" in wrong.value.message_dict
    assert not Provision.objects.filter(code="S-40").exists()


def test_it_refuses_to_change_a_provisions_kind(draft, admin_user):
    with pytest.raises(ValidationError, match="keeps its kind"):
        services.revision_set_text(revision=draft, code="RL-2", kind="principle", title="T", body="B", by=admin_user)


def test_it_refuses_to_edit_a_published_revision(framework, admin_user):
    published = Revision.objects.get(number=2)
    with pytest.raises(Conflict, match="published and can no longer be changed"):
        services.revision_set_text(revision=published, code="RL-1", title="T", body="B", by=admin_user)
    with pytest.raises(Conflict):
        services.revision_retire_provision(revision=published, code="RL-1", by=admin_user)
    with pytest.raises(Conflict):
        services.revision_update(revision=published, change_summary="x", by=admin_user)
    with pytest.raises(Conflict):
        services.revision_discard(revision=published, by=admin_user)
    text = published.texts.get(provision__code="RL-1")
    text.body = "Tampered."
    with pytest.raises(Conflict):
        text.save()
    assert "Tampered" not in ProvisionText.objects.get(pk=text.pk).body


def test_it_refuses_to_publish_twice(draft, admin_user):
    services.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New.", by=admin_user)
    services.revision_publish(revision=draft, by=admin_user)
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict, match="published and can no longer be changed"):
        services.revision_publish(revision=draft, by=admin_user)
    assert AuditEvent.objects.count() == before


def test_it_refuses_to_publish_an_empty_draft(draft, admin_user):
    with pytest.raises(ValidationError, match="makes no change"):
        services.revision_publish(revision=draft, by=admin_user)
    assert Revision.objects.in_force().number == 2


def test_it_refuses_to_publish_without_a_summary(draft, admin_user):
    services.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New.", by=admin_user)
    services.revision_update(revision=draft, change_summary="  ", by=admin_user)
    with pytest.raises(ValidationError) as refused:
        services.revision_publish(revision=draft, by=admin_user)
    assert "change_summary" in refused.value.message_dict


def test_it_refuses_an_effective_date_before_the_revision_in_force(draft, admin_user):
    services.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New.", by=admin_user)
    with pytest.raises(ValidationError) as refused:
        services.revision_publish(revision=draft, by=admin_user, effective_date=datetime.date(2026, 1, 1))
    assert "effective_date" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.is_draft


def test_it_discards_a_draft_and_the_provisions_only_it_had(draft, admin_user):
    services.revision_set_text(revision=draft, code="A-40", kind="legal_authority", title="T", body="B", by=admin_user)
    services.revision_discard(revision=draft, by=admin_user)
    assert not Revision.objects.filter(number=3).exists()
    assert not Provision.objects.filter(code="A-40").exists()
    assert Provision.objects.filter(code="RL-2").exists()


def test_it_audits_every_change_to_a_draft(draft, admin_user):
    services.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New.", by=admin_user)
    services.revision_retire_provision(revision=draft, code="S-9", by=admin_user)
    actions = list(
        AuditEvent.objects.filter(object_id=str(draft.pk), object_type="principles.revision").values_list(
            "action", flat=True
        )
    )
    assert actions == ["revision.drafted", "revision.text_set", "revision.provision_retired"]
    text_set = AuditEvent.objects.get(action="revision.text_set", object_id=str(draft.pk))
    assert text_set.before["body"] != text_set.after["body"] == "New."


def test_it_finds_the_revision_in_force_on_a_date(framework):
    assert Revision.objects.in_force(at=datetime.date(2026, 2, 28)).number == 1
    assert Revision.objects.in_force(at=datetime.date(2026, 3, 2)).number == 2
    assert Revision.objects.in_force(at=datetime.date(2025, 1, 1)) is None


def test_it_refuses_to_publish_a_draft_with_every_provision_retired(draft, admin_user):
    for code in list(draft.texts.values_list("provision__code", flat=True)):
        services.revision_retire_provision(revision=draft, code=code, by=admin_user)
    with pytest.raises(ValidationError, match="has no provisions"):
        services.revision_publish(revision=draft, by=admin_user)
    assert Revision.objects.in_force().number == 2


def test_it_refuses_an_effective_date_in_the_future(draft, admin_user):
    services.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New.", by=admin_user)
    with pytest.raises(ValidationError) as refused:
        services.revision_publish(revision=draft, by=admin_user, effective_date=datetime.date(2099, 1, 1))
    assert "in the future" in refused.value.message_dict["effective_date"][0]


def test_it_refuses_to_add_a_provision_the_draft_already_has(draft, admin_user):
    with pytest.raises(ValidationError, match="already in Revision 3"):
        services.revision_set_text(revision=draft, code="RL-2", title="T", body="B", by=admin_user, adding=True)


def test_it_answers_a_conflict_when_the_draft_was_discarded_meanwhile(draft, admin_user):
    stale = Revision.objects.get(pk=draft.pk)
    services.revision_discard(revision=draft, by=admin_user)
    with pytest.raises(Conflict, match="discarded"):
        services.revision_publish(revision=stale, by=admin_user)

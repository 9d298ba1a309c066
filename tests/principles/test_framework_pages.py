"""The framework pages, for every role."""

import datetime

import pytest
from django.test import Client

from principles.models import Revision
from tests.factories import seen

EVERYONE = ["reviewer", "decider", "lawyer", "admin", "overseer", "outsider"]
NOT_ADMIN = ["reviewer", "decider", "lawyer", "overseer", "outsider"]
READ_PAGES = [
    "/framework/",
    "/framework/?as_of=2026-02-28",
    "/framework/revisions/",
    "/framework/revisions/1/",
    "/framework/revisions/2/diff/",
    "/framework/revisions/2/diff/?from=1",
    "/framework/provisions/RL-1/",
]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(framework, admin_user):
    from principles import services

    return services.revision_draft(by=admin_user, change_summary="Sharpen RL-2.")


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("url", READ_PAGES)
def test_it_shows_the_framework_to_anyone_signed_in(personas, framework, persona, url):
    assert client_for(personas[persona]).get(url).status_code == 200


@pytest.mark.parametrize("url", READ_PAGES)
def test_it_sends_strangers_to_sign_in(client, framework, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_it_shows_revision_two_in_force(reviewer, framework):
    page = client_for(reviewer).get("/framework/").content.decode()
    assert "Revision 2, in force since 2 March 2026" in page
    assert "Mass domestic surveillance" in page and "commercially acquired personal" in page


def test_it_shows_the_framework_as_it_stood(reviewer, framework):
    page = client_for(reviewer).get("/framework/?as_of=2026-02-28").content.decode()
    assert "Revision 1, in force on that date" in page
    assert "commercially acquired personal" not in page
    before = client_for(reviewer).get("/framework/?as_of=2020-01-01").content.decode()
    assert "No revision was in force on that date." in before


def test_it_shows_the_changed_red_line_in_the_diff(reviewer, framework):
    page = client_for(reviewer).get("/framework/revisions/2/diff/").content.decode()
    assert 'id="diff-RL-1" data-change="changed"' in page
    assert "<ins>" in page and "commercially acquired" in page
    assert 'data-change="unchanged"' not in page


def test_it_answers_htmx_with_the_diff_alone(reviewer, framework):
    response = client_for(reviewer).get("/framework/revisions/2/diff/?from=1", headers={"HX-Request": "true"})
    assert b"<html" not in response.content and b"diff-RL-1" in response.content


def test_it_answers_404_for_an_unknown_comparison(reviewer, framework):
    assert client_for(reviewer).get("/framework/revisions/2/diff/?from=99").status_code == 404
    assert client_for(reviewer).get("/framework/revisions/99/").status_code == 404
    assert client_for(reviewer).get("/framework/provisions/RL-99/").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 404), ("outsider", 404), ("overseer", 200)])
def test_it_hides_drafts_from_all_but_admins_and_oversight(personas, draft, persona, status):
    assert client_for(personas[persona]).get("/framework/revisions/3/").status_code == status


@pytest.mark.parametrize("persona", NOT_ADMIN)
def test_it_keeps_the_editing_pages_for_admins(personas, draft, persona):
    client = client_for(personas[persona])
    for url in [
        "/framework/revisions/new/",
        "/framework/revisions/3/edit/",
        "/framework/revisions/3/publish/",
        "/framework/revisions/3/provisions/RL-2/",
        "/framework/revisions/3/provisions/new/",
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"change_summary": "x", "title": "x", "body": "x"}).status_code == 403, url
    for url in ["/framework/revisions/3/provisions/RL-2/retire/", "/framework/revisions/3/discard/"]:
        assert client.post(url).status_code == 403, url
    assert Revision.objects.get(number=3).texts.filter(provision__code="RL-2").exists()


def test_it_lets_an_admin_draft_edit_preview_and_publish(admin_user, framework):
    client = client_for(admin_user)
    response = client.post("/framework/revisions/new/", {"change_summary": "Sharpen RL-2."})
    assert response["Location"] == "/framework/revisions/3/edit/"
    assert client.get("/framework/revisions/3/edit/").status_code == 200
    provision = "/framework/revisions/3/provisions/RL-2/"
    wording = {"title": "High-stakes decisions", "body": "Reworded for clarity.", "seen": seen(client, provision)}
    saved = client.post(provision, wording)
    assert saved.status_code == 302
    added = client.post(
        "/framework/revisions/3/provisions/new/",
        {"code": "S-40", "kind": "safeguard", "title": "Red-team exercise", "body": "Before deployment."},
    )
    assert added.status_code == 302
    assert client.post("/framework/revisions/3/provisions/S-9/retire/", {"confirm": "yes"}).status_code == 302
    preview = client.get("/framework/revisions/3/publish/").content.decode()
    assert 'id="diff-RL-2" data-change="changed"' in preview
    assert 'data-change="added"' in preview and 'data-change="retired"' in preview
    published = client.post(
        "/framework/revisions/3/publish/",
        {
            "effective_date": str(datetime.date.today()),
            "seen": seen(client, "/framework/revisions/3/publish/"),
            "confirm": "yes",
        },
    )
    assert published["Location"] == "/framework/revisions/3/"
    assert Revision.objects.in_force().number == 3


def test_it_shows_form_errors_next_to_the_field_and_keeps_the_text(admin_user, draft):
    client = client_for(admin_user)
    response = client.post("/framework/revisions/3/provisions/RL-2/", {"title": "", "body": "My careful words."})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title-error"' in page and "This field is required." in page
    assert "My careful words." in page


def test_it_explains_why_an_empty_draft_cannot_be_published(admin_user, draft):
    client = client_for(admin_user)
    response = client.post(
        "/framework/revisions/3/publish/",
        {
            "effective_date": str(datetime.date.today()),
            "seen": seen(client, "/framework/revisions/3/publish/"),
            "confirm": "yes",
        },
    )
    assert response.status_code == 200
    assert "makes no change to Revision 2" in response.content.decode()
    assert Revision.objects.get(number=3).is_draft


def test_it_refuses_a_new_provision_with_a_bad_code(admin_user, draft):
    response = client_for(admin_user).post(
        "/framework/revisions/3/provisions/new/", {"code": "XX-1", "kind": "safeguard", "title": "T", "body": "B"}
    )
    assert "Use a kind prefix" in response.content.decode()
    mismatch = client_for(admin_user).post(
        "/framework/revisions/3/provisions/new/", {"code": "RL-9", "kind": "safeguard", "title": "T", "body": "B"}
    )
    assert "starts with S-" in mismatch.content.decode()


def test_it_answers_409_with_a_reason_to_edits_of_a_published_revision(admin_user, framework):
    client = client_for(admin_user)
    for url in [
        "/framework/revisions/2/edit/",
        "/framework/revisions/2/publish/",
        "/framework/revisions/2/provisions/RL-1/",
    ]:
        response = client.get(url)
        assert response.status_code == 409, url
        assert "Revision 2 is published and can no longer be changed." in response.content.decode()
    assert client.post("/framework/revisions/2/discard/").status_code == 409
    assert client.post("/framework/revisions/2/provisions/RL-1/retire/").status_code == 409


def test_it_answers_409_to_a_second_draft_or_a_double_publish(admin_user, draft):
    client = client_for(admin_user)
    assert client.post("/framework/revisions/new/", {"change_summary": "Again"}).status_code == 409
    provision = "/framework/revisions/3/provisions/RL-2/"
    edit = {"title": "High-stakes", "body": "New words.", "seen": seen(client, provision)}
    assert client.post(provision, edit).status_code == 302
    publish = {
        "effective_date": str(datetime.date.today()),
        "seen": seen(client, "/framework/revisions/3/publish/"),
        "confirm": "yes",
    }
    assert client.post("/framework/revisions/3/publish/", publish).status_code == 302
    assert client.post("/framework/revisions/3/publish/", publish).status_code == 409


def test_it_shows_the_first_revision_as_all_new(reviewer, framework):
    page = client_for(reviewer).get("/framework/revisions/1/diff/").content.decode()
    assert "Revision 1 is the first revision" in page and 'data-change="added"' in page


def test_it_hides_a_provision_that_exists_only_in_a_draft(admin_user, reviewer, draft):
    from principles import services

    services.revision_set_text(revision=draft, code="S-77", kind="safeguard", title="T", body="B", by=admin_user)
    assert client_for(reviewer).get("/framework/provisions/S-77/").status_code == 404
    assert client_for(admin_user).get("/framework/provisions/S-77/").status_code == 200


def test_it_varies_the_diff_on_htmx_and_restores_history_in_full(reviewer, framework):
    client = client_for(reviewer)
    fragment = client.get("/framework/revisions/2/diff/?from=1", headers={"HX-Request": "true"})
    assert "HX-Request" in fragment["Vary"]
    restored = client.get(
        "/framework/revisions/2/diff/?from=1", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert b"<html" in restored.content


def test_it_lets_an_admin_discard_a_draft(admin_user, draft):
    assert client_for(admin_user).post("/framework/revisions/3/discard/", {"confirm": "yes"}).status_code == 302
    assert not Revision.objects.filter(number=3).exists()


def test_it_publishes_retires_and_discards_only_once_the_admin_confirms(admin_user, draft):
    from principles import services

    services.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New words.", by=admin_user)
    client = client_for(admin_user)
    publish = {"effective_date": str(datetime.date.today()), "seen": seen(client, "/framework/revisions/3/publish/")}
    unpublished = client.post("/framework/revisions/3/publish/", publish)
    assert unpublished.status_code == 200 and "Nothing was published: tick the box to confirm it." in (
        unpublished.content.decode()
    )
    retired = client.post("/framework/revisions/3/provisions/S-9/retire/", follow=True)
    assert "Nothing was retired: tick the box to confirm it." in retired.content.decode()
    discarded = client.post("/framework/revisions/3/discard/", follow=True)
    assert "Nothing was discarded: tick the box to confirm it." in discarded.content.decode()
    draft = Revision.objects.get(number=3)
    assert draft.is_draft and draft.texts.filter(provision__code="S-9").exists()


def test_the_publish_page_shows_the_changes_then_their_impact_then_the_button(admin_user, reviewer, decider, draft):
    from casebook.services import case_file, case_set_tags
    from principles import services
    from reviews.services import case_submit, decision_issue
    from tests.factories import PartnerFactory, case_facts, in_review

    case = case_file(by=reviewer, facts=case_facts(PartnerFactory()))
    case_set_tags(case=case, by=reviewer, tags=[{"code": "P-1", "stance": "advances"}])
    case = in_review(case_submit(case=case, by=reviewer), decider=decider)
    decision_issue(case=case, by=decider, outcome="approved", holding="Goes ahead.", rationale="Because.")
    services.revision_set_text(revision=draft, code="P-1", title="Reworded", body="New words.", by=admin_user)
    services.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="New words.", by=admin_user)
    page = client_for(admin_user).get("/framework/revisions/3/publish/").content.decode()
    impact = "2 provisions change; live decisions rest on the old wording of P-1 (1 live decision)."
    assert f'data-testid="publish-impact">{impact}</p>' in page
    assert f'data-confirm="Publish Revision 3? {impact} Published texts can never be changed again."' in page
    diff, said, button = page.index('id="diff-RL-2"'), page.index(impact), page.index(">Publish Revision 3</button>")
    assert diff < said < button

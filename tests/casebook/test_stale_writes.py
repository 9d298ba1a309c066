"""An edit made on an older copy of a record is refused, never silently applied: the API
by ETag and If-Match (412 stale, 428 where one is required), the pages by the copy the form
was sent with, shown again with the other person's change."""

import pytest
from django.test import Client

from casebook.models import Case, Partner
from casebook.services import case_file, case_update, partner_save
from core.forms import _put
from reviews.services import case_submit
from tests.factories import PartnerFactory, case_facts
from tests.notifications.test_notifications import decide


@pytest.fixture
def case(reviewer, framework):
    return case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)


def form_data(form) -> dict:
    """What a browser would post back of a form, untouched."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for field in form:
        _put(data, field.html_name, field.value())
    return data


def test_a_stale_patch_is_refused_with_412_and_changes_nothing(case, reviewer, api_as):
    api = api_as(reviewer)
    read = api.get(f"/api/cases/{case.pk}/")
    etag = read["ETag"]
    first = api.patch(f"/api/cases/{case.pk}/", {"title": "First"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag
    second = api.patch(f"/api/cases/{case.pk}/", {"title": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412 and second["ETag"] == first["ETag"]
    assert "changed this record" in second.json()["detail"]
    assert Case.objects.get(pk=case.pk).title == "First"
    # Without If-Match the client has asked for no check; a weak or quoted ETag both match.
    assert api.patch(f"/api/cases/{case.pk}/", {"title": "Third"}, format="json").status_code == 200
    current = api.get(f"/api/cases/{case.pk}/")["ETag"]
    weak = api.patch(f"/api/cases/{case.pk}/", {"title": "Fourth"}, format="json", HTTP_IF_MATCH=f"W/{current}")
    assert weak.status_code == 200


def test_changing_who_may_see_a_case_needs_if_match(case, reviewer, lawyer, api_as):
    api = api_as(reviewer)
    restrict = {"restricted": True, "access_list": ["lawyer"]}
    refused = api.patch(f"/api/cases/{case.pk}/", restrict, format="json")
    assert refused.status_code == 428 and "If-Match" in refused.json()["detail"]
    assert not Case.objects.get(pk=case.pk).restricted
    etag = api.get(f"/api/cases/{case.pk}/")["ETag"]
    assert api.patch(f"/api/cases/{case.pk}/", restrict, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert Case.objects.get(pk=case.pk).restricted


def test_stale_tags_partners_and_conditions_are_refused(case, reviewer, decider, admin_user, api_as):
    api = api_as(reviewer)
    etag = api.get(f"/api/cases/{case.pk}/tags/")["ETag"]
    tag = [{"code": "RL-2", "stance": "not_implicated", "note": ""}]
    assert api.put(f"/api/cases/{case.pk}/tags/", tag, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert api.put(f"/api/cases/{case.pk}/tags/", [], format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert case.tags.count() == 1

    admin = api_as(admin_user)
    etag = admin.get(f"/api/partners/{case.partner_id}/")["ETag"]
    changed = admin.patch(f"/api/partners/{case.partner_id}/", {"country": "X"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    stale = admin.patch(f"/api/partners/{case.partner_id}/", {"country": "Y"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and Partner.objects.get(pk=case.partner_id).country == "X"

    condition = decide(reviewer, decider).conditions.first()
    tracker = api_as(decider)
    etag = tracker.get(f"/api/conditions/{condition.pk}/")["ETag"]
    done = {"status": "met", "evidence": "Logs kept."}
    assert tracker.patch(f"/api/conditions/{condition.pk}/", done, format="json", HTTP_IF_MATCH=etag).status_code == 200
    reopened = {"status": "open", "evidence": ""}
    stale = tracker.patch(f"/api/conditions/{condition.pk}/", reopened, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    condition.refresh_from_db()
    assert condition.status == "met"


def test_a_stale_edit_form_never_undoes_a_restriction(case, reviewer, lawyer):
    pages = Client()
    pages.force_login(reviewer)
    stale = form_data(pages.get(f"/cases/{case.pk}/edit/").context["form"])
    # Meanwhile, in another tab, the case is restricted to a need-to-know list.
    case_update(case=case, by=reviewer, facts={"restricted": True, "access_list": [lawyer]})

    stale["title"] = "A better title"
    refused = pages.post(f"/cases/{case.pk}/edit/", stale)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else changed this case while you were editing it" in page
    assert "changed by someone else from no to yes" in page.lower()
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.restricted and list(fresh.access_list.all()) == [lawyer] and fresh.title != "A better title"

    # The form shown now keeps the restriction and the editor's title: saving it applies both.
    merged = form_data(refused.context["form"])
    assert merged["title"] == "A better title" and merged.get("restricted") == "on"
    assert pages.post(f"/cases/{case.pk}/edit/", merged).status_code == 302
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.title == "A better title" and fresh.restricted and list(fresh.access_list.all()) == [lawyer]


def test_a_text_both_changed_keeps_the_editors_and_shows_theirs(case, reviewer):
    pages = Client()
    pages.force_login(reviewer)
    stale = form_data(pages.get(f"/cases/{case.pk}/edit/").context["form"])
    case_update(case=case, by=reviewer, facts={"proposed_use": "Their account of the use."})
    stale["proposed_use"] = "My account of the use."
    page = pages.post(f"/cases/{case.pk}/edit/", stale).content.decode()
    assert "Their account of the use." in page and "yours is kept here" in page
    assert Case.objects.get(pk=case.pk).proposed_use == "Their account of the use."


def test_an_altered_form_is_refused(case, reviewer):
    pages = Client()
    pages.force_login(reviewer)
    data = form_data(pages.get(f"/cases/{case.pk}/edit/").context["form"])
    data["seen"] = data["seen"][:-4] + "abcd"
    data["title"] = "Forged"
    response = pages.post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 200 and "altered" in response.content.decode()
    assert Case.objects.get(pk=case.pk).title != "Forged"


def test_a_stale_partner_form_and_tags_form_are_refused(case, reviewer, admin_user):
    admins = Client()
    admins.force_login(admin_user)
    stale = form_data(admins.get(f"/partners/{case.partner_id}/edit/").context["form"])
    partner_save(partner=case.partner, facts={"country": "Elsewhere"}, by=admin_user)
    stale["eligibility_notes"] = "Checked."
    page = admins.post(f"/partners/{case.partner_id}/edit/", stale).content.decode()
    assert "Someone else changed this partner" in page and "Elsewhere" in page
    assert Partner.objects.get(pk=case.partner_id).eligibility_notes != "Checked."

    pages = Client()
    pages.force_login(reviewer)
    stale = form_data(pages.get(f"/cases/{case.pk}/tags/").context["form"])
    meanwhile = stale.copy()
    meanwhile["stance_RL-2"] = "not_implicated"
    assert pages.post(f"/cases/{case.pk}/tags/", meanwhile).status_code == 302
    assert case.tags.count() == 1
    page = pages.post(f"/cases/{case.pk}/tags/", stale).content.decode()
    assert "Someone else changed this case" in page and case.tags.count() == 1


def test_stale_edits_of_a_draft_revision_are_refused(admin_user, api_as, framework):
    api = api_as(admin_user)
    assert api.post("/api/revisions/", {"change_summary": "Tighten RL-2."}, format="json").status_code == 201
    etag = api.get("/api/revisions/3/")["ETag"]
    assert api.patch("/api/revisions/3/", {"change_summary": "A"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert api.patch("/api/revisions/3/", {"change_summary": "B"}, format="json", HTTP_IF_MATCH=etag).status_code == 412

    [text] = [t for t in api.get("/api/revisions/3/").json()["texts"] if t["code"] == "RL-2"]
    wording = {"title": text["title"], "body": "New wording."}
    path = "/api/revisions/3/provisions/RL-2/"
    assert api.put(path, wording, format="json", HTTP_IF_MATCH=text["version"]).status_code == 200
    stale = api.put(path, {**wording, "body": "Older wording."}, format="json", HTTP_IF_MATCH=text["version"])
    assert stale.status_code == 412

    pages = Client()
    pages.force_login(admin_user)
    form = form_data(pages.get("/framework/revisions/3/provisions/RL-2/").context["form"])
    api.put(path, {**wording, "title": "Renamed"}, format="json")
    form["body"] = "My wording."
    page = pages.post("/framework/revisions/3/provisions/RL-2/", form).content.decode()
    assert "Someone else changed this provision" in page and "Renamed" in page


def test_a_wildcard_if_match_does_not_stand_for_reading_the_access_list(case, reviewer, api_as):
    restrict = {"restricted": True}
    for header in ("*", '"a", "b"'):
        response = api_as(reviewer).patch(f"/api/cases/{case.pk}/", restrict, format="json", HTTP_IF_MATCH=header)
        assert response.status_code == 428
    assert not Case.objects.get(pk=case.pk).restricted


@pytest.mark.parametrize("seen", ["forged", None], ids=["altered", "missing"])
def test_an_edit_form_that_does_not_say_what_it_edits_is_refused_on_every_form(case, reviewer, admin_user, seen):
    pages = Client()
    pages.force_login(reviewer)
    admins = Client()
    admins.force_login(admin_user)
    for client, path in [
        (pages, f"/cases/{case.pk}/edit/"),
        (pages, f"/cases/{case.pk}/tags/"),
        (admins, f"/partners/{case.partner_id}/edit/"),
    ]:
        data = form_data(client.get(path).context["form"])
        if seen is None:
            del data["seen"]
        else:
            data["seen"] = seen
        response = client.post(path, data)
        assert response.status_code == 200, path
        assert "open the page again" in response.content.decode(), path
    assert case.tags.count() == 0


def test_a_stale_tags_form_keeps_the_note_its_editor_wrote(case, reviewer):
    pages = Client()
    pages.force_login(reviewer)
    stale = form_data(pages.get(f"/cases/{case.pk}/tags/").context["form"])
    meanwhile = stale.copy()
    meanwhile["stance_RL-2"] = "implicated_mitigated"
    meanwhile["note_RL-2"] = "Their note."
    assert pages.post(f"/cases/{case.pk}/tags/", meanwhile).status_code == 302

    stale["stance_RL-2"] = "not_implicated"
    stale["note_RL-2"] = "My reading of RL-2."
    refused = pages.post(f"/cases/{case.pk}/tags/", stale)
    merged = form_data(refused.context["form"])
    assert merged["note_RL-2"] == "My reading of RL-2." and "Their note." in refused.content.decode()
    assert merged["stance_RL-2"] == "implicated_mitigated"  # their stance is shown, to be checked


def test_a_draft_changed_after_its_diff_was_shown_is_not_published(admin_user, framework):
    from principles import services as framework
    from principles.models import Revision

    draft = framework.revision_draft(by=admin_user, change_summary="Sharpen RL-2.")
    framework.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="Reviewed words.", by=admin_user)
    pages = Client()
    pages.force_login(admin_user)
    path = f"/framework/revisions/{draft.number}/publish/"
    previewed = form_data(pages.get(path).context["form"])
    framework.revision_set_text(
        revision=draft, code="RL-2", title="High-stakes", body="Unreviewed words.", by=admin_user
    )
    refused = pages.post(path, {**previewed, "confirm": "yes"})
    assert refused.status_code == 200 and "Someone changed this draft" in refused.content.decode()
    assert "Unreviewed" in refused.content.decode() and Revision.objects.get(pk=draft.pk).is_draft
    assert pages.post(path, {**form_data(refused.context["form"]), "confirm": "yes"}).status_code == 302

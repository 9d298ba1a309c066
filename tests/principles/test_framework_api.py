"""The framework API, for every role."""

import datetime

import pytest

from audit.models import AuditEvent
from principles.models import Revision

EVERYONE = ["reviewer", "decider", "lawyer", "admin", "overseer", "outsider"]
READS = [
    "/api/provisions/",
    "/api/provisions/RL-1/",
    "/api/revisions/",
    "/api/revisions/2/",
    "/api/revisions/1/",
    "/api/revisions/2/diff/",
    "/api/revisions/2/diff/?from=1",
]


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("url", READS)
def test_it_lets_anyone_signed_in_read_the_framework(api_as, personas, framework, persona, url):
    assert api_as(personas[persona]).get(url).status_code == 200


@pytest.mark.parametrize("url", READS)
def test_it_asks_strangers_to_authenticate(api_client, framework, url):
    response = api_client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("persona", ["reviewer", "decider", "lawyer", "overseer", "outsider"])
def test_it_lets_only_admins_draft_edit_and_publish(api_as, personas, framework, admin_user, persona):
    client = api_as(personas[persona])
    assert client.post("/api/revisions/", {}, format="json").status_code == 403
    api_as(admin_user).post("/api/revisions/", {"change_summary": "Next."}, format="json")
    client = api_as(personas[persona])
    body = {"title": "T", "body": "B"}
    assert client.put("/api/revisions/3/provisions/RL-2/", body, format="json").status_code == 403
    assert client.delete("/api/revisions/3/provisions/RL-2/").status_code == 403
    assert client.patch("/api/revisions/3/", {"change_summary": "x"}, format="json").status_code == 403
    assert client.post("/api/revisions/3/publish/", {}, format="json").status_code == 403
    assert client.delete("/api/revisions/3/").status_code == 403
    assert Revision.objects.get(number=3).is_draft
    assert AuditEvent.objects.filter(action="access.denied", actor=personas[persona]).count() == 6


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 404), ("lawyer", 404), ("overseer", 200), ("admin", 200)])
def test_it_shows_drafts_to_admins_and_oversight_only(api_as, personas, framework, admin_user, persona, status):
    api_as(admin_user).post("/api/revisions/", {}, format="json")
    client = api_as(personas[persona])
    assert client.get("/api/revisions/3/").status_code == status
    numbers = [r["number"] for r in client.get("/api/revisions/").json()["results"]]
    assert (3 in numbers) == (status == 200)


def test_it_takes_a_draft_through_to_publication(api_as, admin_user, framework):
    client = api_as(admin_user)
    created = client.post("/api/revisions/", {"change_summary": "Sharpen RL-2."}, format="json")
    assert created.status_code == 201 and created.json()["number"] == 3
    put = client.put(
        "/api/revisions/3/provisions/RL-2/", {"title": "High-stakes decisions", "body": "Reworded."}, format="json"
    )
    assert put.status_code == 200 and put.json()["body"] == "Reworded."
    added = client.put(
        "/api/revisions/3/provisions/S-40/",
        {"title": "Red-team", "body": "Before deployment.", "kind": "safeguard"},
        format="json",
    )
    assert added.status_code == 200
    assert client.delete("/api/revisions/3/provisions/S-9/").status_code == 204
    diff = client.get("/api/revisions/3/diff/").json()
    assert diff["from_revision"] == 2
    assert {c["code"]: c["change"] for c in diff["changes"] if c["change"] != "unchanged"} == {
        "RL-2": "changed",
        "S-40": "added",
        "S-9": "retired",
    }
    published = client.post("/api/revisions/3/publish/", {"effective_date": str(datetime.date.today())}, format="json")
    assert published.status_code == 200
    assert published.json()["state"] == "published" and published.json()["published_by"] == "admin"
    assert client.get("/api/revisions/2/").json()["state"] == "superseded"
    current = client.get("/api/provisions/RL-2/").json()["current"]
    assert current["body"] == "Reworded."
    assert client.get("/api/provisions/S-9/").json()["current"] is None


def test_it_answers_409_to_editing_or_publishing_a_published_revision(api_as, admin_user, framework):
    client = api_as(admin_user)
    before = AuditEvent.objects.count()
    edit = client.put("/api/revisions/2/provisions/RL-1/", {"title": "T", "body": "B"}, format="json")
    assert edit.status_code == 409 and "can no longer be changed" in edit.json()["detail"]
    assert client.post("/api/revisions/2/publish/", {}, format="json").status_code == 409
    assert client.patch("/api/revisions/2/", {"change_summary": "x"}, format="json").status_code == 409
    assert client.delete("/api/revisions/2/").status_code == 409
    assert AuditEvent.objects.count() == before


def test_it_answers_400_to_publishing_an_empty_draft(api_as, admin_user, framework):
    client = api_as(admin_user)
    client.post("/api/revisions/", {"change_summary": "Nothing yet."}, format="json")
    response = client.post("/api/revisions/3/publish/", {}, format="json")
    assert response.status_code == 400
    assert "makes no change" in response.json()["revision"][0]
    assert Revision.objects.get(number=3).is_draft


def test_it_answers_409_to_a_second_draft(api_as, admin_user, framework):
    client = api_as(admin_user)
    client.post("/api/revisions/", {}, format="json")
    assert client.post("/api/revisions/", {}, format="json").status_code == 409
    assert Revision.objects.count() == 3


def test_it_gives_field_errors_for_bad_text(api_as, admin_user, framework):
    client = api_as(admin_user)
    client.post("/api/revisions/", {}, format="json")
    response = client.put(
        "/api/revisions/3/provisions/RL-2/", {"title": "", "body": 5, "kind": "nonsense"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "body", "kind"}
    nul = client.put("/api/revisions/3/provisions/RL-2/", {"title": "T\x00", "body": "B"}, format="json")
    assert nul.status_code == 400 and "title" in nul.json()
    big = client.put("/api/revisions/3/provisions/RL-2/", {"title": "T", "body": "x" * 30000}, format="json")
    assert big.status_code == 400 and "body" in big.json()


def test_it_answers_404_for_unknown_revisions_and_codes(api_as, admin_user, framework):
    client = api_as(admin_user)
    assert client.get("/api/revisions/99/").status_code == 404
    assert client.get("/api/revisions/2/diff/?from=99").status_code == 404
    assert client.get("/api/provisions/RL-99/").status_code == 404
    assert client.get("/api/revisions/2/diff/?from=abc").json() == {"from": ["A valid integer is required."]}


def test_it_filters_provisions_by_kind(api_as, reviewer, framework):
    results = api_as(reviewer).get("/api/provisions/?kind=red_line").json()["results"]
    assert [p["code"] for p in results] == ["RL-1", "RL-2", "RL-3", "RL-4"]


def test_it_keeps_draft_wording_out_of_the_provisions_api(api_as, admin_user, reviewer, overseer, framework):
    admin = api_as(admin_user)
    admin.post("/api/revisions/", {}, format="json")
    admin.put(
        "/api/revisions/3/provisions/S-77/", {"title": "Secret", "body": "xyzzy", "kind": "safeguard"}, format="json"
    )
    admin.put("/api/revisions/3/provisions/RL-2/", {"title": "High-stakes", "body": "plugh"}, format="json")
    reader = api_as(reviewer)
    assert reader.get("/api/provisions/S-77/").status_code == 404
    assert reader.get("/api/provisions/?q=xyzzy").json()["count"] == 0
    assert reader.get("/api/provisions/?q=plugh").json()["count"] == 0
    assert api_as(overseer).get("/api/provisions/?q=xyzzy").json()["count"] == 1


def test_it_compares_the_first_revision_with_nothing(api_as, reviewer, framework):
    diff = api_as(reviewer).get("/api/revisions/1/diff/").json()
    assert diff["from_revision"] is None
    assert {c["change"] for c in diff["changes"]} == {"added"}


def test_it_refuses_a_draft_as_the_revision_to_compare_with(api_as, admin_user, reviewer, framework):
    api_as(admin_user).post("/api/revisions/", {}, format="json")
    assert api_as(reviewer).get("/api/revisions/2/diff/?from=3").status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=reviewer).exists()


def test_it_answers_409_to_an_empty_patch_of_a_published_revision(api_as, admin_user, framework):
    assert api_as(admin_user).patch("/api/revisions/2/", {}, format="json").status_code == 409

"""Bad input gets a clear 4xx in JSON and changes nothing: never a 500 or a stack trace."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from principles.models import Revision


@pytest.fixture
def admin_api(api_as, admin_user, framework):
    return api_as(admin_user)


def test_it_refuses_malformed_json(admin_api):
    response = admin_api.generic("POST", "/api/revisions/", "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]


def test_it_refuses_other_content_types(admin_api):
    response = admin_api.generic(
        "POST", "/api/revisions/", "change_summary=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_it_refuses_oversized_bodies_without_reading_them(admin_api):
    before = Revision.objects.count()
    response = admin_api.post("/api/revisions/", {"change_summary": "x" * 3_000_000}, format="json")
    assert response.status_code == 413 and response.json() == {"detail": "The request body is too large."}
    assert Revision.objects.count() == before


def test_it_refuses_nul_bytes_field_by_field(admin_api):
    response = admin_api.post("/api/revisions/", {"change_summary": "before\x00after"}, format="json")
    assert response.status_code == 400 and "change_summary" in response.json()
    assert not Revision.objects.filter(number=3).exists()


def test_it_refuses_wrong_types_field_by_field(admin_api):
    admin_api.post("/api/revisions/", {}, format="json")
    response = admin_api.put("/api/revisions/3/provisions/RL-2/", {"title": ["a"], "body": {"b": 1}}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"title", "body"}
    date = admin_api.post("/api/revisions/3/publish/", {"effective_date": "next tuesday"}, format="json")
    assert date.status_code == 400 and "effective_date" in date.json()


def test_it_answers_unknown_api_paths_in_json(admin_api):
    response = admin_api.get("/api/nothing-here/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_it_leaves_no_partial_record_when_a_publish_fails(admin_api):
    admin_api.post("/api/revisions/", {"change_summary": ""}, format="json")
    admin_api.put("/api/revisions/3/provisions/RL-2/", {"title": "T", "body": "B"}, format="json")
    audit_before = AuditEvent.objects.count()
    response = admin_api.post("/api/revisions/3/publish/", {}, format="json")
    assert response.status_code == 400 and "change_summary" in response.json()
    assert Revision.objects.in_force().number == 2
    assert Revision.objects.get(number=2).state == "published"
    assert AuditEvent.objects.count() == audit_before


def test_it_handles_odd_input_on_pages(admin_user, framework):
    client = Client()
    client.force_login(admin_user)
    assert client.get("/framework/?as_of=%00").status_code == 200
    assert client.get("/framework/?as_of=99999-01-01").status_code == 200
    assert client.get("/framework/revisions/2/diff/?from=%00").status_code == 404
    assert client.post("/framework/revisions/new/", {"change_summary": "a\x00b"}).status_code == 200
    assert not Revision.objects.filter(number=3).exists()
    assert client.get("/audit/?since=not-a-date").status_code == 200


def test_it_takes_any_iso_offset_in_date_filters(api_as, overseer):
    client = api_as(overseer)
    assert client.get("/api/audit/?since=0411-01-13T21:18:38-19:11").status_code == 200
    out_of_range = client.get("/api/audit/?since=0001-01-01T00:00:00%2B05:00")
    assert out_of_range.status_code == 400 and "since" in out_of_range.json()


def test_it_logs_a_denied_path_with_a_nul_byte(reviewer):
    client = Client()
    client.force_login(reviewer)
    assert client.get("/admin/%00").status_code in (403, 404)
    denial = AuditEvent.objects.get(action="access.denied", actor=reviewer)
    assert "\\x00" in denial.after["path"]


def test_it_nests_a_list_items_errors_under_its_field_as_the_schema_says(reviewer, framework, api_as):
    draft = {"title": "Harbour cameras", "proposed_use": "Count ships.", "tags": [{"code": "P-1"}, {"code": "\x1c"}]}
    response = api_as(reviewer).post("/api/similar/", draft, format="json")
    assert response.status_code == 400
    assert response.json()["tags"]["1"]["code"] == ["This field may not be blank."]
    assert "stance" in response.json()["tags"]["0"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/cases/{x}/",
        "/api/cases/{x}/decision/",
        "/api/cases/{x}/assignments/",
        "/api/cases/{x}/similar/",
        "/api/cases/{x}/graph/",
        "/api/partners/{x}/",
        "/api/partners/{x}/reassessments/",
        "/api/conditions/{x}/",
        "/api/saved-searches/{x}/",
        "/api/notifications/{x}/",
        "/api/impact/{x}/",
        "/api/audit/{x}/",
        "/api/revisions/{x}/",
    ],
)
@pytest.mark.parametrize("x", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_it_answers_404_in_json_to_an_id_that_is_no_id(admin_api, path, x):
    response = admin_api.get(path.format(x=x))
    assert response.status_code == 404 and set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"a":' * 2000 + "1" + "}" * 2000, "nested more than 20 levels deep"),
        ("[" * 25 + "]" * 25, "nested more than 20 levels deep"),
        ('{"change_summary": "x", "n": 1e400}', "a number is too large"),
        ('{"change_summary": NaN}', "JSON parse error"),
    ],
)
def test_it_refuses_json_no_view_could_take(admin_api, body, reason):
    response = admin_api.generic("POST", "/api/revisions/", body, content_type="application/json")
    assert response.status_code == 400 and reason in response.json()["detail"]
    assert not Revision.objects.filter(number=3).exists()


@pytest.mark.parametrize("page", ["99999999999999999999", "0", "-3", "two"])
def test_it_answers_a_page_out_of_range_with_a_4xx(admin_api, page):
    for path in ("/api/cases/", "/api/search/", "/api/audit/"):
        assert admin_api.get(path, {"page": page}).status_code in (400, 404)


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"titel": "Typo"}, "titel", "There is no such field here."),
        ({"docket": "NS-1999-0001"}, "docket", "This field is read-only."),
        ({"status": "decided"}, "status", "This field is read-only."),
        ({"title": 123}, "title", "Give text here, in quotes."),
        ({"partner": 1.5}, "partner", "Give the record's id: a whole number."),
        ({"partner": True}, "partner", "Give the record's id: a whole number."),
    ],
)
def test_it_refuses_fields_it_would_have_dropped_or_coerced(reviewer, framework, api_as, change, field, says):
    from casebook.models import Case
    from casebook.services import case_file
    from tests.factories import PartnerFactory, case_facts

    case = case_file(by=reviewer, facts=case_facts(PartnerFactory()))
    response = api_as(reviewer).patch(f"/api/cases/{case.pk}/", {"title": "Changed", **change}, format="json")
    assert response.status_code == 400 and response.json() == {field: [says]}
    assert Case.objects.get(pk=case.pk).title != "Changed"


def test_it_refuses_an_unknown_field_nested_in_a_list(admin_api):
    response = admin_api.post(
        "/api/similar/", {"title": "Port cameras", "tags": [{"code": "RL-2", "colour": "red"}]}, format="json"
    )
    assert response.status_code == 400 and "colour" in str(response.json())

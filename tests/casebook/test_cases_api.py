"""Filing and submitting through the API with tokens, and what bad input gets."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from casebook.models import Case, Partner
from tests.factories import PartnerFactory


@pytest.fixture
def partner(db):
    return PartnerFactory(name="National laboratory", kind="research_institution")


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


def body(the_partner, **overrides):
    return {
        "title": "Protein-structure literature review",
        "partner": the_partner.pk,
        "mission_area": "scientific_research",
        "proposed_use": "Scientists ask for summaries of published bioscience literature.",
        "architecture": "cloud_only",
        "data_involved": ["open_source"],
        "human_judgment": "human_decides_each",
        "force_proximity": "none",
        "safeguards": ["S-2", "S-3"],
        **overrides,
    }


def test_it_files_edits_and_submits_a_case_with_a_token(reviewer, partner, framework):
    client = token_client(reviewer)
    created = client.post("/api/cases/", body(partner), format="json")
    assert created.status_code == 201, created.json()
    case = created.json()
    assert (case["status"], case["docket"], case["filed_by"]) == ("draft", None, "reviewer")
    patched = client.patch(f"/api/cases/{case['id']}/", {"data_involved": ["open_source", "health"]}, format="json")
    assert patched.json()["data_involved"] == ["health", "open_source"]
    submitted = client.post(f"/api/cases/{case['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["docket"].startswith("NS-")
    assert client.post(f"/api/cases/{case['id']}/submit/").status_code == 409


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"title": ""}, {"title"}),
        ({"architecture": "submarine"}, {"architecture"}),
        ({"data_involved": ["gossip"]}, {"data_involved"}),
        ({"safeguards": ["RL-1"]}, {"safeguards"}),
        ({"partner": 99999}, {"partner"}),
        ({"partner": "one"}, {"partner"}),
        ({"title": "a\x00b"}, {"title"}),
        ({"proposed_use": "x" * 1_000_000}, {"proposed_use"}),
        ({"restricted": "perhaps"}, {"restricted"}),
        ({"mission_area": None, "human_judgment": 3}, {"mission_area", "human_judgment"}),
    ],
)
def test_it_refuses_bad_input_field_by_field_and_keeps_nothing(reviewer, partner, framework, overrides, fields):
    response = token_client(reviewer).post("/api/cases/", body(partner, **overrides), format="json")
    assert response.status_code == 400
    assert fields <= set(response.json())
    assert not Case.objects.exists()


def test_it_refuses_someone_elses_restricted_case_id_as_if_it_did_not_exist(reviewer, decider, partner, framework):
    client = token_client(reviewer)
    case = client.post("/api/cases/", body(partner, restricted=True), format="json").json()
    assert token_client(decider).get(f"/api/cases/{case['id']}/").status_code == 404
    assert token_client(decider).post(f"/api/cases/{case['id']}/submit/").status_code == 403


def test_it_lets_admins_manage_partners(admin_user, reviewer, framework):
    admin = token_client(admin_user)
    created = admin.post(
        "/api/partners/",
        {"name": "Ministry of Defence", "kind": "foreign_government", "country": "United Kingdom"},
        format="json",
    )
    assert created.status_code == 201
    assert (
        admin.patch(
            f"/api/partners/{created.json()['id']}/", {"eligibility_notes": "Five Eyes."}, format="json"
        ).status_code
        == 200
    )
    assert (
        token_client(reviewer)
        .post("/api/partners/", {"name": "X", "kind": "military", "country": "Y"}, format="json")
        .status_code
        == 403
    )
    assert token_client(reviewer).get("/api/partners/").json()["count"] == 1
    assert Partner.objects.get().eligibility_notes == "Five Eyes."
    duplicate = admin.post(
        "/api/partners/", {"name": "Ministry of Defence", "kind": "military", "country": "UK"}, format="json"
    )
    assert duplicate.status_code == 400 and "name" in duplicate.json()

"""Casebook's own error pages, with DEBUG on (as `make run` serves) and off: never Django's
technical pages for what an ordinary visitor can reach, and never the list of URL patterns."""

import pytest
from django.test import Client, RequestFactory

from casebook.views import server_error

both_modes = pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@both_modes
def test_it_answers_an_unknown_address_with_its_own_404_page(settings, reviewer, debug):
    settings.DEBUG = debug
    response = signed_in(reviewer).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "There is nothing here, or you do not have access to it." in page
    assert 'aria-label="Primary navigation"' in page
    assert "URLconf" not in page and "cases/&lt;int:pk&gt;" not in page


@both_modes
def test_it_answers_a_case_it_cannot_find_with_the_same_page(settings, reviewer, debug):
    settings.DEBUG = debug
    response = signed_in(reviewer).get("/cases/99999/")
    assert response.status_code == 404
    assert "There is nothing here, or you do not have access to it." in response.content.decode()
    assert "Raised by" not in response.content.decode()


def test_it_still_adds_a_missing_slash_and_answers_the_api_in_json_with_debug_on(settings, reviewer):
    settings.DEBUG = True
    client = signed_in(reviewer)
    assert client.get("/cases")["Location"] == "/cases/"
    missing = client.get("/api/nothing-here/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}


@both_modes
def test_it_answers_a_page_outside_ones_role_with_its_own_403_page(settings, reviewer, debug):
    settings.DEBUG = debug
    response = signed_in(reviewer).get("/audit/")
    assert response.status_code == 403
    assert "You do not have access to this page." in response.content.decode()


@both_modes
def test_it_answers_an_expired_form_with_its_own_403_page(settings, reviewer, debug):
    settings.DEBUG = debug
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "reviewer", "password": "x"})
    assert response.status_code == 403
    assert "That form has expired." in response.content.decode()


@both_modes
def test_it_answers_a_step_the_record_forbids_with_its_own_409_page(settings, admin_user, framework, debug):
    settings.DEBUG = debug
    response = signed_in(admin_user).post("/framework/revisions/2/discard/")
    page = response.content.decode()
    assert response.status_code == 409
    assert "That cannot be done now" in page and "Revision 2 is published" in page
    assert 'href="/"' in page


def test_it_answers_a_bad_request_with_its_own_400_page(db):
    response = Client(HTTP_HOST="elsewhere.example").get("/accounts/login/")
    assert response.status_code == 400
    assert "That request could not be understood." in response.content.decode()


def test_it_answers_a_failure_with_its_own_500_page(reviewer, monkeypatch):
    def bug(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("casebook.views.CaseFilterSet", bug)
    client = Client(raise_request_exception=False)
    client.force_login(reviewer)
    response = client.get("/cases/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_500_page_asks_nothing_of_the_database(reviewer, django_assert_num_queries):
    # The database may be what failed, and the signed-in header would query it.
    request = RequestFactory().get("/")
    request.user = reviewer
    with django_assert_num_queries(0):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and "uswds.min.css" in page

"""Stale writers are refused on every record that can be edited, by the API (If-Match, 412)
and by every edit form (the copy it was sent with), and writers racing on one version of a
record on PostgreSQL: one wins, the rest are refused, and nothing they wrote is lost."""

import threading

import pytest
from django.db import connections
from django.test import Client
from rest_framework.test import APIClient

from casebook.models import Case
from casebook.services import case_file, case_set_tags, case_update, partner_save
from principles import services as framework_services
from reviews.services import case_submit, condition_update
from tests.casebook.test_stale_writes import form_data
from tests.factories import PartnerFactory, case_facts
from tests.notifications.test_notifications import decide
from tests.resilience.figures import add

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]


@pytest.fixture
def records(reviewer, decider, admin_user, framework):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)
    condition = decide(reviewer, decider).conditions.first()
    draft = framework_services.revision_draft(by=admin_user, change_summary="Sharpen RL-2.")
    framework_services.revision_set_text(revision=draft, code="RL-2", title="High-stakes", body="Old.", by=admin_user)
    return {"case": case, "condition": condition, "draft": draft}


def signed_in(user, api=False):
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


def test_every_stale_api_write_is_refused(records, reviewer, decider, admin_user):
    case, condition, draft = records["case"], records["condition"], records["draft"]
    writes = [  # (who, path, method, the write made meanwhile, the stale one)
        (reviewer, f"/api/cases/{case.pk}/", "patch", {"title": "Theirs"}, {"title": "Mine"}),
        (reviewer, f"/api/cases/{case.pk}/tags/", "put", [{"code": "RL-2", "stance": "crossed"}], []),
        (admin_user, f"/api/partners/{case.partner_id}/", "patch", {"country": "X"}, {"country": "Y"}),
        (
            decider,
            f"/api/conditions/{condition.pk}/",
            "patch",
            {"status": "met", "evidence": "Done."},
            {"status": "open"},
        ),
        (admin_user, f"/api/revisions/{draft.number}/", "patch", {"change_summary": "A"}, {"change_summary": "B"}),
    ]
    for user, path, method, theirs, mine in writes:
        api = signed_in(user, api=True)
        etag = api.get(path)["ETag"]
        assert getattr(api, method)(path, theirs, format="json", HTTP_IF_MATCH=etag).status_code == 200, path
        add("stale writes tried")
        stale = getattr(api, method)(path, mine, format="json", HTTP_IF_MATCH=etag)
        add("stale writes refused", int(stale.status_code == 412))
        assert stale.status_code == 412, path
    # A provision's wording carries its own version.
    api = signed_in(admin_user, api=True)
    path = f"/api/revisions/{draft.number}/provisions/RL-2/"
    [text] = [t for t in api.get(f"/api/revisions/{draft.number}/").json()["texts"] if t["code"] == "RL-2"]
    assert (
        api.put(path, {"title": "T", "body": "Theirs."}, format="json", HTTP_IF_MATCH=text["version"]).status_code
        == 200
    )
    add("stale writes tried")
    stale = api.put(path, {"title": "T", "body": "Mine."}, format="json", HTTP_IF_MATCH=text["version"])
    add("stale writes refused", int(stale.status_code == 412))
    assert stale.status_code == 412


def test_every_stale_edit_form_is_refused(records, reviewer, decider, admin_user, lawyer):
    case, condition, draft = records["case"], records["condition"], records["draft"]
    number = draft.number
    forms = [  # (who, page, the change made meanwhile, a field the editor changes)
        (
            reviewer,
            f"/cases/{case.pk}/edit/",
            lambda: case_update(case=case, by=reviewer, facts={"restricted": True, "access_list": [lawyer]}),
            ("title", "Mine"),
        ),
        (
            reviewer,
            f"/cases/{case.pk}/tags/",
            lambda: case_set_tags(case=case, by=reviewer, tags=[{"code": "RL-2", "stance": "crossed"}]),
            ("stance_RL-2", "not_implicated"),
        ),
        (
            admin_user,
            f"/partners/{case.partner_id}/edit/",
            lambda: partner_save(partner=case.partner, facts={"country": "Z"}, by=admin_user),
            ("country", "Mine"),
        ),
        (
            decider,
            f"/conditions/{condition.pk}/",
            lambda: condition_update(condition=condition, by=decider, status="met", evidence="Theirs."),
            ("evidence", "Mine."),
        ),
        (
            admin_user,
            f"/framework/revisions/{number}/edit/",
            lambda: framework_services.revision_update(revision=draft, by=admin_user, change_summary="Theirs."),
            ("change_summary", "Mine."),
        ),
        (
            admin_user,
            f"/framework/revisions/{number}/provisions/RL-2/",
            lambda: framework_services.revision_set_text(
                revision=draft, code="RL-2", title="High-stakes", body="Theirs.", by=admin_user
            ),
            ("body", "Mine."),
        ),
        (
            admin_user,
            f"/framework/revisions/{number}/publish/",
            lambda: framework_services.revision_set_text(
                revision=draft, code="RL-2", title="High-stakes", body="Later.", by=admin_user
            ),
            ("confirm", "yes"),
        ),
    ]
    for user, page, meanwhile, (field, value) in forms:
        client = signed_in(user)
        stale = form_data(client.get(page).context["form"])
        meanwhile()
        if value:
            stale[field] = value
        add("stale writes tried")
        response = client.post(page, stale)
        refused = (
            response.status_code == 200
            and "Someone" in response.content.decode()
            and "changed this" in response.content.decode()
        )
        add("stale writes refused", int(refused))
        assert refused, page
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.restricted and list(fresh.access_list.all()) == [lawyer]  # never undone by a stale form


def test_writers_racing_on_one_version_one_wins(transactional_db, reviewer, framework):
    case = case_submit(case=case_file(by=reviewer, facts=case_facts(PartnerFactory())), by=reviewer)
    etag = signed_in(reviewer, api=True).get(f"/api/cases/{case.pk}/")["ETag"]
    writers = 8
    barrier, codes = threading.Barrier(writers), []

    def write(n):
        try:
            api = signed_in(reviewer, api=True)
            barrier.wait()
            codes.append(
                api.patch(
                    f"/api/cases/{case.pk}/", {"title": f"Title {n}"}, format="json", HTTP_IF_MATCH=etag
                ).status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    add("concurrent writers", writers)
    add("concurrent writers refused as stale", codes.count(412))
    assert sorted(codes) == [200] + [412] * (writers - 1)
    assert Case.objects.get(pk=case.pk).title.startswith("Title ")

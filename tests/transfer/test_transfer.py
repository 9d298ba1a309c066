"""export_casebook and import_casebook: a whole casebook round-trips, a merge adds only what
is missing, and a bad file is refused with its reason and writes nothing."""

import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from audit import log as audit
from audit.models import AuditEvent
from casebook.models import Case, Decision, User
from casebook.services import case_file, case_set_tags
from principles.loader import load_framework
from reviews.models import PrecedentCheck
from reviews.services import case_submit, condition_update, decision_issue
from tests.conftest import PASSWORD
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review
from transfer.services import ImportRefused, casebook_is_empty, export_casebook, import_casebook


def issue(case, by, outcome="approved_with_conditions", **extra):
    return decision_issue(
        case=in_review(case),
        by=by,
        outcome=outcome,
        holding="Summaries of public reports cross no red line.",
        rationale="Public data; a person acts on every summary.",
        conditions=[{"text": "Keep logs for a year.", "owner": "Agency CISO", "due_date": "2027-01-31"}],
        **extra,
    )


def build_casebook(reviewer, decider, cleared):
    """A little of everything: a restricted case, tags, a reconsidered decision with a
    condition met, a citation, a draft, and the audit log all of that writes."""
    partner = PartnerFactory(name="Defense research agency", kind="military")
    open_case = case_submit(case=case_file(by=reviewer, facts=case_facts(partner, title="Open")), by=reviewer)
    advances = {"code": "P-1", "stance": "advances"}
    case_set_tags(
        case=open_case, by=reviewer, tags=[{"code": "RL-1", "stance": "not_implicated", "note": "No."}, advances]
    )
    first = issue(open_case, decider)
    condition_update(condition=first.conditions.get(), by=decider, status="met", evidence="Logs reviewed.")
    secret_facts = case_facts(partner, title="Secret", restricted=True, access_list=[cleared, decider])
    secret = case_submit(case=case_file(by=reviewer, facts=secret_facts), by=reviewer)
    case_set_tags(case=secret, by=reviewer, tags=[advances])
    cite = {"decision": first.pk, "provision": "RL-1", "treatment": "follows", "reason": "Same data."}
    approved = issue(secret, decider, citations=[cite])
    # The precedent check asks about the secret approval, which went the other way.
    issue(open_case, decider, outcome="suspended", answers={approved.pk: "Its logs reach an oversight officer."})
    case_file(by=reviewer, facts=case_facts(partner, title="Still a draft"))


def without_import_entry(data: dict) -> dict:
    """An export less what differs by nature after an import: when it was made, and the
    audit entry (and head) that records the import itself."""
    data = copy.deepcopy(data)
    data.pop("exported_at")
    data["tables"]["audit_events"] = [e for e in data["tables"]["audit_events"] if e["action"] != "casebook.imported"]
    data["tables"].pop("audit_head")
    return data


def empty_the_database():
    if connection.vendor == "postgresql":
        # Inside the test's transaction, PostgreSQL truncates only once deferred checks ran.
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert casebook_is_empty()


@pytest.fixture
def exported(reviewer, decider, framework):
    cleared = UserFactory(username="cleared", roles=["legal"])
    build_casebook(reviewer, decider, cleared)
    return export_casebook()


def test_it_round_trips_a_casebook_into_an_empty_database(exported):
    empty_the_database()
    added = import_casebook(json.loads(json.dumps(exported)), source="backup.json")
    assert added["cases"] == 3 and added["decisions"] == 3 and added["citations"] == 1
    assert without_import_entry(export_casebook()) == without_import_entry(exported)
    assert audit.verify(anchored=False)[1] is None  # a test's entries never commit
    assert AuditEvent.objects.last().action == "casebook.imported"
    # The restored casebook works as the old one did: passwords, roles, need-to-know.
    decider = User.objects.get(username="decider")
    assert decider.check_password(PASSWORD) and decider.has_role("decision-maker")
    secret = Case.objects.get(title="Secret")
    lawyer = Client()
    lawyer.force_login(UserFactory(username="uncleared", roles=["legal"]))
    assert lawyer.get(f"/cases/{secret.pk}/").status_code == 404
    cleared = Client()
    cleared.force_login(User.objects.get(username="cleared"))
    assert cleared.get(f"/cases/{secret.pk}/").status_code == 200
    # New records carry on from the imported ids.
    assert UserFactory(username="newcomer").pk > max(u["id"] for u in exported["tables"]["users"])


def test_it_refuses_a_non_empty_database_unless_merging(exported):
    with pytest.raises(ImportRefused, match="already holds a casebook"):
        import_casebook(exported)
    # Merging a casebook into itself finds everything there already.
    before = AuditEvent.objects.count()
    added = import_casebook(exported, merge=True)
    assert sum(added.values()) == 0
    assert AuditEvent.objects.count() == before + 1  # the merge itself is on the record


def test_it_merges_another_casebook_in(exported):
    empty_the_database()
    load_framework()
    here = UserFactory(username="here", roles=["reviewer"])
    local = case_file(by=here, facts=case_facts(PartnerFactory(name="Aid agency"), title="Local draft"))
    added = import_casebook(exported, merge=True, source="other.json")
    assert added["cases"] == 3 and added["revisions"] == 0 and added["provisions"] == 0
    assert set(Case.objects.values_list("title", flat=True)) == {local.title, "Open", "Secret", "Still a draft"}
    assert Decision.objects.get(case__title="Open", superseded_by__isnull=True).outcome == "suspended"
    assert audit.verify(anchored=False)[1] is None  # a test's entries never commit
    # The precedent check kept with the suspension names the decision it asked about by its id here.
    kept = PrecedentCheck.objects.get(decision__case__title="Open", decision__outcome="suspended")
    approval = Decision.objects.get(case__title="Secret")
    assert [item["decision"] for item in kept.shown["contrary"]] == [approval.pk]
    assert kept.answers == {str(approval.pk): "Its logs reach an oversight officer."}
    # The merged log names the records by their ids here.
    merged = AuditEvent.objects.filter(action="case.submitted", object_repr__contains="Secret").get()
    assert merged.object_id == str(Case.objects.get(title="Secret").pk)
    # Docket numbers issued in the other casebook are never issued here again.
    assert case_submit(case=local, by=here).docket.endswith("-0003")


def test_it_refuses_to_merge_casebooks_that_numbered_their_dockets_independently(exported):
    empty_the_database()
    load_framework()
    here = UserFactory(username="here", roles=["reviewer"])
    case_submit(case=case_file(by=here, facts=case_facts(PartnerFactory(name="Aid agency"))), by=here)
    with pytest.raises(ImportRefused, match="Docket NS-\\d+-0001 is a different case here"):
        import_casebook(exported, merge=True)
    assert Case.objects.count() == 1


def mutate(path, value):
    def apply(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return apply


def first_case(field, value):
    return mutate(["tables", "cases", 0, field], value)


BAD_FILES = [
    (mutate(["format"], "zip"), "not a Casebook export"),
    (mutate(["version"], 99), "version 99"),
    (mutate(["tables"], []), "no 'tables' object"),
    (mutate(["tables", "secrets"], []), "Unknown tables: secrets"),
    (mutate(["tables", "cases"], {}), "cases: expected a list"),
    (first_case("title", KeyError), "cases[0]: missing title"),
    (first_case("colour", "red"), "cases[0]: unknown colour"),
    (first_case("mission_area", "conquest"), "mission_area: Value 'conquest' is not a valid choice"),
    (first_case("submitted_at", "last week"), "submitted_at:"),
    (first_case("partner_id", 9999), "refers to partners id 9999"),
    (first_case("access_list", [9999]), "access_list refers to ids not earlier in the file"),
    (first_case("title", "Nul\x00byte"), "title: contains a NUL character"),
    (first_case("proposed_use", "x" * 1_000_000), "proposed_use: is 1,000,000 characters; at most 20,000"),
    (mutate(["tables", "users", 0, "roles"], ["emperor"]), "roles must be a list of"),
    (mutate(["tables", "audit_events", 3, "action"], "forged"), "does not verify under this installation"),
]


@pytest.mark.parametrize(("damage", "reason"), BAD_FILES, ids=[reason for _, reason in BAD_FILES])
def test_it_refuses_a_bad_file_and_writes_nothing(exported, damage, reason):
    data = copy.deepcopy(exported)
    damage(data)
    empty_the_database()
    with pytest.raises(ImportRefused, match=reason.replace("(", r"\(").replace("[", r"\[")):
        import_casebook(data)
    assert casebook_is_empty()


def test_the_commands_write_and_read_a_file(exported, tmp_path, capsys):
    path = tmp_path / "casebook.json"
    call_command("export_casebook", str(path))
    empty_the_database()
    call_command("import_casebook", str(path))
    assert "Imported" in capsys.readouterr().out and Case.objects.count() == 3
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "casebook", ')
    with pytest.raises(CommandError, match="is not valid JSON"):
        call_command("import_casebook", str(broken))
    with pytest.raises(CommandError, match="already holds a casebook.*Nothing was written"):
        call_command("import_casebook", str(path))


def test_it_exports_every_model_of_the_casebook():
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    from transfer.services import DERIVED, IN_FLIGHT, TABLES

    ours = {
        model
        for app in apps.get_app_configs()
        if Path(app.path).parent == settings.BASE_DIR  # the project's own apps
        for model in app.get_models()
    }
    assert ours == {table.model for table in TABLES} | set(DERIVED) | set(IN_FLIGHT)

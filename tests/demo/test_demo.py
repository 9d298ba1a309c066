"""The demo casebook that `make run` loads: about thirty decided cases that exercise every
outcome, red line and treatment, loaded through the same services as real work."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from audit import log as audit
from casebook.choices import Outcome, Treatment
from casebook.models import Case, Citation, Condition, Decision, Tag, User
from transfer.services import export_casebook


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


def live_outcomes():
    return Decision.objects.filter(superseded_by__isnull=True)


def test_it_loads_about_thirty_decided_cases(demo):
    assert 28 <= Case.objects.count() <= 32
    # One engagement waits for its new decision in the demo's open partner reassessment.
    assert set(Case.objects.values_list("status", flat=True)) == {"decided", "reopened"}
    assert set(Decision.objects.values_list("outcome", flat=True)) == set(Outcome.values)
    assert set(Citation.objects.values_list("treatment", flat=True)) == set(Treatment.values)
    assert Case.objects.filter(restricted=True).count() >= 4
    reconsidered = Case.objects.annotate(n=Count("decisions")).filter(n__gt=1)
    assert reconsidered.count() >= 4
    assert set(Condition.objects.values_list("status", flat=True)) == {"open", "met", "waived"}
    assert audit.verify(anchored=False)[1] is None  # a test's entries never commit


def test_it_declines_or_ends_every_case_that_crosses_a_red_line(demo):
    crossed = Tag.objects.filter(stance="crossed")
    assert set(crossed.values_list("provision__code", flat=True)) == {"RL-1", "RL-2", "RL-3", "RL-4"}
    for case in Case.objects.filter(tags__in=crossed).distinct():
        assert live_outcomes().get(case=case).outcome in {"declined", "terminated"}, case


def test_it_names_the_engagements_of_the_source_documents(demo):
    partners = " ".join(Case.objects.values_list("partner__name", flat=True))
    for name in ("DARPA", "USAID", "Los Alamos", "Department of War", "NSA"):
        assert name in partners
    nsa = Case.objects.get(partner__name__contains="NSA")
    assert nsa.tags.filter(provision__code="F-10").exists()
    assert live_outcomes().get(case=nsa).outcome in {"deferred", "declined"}


def test_it_keeps_decisions_under_the_first_revision_with_their_wording(demo):
    early = Decision.objects.filter(revision__number=1)
    assert early.exists()
    pinned = Tag.objects.filter(case__decisions__in=early, provision__code="RL-1", provision_text__revision__number=1)
    assert pinned.exists()
    reader = Client()
    reader.force_login(User.objects.get(username="legal"))
    page = reader.get(f"/cases/{pinned.first().case_id}/").content.decode()
    assert "revised since" in page


def test_it_cites_only_what_came_before(demo):
    for citation in Citation.objects.select_related("citing", "cited"):
        assert citation.cited.issued_at < citation.citing.issued_at, citation


def test_it_loads_once(demo):
    before = export_casebook()["tables"]
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert export_casebook()["tables"] == before


def test_it_round_trips_through_export_and_import(demo):
    from tests.transfer.test_transfer import empty_the_database, without_import_entry
    from transfer.services import import_casebook

    exported = export_casebook()
    empty_the_database()
    import_casebook(exported)
    assert without_import_entry(export_casebook()) == without_import_entry(exported)
    assert audit.verify(anchored=False)[1] is None  # a test's entries never commit


def test_it_has_a_discussion_and_a_partner_reassessment_half_way_through(demo):
    from reviews.models import Comment, Reassessment

    reassessment = Reassessment.objects.get()
    results = {case.title.split(": ")[1]: decision for case, decision in reassessment.results(Case.objects.all())}
    assert results["social media review of threats against public officials"].outcome == "suspended"
    assert results["drafting incident reports from body-worn camera audio"] is None
    assert reassessment.is_open_for(Case.objects.all())
    assert [sorted(c.mentions.values_list("username", flat=True)) for c in Comment.objects.all()] == [
        ["decider"],
        ["legal"],
    ]

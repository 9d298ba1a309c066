"""The similarity arrays the indexer writes beside the engine's index: a process opens them
without reading the records, they follow every change through the change feed (committed
in any order), grow in place, follow a framework revision, and check_index compares them
with the records."""

import io
import shutil
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casebook.choices import MissionArea
from casebook.models import Case
from casebook.services import case_file, case_update
from precedent import search
from precedent.models import SearchEntry
from precedent.search import CaseFacts, arrays, engine, features, feed, similar
from principles.models import Provision
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, case_facts, in_review


@pytest.fixture
def decided(reviewer, decider, framework):
    def decide(title, **facts):
        case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title, **facts))
        case = case_submit(case=case, by=reviewer)
        return decision_issue(case=in_review(case), by=decider, outcome="approved", holding=f"{title}.", rationale=".")

    return decide


def row(case_id):
    feed.sync()  # as similar decisions does before it reads them
    index = arrays.current()
    return index, index.row_of[case_id]


def test_a_new_process_answers_from_the_files_without_reading_the_records(decided, lawyer):
    harbour = decided("Harbour cameras")
    decided("Harbour cranes")
    draft = CaseFacts(title="Harbour cameras at night")
    before = [r.decision for r in similar(user=lawyer, draft=draft).results]
    arrays.reset()  # as a worker just started
    engine.forget()
    with CaptureQueriesContext(connection) as queries:
        index = arrays.current()
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "casebook_case" not in read and "casebook_tag" not in read and "caseembedding" not in read
    assert index.rows == 2 and harbour.case_id in index.row_of
    assert [r.decision for r in similar(user=lawyer, draft=draft).results] == before


def test_a_change_reaches_the_rows_through_the_feed(reviewer, decider, framework):
    facts = case_facts(PartnerFactory(), title="Harbour cameras", mission_area=MissionArea.LOGISTICS)
    case = case_submit(case=case_file(by=reviewer, facts=facts), by=reviewer)
    index, at = row(case.pk)
    assert index.facts[at, 0] == features.code_of("mission_area", MissionArea.LOGISTICS)
    assert index.open_to_all[at] and index.entry_ids[at] == 0
    case_update(case=case, by=reviewer, facts={"restricted": True})
    index, at = row(case.pk)
    assert not index.open_to_all[at]
    decision = decision_issue(case=in_review(case), by=decider, outcome="approved", holding="Yes.", rationale=".")
    index, at = row(case.pk)
    assert index.entry_ids[at] == SearchEntry.objects.get(decision=decision).pk
    draft = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Harbour cranes"))
    row(draft.pk)
    Case.objects.filter(pk=draft.pk).delete()
    feed.record([draft.pk])  # as forget_case does
    index, at = row(draft.pk)
    assert index.entry_ids[at] == 0 and not index.open_to_all[at] and not index.facts[at].any()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rows_committed_out_of_order_all_reach_the_arrays(decided, lawyer, monkeypatch):
    # Only the next read syncs, so that nothing but the feed carries the changes.
    monkeypatch.setattr(feed, "quietly_sync", lambda: None)
    alpha, bravo = decided("Alpha cameras").case, decided("Bravo cameras").case
    feed.sync()
    arrays.current()
    writing, release = threading.Event(), threading.Event()

    def move(case, area):
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(mission_area=area)
            feed.record([case.pk])

    def slow_writer():  # given the lower change id, it commits last
        with transaction.atomic():
            move(alpha, MissionArea.TARGETING)
            writing.set()
            assert release.wait(10)
        connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert writing.wait(10)
    move(bravo, MissionArea.TARGETING)
    search.search(user=lawyer, text="")  # applies bravo's change
    release.set()
    writer.join()
    search.search(user=lawyer, text="")  # and alpha's, committed after a higher id
    targeting = features.code_of("mission_area", MissionArea.TARGETING)
    for case in (alpha, bravo):
        index, at = row(case.pk)
        assert index.facts[at, 0] == targeting, case


def test_the_columns_grow_and_a_reader_moves_over(decided, lawyer, monkeypatch):
    monkeypatch.setattr(arrays, "FIRST_CAPACITY", 2)
    first = decided("Harbour cameras")
    feed.sync()
    opened = arrays.current()
    assert len(opened.files["case_ids"]) == 2
    later = [decided(f"Harbour cranes {n}") for n in range(4)]
    feed.sync()
    index = arrays.current()
    assert index is not opened and index.rows == 5 and len(index.files["case_ids"]) >= 5
    assert opened.case_ids[: opened.rows].tolist() == [first.case_id]  # still readable, though replaced
    assert [d.case_id for d in later] == index.case_ids[1:].tolist()
    assert len([p for p in (index.path).iterdir() if p.is_dir()]) == 1
    assert {r.decision for r in similar(user=lawyer, draft=CaseFacts(title="Harbour cranes")).results} >= set(later)


def test_a_revision_with_a_new_provision_has_the_columns_written_afresh_by_the_next_sync(decided):
    decided("Harbour cameras")
    feed.sync()
    assert ("RL-99", "crossed") not in arrays.current().stances
    Provision.objects.create(code="RL-99", kind="red_line")
    assert ("RL-99", "crossed") not in arrays.current().stances  # a reader never writes
    decided("Harbour cranes")  # the next change written: the columns afresh
    feed.sync()
    index = arrays.current()
    assert ("RL-99", "crossed") in index.stances and index.rows == 2


def test_check_index_names_a_case_whose_rows_are_out_of_date(decided):
    decision = decided("Harbour cameras")
    call_command("check_index", stdout=io.StringIO())
    Case.objects.filter(pk=decision.case_id).update(mission_area=MissionArea.TARGETING)  # behind the feed's back
    out = io.StringIO()
    with pytest.raises(CommandError, match="rebuild_index"):
        call_command("check_index", stdout=out)
    assert f"1 cases whose similarity rows are out of date: {decision.case_id}" in out.getvalue()
    call_command("rebuild_index", stdout=io.StringIO())
    call_command("check_index", stdout=io.StringIO())


def test_a_process_starting_reads_the_index_and_the_arrays_before_its_first_request(decided, caplog):
    decided("Harbour cameras")
    with caplog.at_level("INFO", logger="precedent.search"):
        search.warm()  # a new install: nothing built yet, and a process starting does not build it
        assert "No search index to warm yet" in caplog.text
        feed.sync()
        arrays.reset()
        engine.forget()
        search.warm()
    assert "similarity arrays read in" in caplog.text
    assert arrays._index is not None and arrays._index.rows == 1


def test_a_process_that_cannot_warm_starts_all_the_same(decided, settings, tmp_path, caplog):
    decided("Harbour cameras")
    arrays.reset()
    engine.forget()
    (tmp_path / "not-a-directory").write_text("")
    settings.SEARCH_INDEX_DIR = tmp_path / "not-a-directory"
    search.warm()
    assert "Could not warm the search index" in caplog.text


def test_a_generation_without_arrays_has_them_written_by_the_next_sync(decided, lawyer):
    decision = decided("Harbour cameras")
    feed.sync()
    shutil.rmtree(engine.current_path() / "similarity")  # as an index built before there were arrays
    arrays.reset()
    assert arrays.current().rows == 0  # no candidates, rather than a reader writing
    (engine.current_path() / "similarity").mkdir()
    (engine.current_path() / "similarity" / "meta.json").write_text('{"rows": 1')  # half written
    assert arrays.current().rows == 0
    found = similar(user=lawyer, draft=CaseFacts(title="Harbour cameras at night"))  # its sync writes them
    assert [r.decision for r in found.results] == [decision]

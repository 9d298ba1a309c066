"""The change feed and the engine's index on disk: every committed change reaches the index
once, whatever the order of commits, a sync that dies half way, or a writer that is busy;
the index can be checked against the entries and rebuilt beside itself."""

import io
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from casebook.services import case_file, case_update
from precedent import search
from precedent.models import IndexChange, SearchEntry
from precedent.search import engine, feed
from precedent.search.query import parse, to_engine
from reviews.services import case_submit
from tests.factories import PartnerFactory, case_facts


@pytest.fixture
def file(reviewer, framework):
    def file_case(title, **facts):
        case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title=title, **facts))
        return case_submit(case=case, by=reviewer)

    return file_case


def titles(user, text):
    return sorted(result.entry.title for result in search.search(user=user, text=text).results)


@pytest.mark.django_db(transaction=True)
def test_a_commit_is_searchable_at_once_by_its_author_and_everyone_else(file, reviewer, lawyer):
    case = file("Harbour cameras")
    # The author's own request applied its change once it committed: nothing is pending.
    assert IndexChange.objects.count() == 0
    case_update(case=case, by=reviewer, facts={"title": "Harbour drones"})
    assert IndexChange.objects.count() == 0
    seen = {}

    def another_reader():  # another connection, as another request would have
        seen["titles"] = titles(lawyer, "harbour")
        connection.close()

    reader = threading.Thread(target=another_reader)
    reader.start()
    reader.join()
    assert seen["titles"] == ["Harbour drones"] and titles(reviewer, "drones") == ["Harbour drones"]


def retitle(case, title):
    """A change to a case's entry and its row in the feed, as index_case makes them, without
    the audit record that every service writes (which makes writers take turns)."""
    with transaction.atomic():
        SearchEntry.objects.filter(case=case).update(title=title)
        feed.record([case.pk])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_changes_committed_out_of_order_all_reach_the_index(file, lawyer, monkeypatch):
    # Only the next search syncs, so that nothing but the feed carries the changes.
    monkeypatch.setattr(feed, "quietly_sync", lambda: None)
    alpha, bravo = file("Alpha cameras"), file("Bravo cameras")
    search.search(user=lawyer, text="")
    writing, release = threading.Event(), threading.Event()

    def slow_writer():  # given the lower change id, it commits last
        with transaction.atomic():
            retitle(alpha, "Alpha harbour")
            writing.set()
            assert release.wait(10)
        connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert writing.wait(10)
    retitle(bravo, "Bravo harbour")
    [(bravo_change, _)] = feed.pending()  # the slow writer's is not committed yet
    assert titles(lawyer, "harbour") == ["Bravo harbour"]
    release.set()
    writer.join()
    [(alpha_change, _)] = feed.pending()
    assert alpha_change < bravo_change  # committed after a higher id was applied
    assert titles(lawyer, "harbour") == ["Alpha harbour", "Bravo harbour"]
    assert titles(lawyer, "cameras") == [] and IndexChange.objects.count() == 0


def test_a_sync_that_dies_before_forgetting_its_changes_is_done_again_once(file, reviewer, lawyer, monkeypatch):
    case = file("Harbour cameras")
    assert titles(lawyer, "cameras") == ["Harbour cameras"]
    case_update(case=case, by=reviewer, facts={"title": "Harbour drones"})

    def dies(change_ids):
        raise OSError("the process died here")

    monkeypatch.setattr(feed, "_forget", dies)
    # The index was written, but the change is still pending: the case is left out.
    assert titles(lawyer, "harbour") == [] and IndexChange.objects.count() == 1
    monkeypatch.undo()
    assert titles(lawyer, "harbour") == ["Harbour drones"] and IndexChange.objects.count() == 0
    assert engine.searcher().num_docs == SearchEntry.objects.count()


def test_a_sync_that_dies_while_writing_leaves_the_index_as_it_was(file, reviewer, lawyer, monkeypatch):
    case = file("Harbour cameras")
    file("Harbour cranes")
    assert titles(lawyer, "harbour") == ["Harbour cameras", "Harbour cranes"]
    case_update(case=case, by=reviewer, facts={"title": "Harbour drones"})
    applying = feed.apply

    def dies(writer, case_ids):
        applying(writer, case_ids)
        raise OSError("the process died here")

    monkeypatch.setattr(feed, "apply", dies)
    assert titles(lawyer, "harbour") == ["Harbour cranes"] and IndexChange.objects.count() == 1
    monkeypatch.undo()
    assert titles(lawyer, "harbour") == ["Harbour cranes", "Harbour drones"]
    assert engine.searcher().num_docs == SearchEntry.objects.count()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_feed_needs_no_broker(file, reviewer, lawyer, monkeypatch):
    from config.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")  # nothing listens there
    case = file("Harbour cameras")
    case_update(case=case, by=reviewer, facts={"title": "Harbour drones"})
    assert titles(lawyer, "harbour") == ["Harbour drones"]


def test_a_change_that_narrows_is_hidden_while_it_cannot_be_applied(file, reviewer, lawyer):
    case = file("Harbour cameras")
    file("Harbour cranes")
    assert titles(lawyer, "harbour") == ["Harbour cameras", "Harbour cranes"]
    case_update(case=case, by=reviewer, facts={"restricted": True})
    with engine._locked(None):  # another process writing, for longer than a search waits
        found = search.search(user=lawyer, text="harbour")
        assert [r.case.title for r in found.results] == ["Harbour cranes"] and found.count == 1
        assert sum(v.count for v in found.facets["mission_area"]) == 1
        assert titles(reviewer, "harbour") == ["Harbour cranes"]  # hidden from everyone for now
    assert titles(lawyer, "harbour") == ["Harbour cranes"]
    assert titles(reviewer, "harbour") == ["Harbour cameras", "Harbour cranes"]


def test_check_index_names_what_differs_and_rebuild_index_mends_it(file, lawyer):
    alpha, bravo, charlie = file("Alpha cameras"), file("Bravo cameras"), file("Charlie cameras")
    out = io.StringIO()
    call_command("check_index", stdout=out)
    assert "matches" in out.getvalue()
    with engine.writing() as writing:  # behind the feed's back
        writing.writer.delete_documents_by_term("case", alpha.pk)
    SearchEntry.objects.filter(case=bravo).update(title="Bravo renamed")
    gone = SearchEntry.objects.get(case=charlie).pk
    SearchEntry.objects.filter(case=charlie).delete()
    out = io.StringIO()
    with pytest.raises(CommandError, match="rebuild_index"):
        call_command("check_index", stdout=out)
    assert f"1 entries the index lacks: {SearchEntry.objects.get(case=alpha).pk}" in out.getvalue()
    assert f"1 entries the index holds out of date: {SearchEntry.objects.get(case=bravo).pk}" in out.getvalue()
    assert f"1 entries gone that the index still holds: {gone}" in out.getvalue()
    out = io.StringIO()
    call_command("rebuild_index", stdout=out)
    assert "3 of 3 cases indexed" in out.getvalue()
    call_command("check_index", stdout=io.StringIO())
    assert titles(lawyer, "cameras") == ["Alpha cameras"]


def test_small_commits_are_merged_and_the_files_they_leave_collected(file, reviewer):
    case = file("Harbour cameras")
    for n in range(30):
        case_update(case=case, by=reviewer, facts={"title": f"Harbour cameras {n}"})
        search.search(user=reviewer, text="", facets=False)
    generation = engine.directory() / (engine.directory() / "current").read_text()
    live = {
        segment["segment_id"].replace("-", "")
        for segment in json.loads((generation / "meta.json").read_text())["segments"]
    }
    assert engine.searcher().num_segments == len(live) <= 8
    segment_files = [f.name for f in generation.iterdir() if f.name[:32].isalnum() and len(f.name) > 32]
    assert {name.split(".")[0] for name in segment_files} == live


def test_a_rebuild_leaves_readers_reading_and_then_moves_them(file, lawyer):
    file("Harbour cameras")
    cameras = to_engine(parse("cameras"))
    before = engine.searcher()
    old = (engine.directory() / "current").read_text()
    search.rebuild_engine()
    assert before.search(cameras, 1).count == 1  # its files, deleted, stay mapped until it lets go
    assert (engine.directory() / "current").read_text() != old and not (engine.directory() / old).exists()
    assert engine.searcher().search(cameras, 1).count == 1

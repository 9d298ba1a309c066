from principles.choices import Change
from principles.diff import Segment, revision_diff, word_diff
from principles.models import Revision


def test_it_marks_inserted_and_deleted_words():
    assert word_diff("no edge devices", "no edge or field devices") == [
        Segment("equal", "no edge "),
        Segment("insert", "or field "),
        Segment("equal", "devices"),
    ]
    assert [s.op for s in word_diff("a b", "a c")] == ["equal", "delete", "insert"]


def test_it_shows_the_red_line_change_between_the_loaded_revisions(framework):
    changes = {c.code: c for c in revision_diff(Revision.objects.get(number=1), Revision.objects.get(number=2))}
    assert changes["RL-1"].change == Change.CHANGED
    inserted = "".join(s.text for s in changes["RL-1"].body_segments if s.op == "insert")
    assert "commercially acquired personal or identifiable information" in inserted
    assert changes["RL-2"].change == Change.UNCHANGED
    assert [c.change for c in changes.values()].count(Change.ADDED) == 1

from principles.choices import ProvisionKind, RevisionState
from principles.loader import load_framework, read_framework
from principles.models import Provision, Revision


def test_it_loads_two_revisions_with_the_second_in_force(framework):
    states = dict(Revision.objects.values_list("number", "state"))
    assert states == {1: RevisionState.SUPERSEDED, 2: RevisionState.PUBLISHED}
    assert Revision.objects.in_force().effective_date.isoformat() == "2026-03-02"


def test_it_loads_every_kind_of_provision(framework):
    kinds = set(Provision.objects.values_list("kind", flat=True))
    assert kinds == set(ProvisionKind.values)
    codes = set(Provision.objects.values_list("code", flat=True))
    assert {"P-1", "P-2", "P-3", "P-4", "RL-1", "RL-2", "RL-3", "RL-4"} <= codes


def test_it_keeps_the_red_lines_full_definitions(framework):
    texts = Revision.objects.get(number=1).texts_by_code()
    assert "infer sensitive traits" in texts["RL-1"].body
    assert "heightened scrutiny" in texts["RL-3"].body
    assert "Appropriate human judgment does not require" in texts["RL-3"].body
    assert "genocide" in texts["RL-4"].body


def test_it_makes_revision_two_explicit_about_commercial_data(framework):
    one, two = (Revision.objects.get(number=n).texts_by_code() for n in (1, 2))
    assert "commercially acquired" not in one["RL-1"].body
    assert "commercially acquired personal or identifiable information" in two["RL-1"].body
    added = set(two) - set(one)
    assert len(added) == 1 and "agreement" in two[added.pop()].body


def test_it_loads_nothing_the_second_time(framework):
    assert load_framework() == []
    assert Revision.objects.count() == 2


def test_it_keeps_the_data_file_well_formed():
    data = read_framework()
    codes = [p["code"] for p in data["provisions"]]
    assert len(codes) == len(set(codes))
    assert all(p["texts"][0]["from_revision"] in (1, 2) for p in data["provisions"])

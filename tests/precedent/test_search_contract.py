"""The search engine's contract: the query language, the weights, snippets, facets,
filters and need-to-know, as every leg (SQLite and PostgreSQL as the source of truth)
must keep them."""

import datetime

import pytest
from django.db import transaction

from casebook.services import case_file, case_set_tags, case_update
from precedent import search
from precedent.models import SearchEntry
from precedent.search import engine, retrieval
from reviews.services import case_submit, decision_issue
from tests.factories import PartnerFactory, UserFactory, case_facts, in_review

DECISION = {"outcome": "approved", "rationale": "The board's reasons."}


@pytest.fixture
def file(reviewer, framework):
    def file_case(title, proposed_use="Analysts read reports.", *, decide=None, **facts):
        case = case_submit(
            case=case_file(
                by=reviewer, facts=case_facts(PartnerFactory(), title=title, proposed_use=proposed_use, **facts)
            ),
            by=reviewer,
        )
        if decide:
            decision_issue(case=in_review(case), by=decide["by"], **{**DECISION, **decide["fields"]})
        return case

    return file_case


def titles(user, text, **kwargs):
    return [result.case.title for result in search.search(user=user, text=text, **kwargs).results]


def test_it_finds_words_with_their_stems(file, lawyer):
    file("Monitoring port traffic", "Operators monitored container movements.")
    file("Translating field manuals")
    assert titles(lawyer, "monitor") == ["Monitoring port traffic"]
    assert titles(lawyer, "monitors containers") == ["Monitoring port traffic"]
    assert titles(lawyer, "monitor manuals") == []  # every word must match


def test_it_weighs_the_title_above_the_proposed_use(file, lawyer):
    file("Logistics forecasting", "It mentions satellite imagery once, in passing.")
    file("Satellite imagery triage", "Analysts triage pictures.")
    assert titles(lawyer, "satellite") == ["Satellite imagery triage", "Logistics forecasting"]


def test_it_weighs_the_holding_above_the_rationale(file, lawyer, decider):
    file(
        "First case", decide={"by": decider, "fields": {"holding": "Ordinary holding.", "rationale": "Biometric data."}}
    )
    file(
        "Second case", decide={"by": decider, "fields": {"holding": "Biometric data needs consent.", "rationale": "."}}
    )
    assert titles(lawyer, "biometric") == ["Second case", "First case"]


def test_it_matches_phrases_prefixes_alternatives_and_exclusions(file, lawyer):
    file("Facial recognition at protests", "Identify attendees by facial recognition.")
    file("Recognition awards", "Facial expressions of gratitude and staff recognition.")
    file("Drone sensor triage", "Counter-drone triage.")
    assert titles(lawyer, '"facial recognition"') == ["Facial recognition at protests"]
    assert sorted(titles(lawyer, "recogn*")) == ["Facial recognition at protests", "Recognition awards"]
    assert sorted(titles(lawyer, "drone OR awards")) == ["Drone sensor triage", "Recognition awards"]
    assert titles(lawyer, "recognition -protests") == ["Recognition awards"]
    assert titles(lawyer, "RL-9") == []


@pytest.mark.parametrize(
    "text", ["NEAR(a b)", "title:x", "^start", '"unclosed', "'quote", "a AND", "OR", "-", "*", ":*", "!", "()", "\x00"]
)
def test_it_reads_any_input_as_plain_words(file, lawyer, text):
    file("Plain case")
    found = search.search(user=lawyer, text=text)
    assert found.count >= 0  # no engine error, whatever was typed


def test_it_highlights_the_matched_words_and_escapes_the_rest(file, lawyer):
    file("Tip line triage", "Callers <script>alert(1)</script> report threats against judges.")
    [result] = search.search(user=lawyer, text="threats").results
    assert "<mark>threats</mark>" in result.snippet
    assert "<script>" not in result.snippet and "&lt;script&gt;alert(1)" in result.snippet


def test_its_snippets_keep_their_markup_whatever_the_text(file, lawyer):
    # A long text whose passage starts in its middle, letters of several bytes just before
    # the match, and markup-like text around it.
    long = "Preamble " * 80 + "<b>naïve café</b> surveillance of <i>ports</i> & “more” " + "tail " * 80
    file("Façade case", long)
    [result] = search.search(user=lawyer, text="surveillance").results
    assert "naïve café&lt;/b&gt; <mark>surveillance</mark> of &lt;i&gt;ports&lt;/i&gt; &amp; “more”" in result.snippet
    assert result.snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_its_snippets_keep_their_markup_whatever_control_characters_the_text_holds(file, lawyer):
    file("Control case", "Opening \x02 words \x03 then surveillance\x02 of ports \x03 and more")
    [result] = search.search(user=lawyer, text="surveillance").results
    assert result.snippet.count("<mark>") == result.snippet.count("</mark>") == 1
    assert "\x02" not in result.snippet and "\x03" not in result.snippet
    assert "<mark>surveillance</mark> of ports" in result.snippet


def test_a_change_reaches_search_when_it_commits_and_never_if_it_rolls_back(file, reviewer, lawyer):
    case = file("Harbour cameras")
    with pytest.raises(RuntimeError), transaction.atomic():
        case_update(case=case, by=reviewer, facts={"title": "Harbour drones"})
        # Not committed: the index keeps the case as it was, and a search inside the
        # transaction leaves the changed case out rather than show it either way.
        assert titles(lawyer, "drones") == [] and titles(lawyer, "cameras") == []
        raise RuntimeError("roll back")
    assert titles(lawyer, "drones") == [] and titles(lawyer, "cameras") == ["Harbour cameras"]
    case_update(case=case, by=reviewer, facts={"title": "Harbour drones"})
    assert titles(lawyer, "drones") == ["Harbour drones"] and titles(lawyer, "cameras") == []


def test_it_keeps_an_entry_per_decision_and_marks_the_superseded(file, lawyer, decider):
    case = file("Border paperwork", decide={"by": decider, "fields": {"holding": "First holding."}})
    decision_issue(
        case=in_review(case), by=decider, **{**DECISION, "outcome": "narrowed", "holding": "Second holding."}
    )
    found = search.search(user=lawyer, text="border")
    assert [(r.decision.outcome, r.status.code) for r in found.results] == [
        ("narrowed", "good_law"),
        ("approved", "superseded"),
    ]
    assert sorted(SearchEntry.objects.values_list("precedent", flat=True)) == ["good_law", "superseded"]


def test_it_applies_need_to_know_inside_the_engine(file, reviewer, lawyer, overseer, decider, outsider):
    cleared = UserFactory(username="cleared", roles=["legal"])
    file("Covert source vetting", restricted=True, access_list=[cleared])
    file("Open source vetting")
    case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Draft source vetting"))
    for user, expected in [
        (lawyer, ["Open source vetting"]),
        (decider, ["Open source vetting"]),
        (cleared, ["Covert source vetting", "Open source vetting"]),
        (overseer, ["Covert source vetting", "Draft source vetting", "Open source vetting"]),
        (reviewer, ["Covert source vetting", "Draft source vetting", "Open source vetting"]),
        (outsider, []),
    ]:
        found = search.search(user=user, text="vetting")
        assert sorted(r.case.title for r in found.results) == expected, user
        assert found.count == len(expected), user
        assert sum(v.count for v in found.facets.get("mission_area", [])) == len(expected), user
    browsing = search.search(user=lawyer, text="")
    assert [r.case.title for r in browsing.results] == ["Open source vetting"] and browsing.count == 1


def test_it_finds_what_a_reader_may_see_below_the_best_matches_they_may_not(file, lawyer):
    # More restricted entries than the engine first ranks for a page of two, all scoring
    # above the open ones: the page is made again with need-to-know tested on every match.
    cleared = UserFactory(username="cleared", roles=["legal"])
    for n in range(30):
        file(f"Harbour harbour harbour {n}", "Harbour harbour cameras.", restricted=True, access_list=[cleared])
    file("Harbour cranes", "Cranes.")
    file("Harbour tugs", "Tugs.")
    found = search.search(user=lawyer, text="harbour", per_page=2)
    assert sorted(r.case.title for r in found.results) == ["Harbour cranes", "Harbour tugs"] and found.count == 2
    assert len(search.search(user=cleared, text="harbour", per_page=2).results) == 2


def test_it_counts_the_entries_holding_each_word(file, lawyer):
    file("Port logistics", "Cranes load ships.")
    file("Rail logistics", "Freight cars.")
    search.search(user=lawyer, text="")  # brings the index up to date
    counts = retrieval.word_counts(engine.searcher(), ["logistics", "cranes", "submarines"])
    assert counts == {"logistics": 2, "cranes": 1, "submarines": 0}


def test_it_counts_facets_over_every_match(file, lawyer, decider):
    file("Port logistics", decide={"by": decider, "fields": {"holding": "Ports."}}, mission_area="logistics")
    file("Rail logistics", decide={"by": decider, "fields": {"holding": "Rail.", "outcome": "declined"}})
    file("Road logistics")
    facets = search.search(user=lawyer, text="logistics", per_page=1).facets
    assert {v.value: v.count for v in facets["outcome"]} == {"approved": 1, "declined": 1, "": 1}
    assert {v.value: v.count for v in facets["mission_area"]} == {"logistics": 1, "cyber_defense": 2}
    assert {v.label: v.count for v in facets["precedent"]} == {"Good law": 2, "Not yet decided": 1}
    assert [v.value for v in facets["year"]] == [str(datetime.date.today().year)]


def test_it_counts_tags_by_provision_and_stance(file, reviewer, lawyer):
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Tagged logistics"))
    case_set_tags(case=case, by=reviewer, tags=[{"code": "RL-1", "stance": "implicated_mitigated", "note": "Ports."}])
    assert search.search(user=lawyer, text="logistics").facets["tag"] == []  # a draft: not the lawyer's
    facets = search.search(user=reviewer, text="logistics").facets
    assert [(v.label, v.count) for v in facets["tag"]] == [("RL-1 implicated but mitigated", 1)]


def test_the_facets_leave_out_a_removed_case_and_survive_a_rebuild(file, lawyer, decider):
    port = file("Port logistics", decide={"by": decider, "fields": {"holding": "Ports."}})
    file("Rail logistics", decide={"by": decider, "fields": {"holding": "Rail.", "outcome": "declined"}})
    search.search(user=lawyer, text="logistics")  # this process's index now holds both
    search.rebuild()
    assert {v.value: v.count for v in search.search(user=lawyer, text="logistics").facets["outcome"]} == {
        "approved": 1,
        "declined": 1,
    }
    SearchEntry.objects.filter(case=port).delete()
    search.rebuild_engine()  # the engine's index alone, from the entries as they are now
    assert {v.value: v.count for v in search.search(user=lawyer, text="logistics").facets["outcome"]} == {"declined": 1}


def test_the_facets_follow_changes_made_after_the_engine_counted(file, lawyer, decider):
    # The precedent flag of the decision overruled changes in place, on another case.
    port = file("Port logistics", decide={"by": decider, "fields": {"holding": "Ports."}}, mission_area="logistics")
    road = file("Road logistics", mission_area="logistics")
    search.search(user=lawyer, text="logistics")  # this process's index now holds both
    case_update(case=road, by=road.filed_by, facts={"mission_area": "cyber_defense"})
    decision_issue(
        case=in_review(road),
        by=decider,
        **DECISION,
        holding="Roads.",
        citations=[{"decision": port.decisions.get().pk, "provision": "RL-1", "treatment": "overrules", "reason": "."}],
    )
    facets = search.search(user=lawyer, text="logistics").facets
    assert {v.value: v.count for v in facets["outcome"]} == {"approved": 2}
    assert {v.value: v.count for v in facets["mission_area"]} == {"logistics": 1, "cyber_defense": 1}
    assert {v.label: v.count for v in facets["precedent"]} == {"Good law": 1, "Overruled": 1}


def test_it_narrows_by_the_search_filters(file, reviewer, lawyer, decider):
    port = file(
        "Port logistics",
        decide={"by": decider, "fields": {"holding": "Ports."}},
        mission_area="logistics",
        data_involved=["biometric"],
    )
    rail = case_file(
        by=reviewer, facts=case_facts(PartnerFactory(country=port.partner.country), title="Rail logistics")
    )
    case_set_tags(case=rail, by=reviewer, tags=[{"code": "RL-2", "stance": "not_implicated", "note": ""}])
    case_submit(case=rail, by=reviewer)
    decision_issue(case=in_review(rail), by=decider, **{**DECISION, "holding": "Rail.", "outcome": "declined"})
    day = port.decisions.get().issued_at.date()
    for filters, expected in [
        ({"outcome": "declined"}, ["Rail logistics"]),
        ({"mission_area": "logistics"}, ["Port logistics"]),
        ({"partner": port.partner}, ["Port logistics"]),
        ({"country": port.partner.country.upper()}, ["Port logistics", "Rail logistics"]),
        ({"data": "biometric"}, ["Port logistics"]),
        ({"provision": "RL-2"}, ["Rail logistics"]),
        ({"provision": "RL-2", "stance": "not_implicated"}, ["Rail logistics"]),
        ({"provision": "RL-2", "stance": "crossed"}, []),
        ({"stance": "not_implicated"}, ["Rail logistics"]),
        ({"precedent": "good_law"}, ["Port logistics", "Rail logistics"]),
        ({"decided_after": day, "decided_before": day}, ["Port logistics", "Rail logistics"]),
        ({"decided_after": day + datetime.timedelta(days=1)}, []),
        ({"as_of": day - datetime.timedelta(days=1)}, []),
    ]:
        found = search.search(user=lawyer, text="logistics", filters=filters)
        assert sorted(r.case.title for r in found.results) == expected, filters
        assert found.count == len(expected), filters


def test_it_rebuilds_to_the_same_results(file, lawyer, decider):
    file("Port logistics", "Cranes and ships.", decide={"by": decider, "fields": {"holding": "Ports."}})
    file("Rail logistics", "Freight cars.")
    before = [(r.case.pk, r.decision and r.decision.pk) for r in search.search(user=lawyer, text="logistics").results]
    assert search.rebuild() == 2
    after = [(r.case.pk, r.decision and r.decision.pk) for r in search.search(user=lawyer, text="logistics").results]
    assert after == before and titles(lawyer, "cranes") == ["Port logistics"]


def test_it_pages_through_the_results(file, lawyer):
    for n in range(5):
        file(f"Logistics study {n}")
    first = search.search(user=lawyer, text="logistics", per_page=2)
    third = search.search(user=lawyer, text="logistics", per_page=2, page=3)
    assert first.count == 5 and first.pages == 3 and len(first.results) == 2 and len(third.results) == 1
    assert not {r.case.pk for r in first.results} & {r.case.pk for r in third.results}


def test_a_case_deleted_is_found_no_more(reviewer, lawyer, framework):
    case = case_file(by=reviewer, facts=case_facts(PartnerFactory(), title="Harbour cameras"))
    assert titles(reviewer, "cameras") == ["Harbour cameras"]
    case.tags.all().delete()
    case.delete()
    assert titles(reviewer, "cameras") == [] and search.search(user=reviewer, text="").count == 0


def test_an_entry_gone_from_the_database_is_never_shown(file, lawyer):
    case = file("Harbour cameras")
    assert titles(lawyer, "cameras") == ["Harbour cameras"]
    SearchEntry.objects.filter(case=case).delete()  # behind the feed's back: the page is checked again
    assert titles(lawyer, "cameras") == []


def test_a_query_of_common_words_alone_browses(file, lawyer):
    file("Harbour cameras")
    found = search.search(user=lawyer, text="the of and")
    assert found.count == 1 and [r.case.title for r in found.results] == ["Harbour cameras"]

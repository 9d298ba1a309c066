"""Which entries a search may return, as clauses of the engine's query: need-to-know, the
searcher's filters, and the cases a sync could not bring up to date. None of them scores:
they only admit or refuse."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

import tantivy
from django.utils import timezone

from casebook import visibility
from precedent.search import engine

Occur = tantivy.Occur


def _filter(query: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.const_score_query(query, 0.0)


def term(name: str, value) -> tantivy.Query:
    return tantivy.Query.term_query(engine.SCHEMA, name, value)


def _day_starts(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


@dataclass(frozen=True)
class Scope:
    must: tuple[tantivy.Query, ...] = ()
    must_not: tuple[tantivy.Query, ...] = ()
    # Whether filters beyond need-to-know narrow it (the search's facets then say so).
    narrowed: bool = False
    hidden: frozenset[int] = field(default_factory=frozenset)
    # The cases the searcher is involved in, as read for this scope (None: oversight, who
    # sees every case), for the database's own checks of the same search.
    involved: tuple[int, ...] | None = None

    @classmethod
    def for_user(cls, user) -> "Scope | None":
        """Need-to-know (casebook.visibility) inside the engine's query: the entries open to
        all, or of a case the user is involved in, read from the database as the search
        runs, so a change to an access list or an assignment takes effect at its commit.
        None when the user may see nothing."""
        if visibility.sees_nothing(user):
            return None
        if visibility.sees_everything(user):
            return cls()
        involved = visibility.involved_ids(user)
        either = [(Occur.Should, term("open", True))]
        if involved:
            either.append((Occur.Should, tantivy.Query.term_set_query(engine.SCHEMA, "case", involved)))
        return cls(must=(tantivy.Query.boolean_query(either),), involved=tuple(involved))

    def also(self, *queries: tantivy.Query, narrowing: bool = True) -> "Scope":
        return replace(self, must=(*self.must, *queries), narrowed=self.narrowed or narrowing)

    def without(self, case_ids: frozenset[int]) -> "Scope":
        """This scope, less the documents of these cases (their changes are not applied yet)."""
        if not case_ids:
            return self
        excluded = tantivy.Query.term_set_query(engine.SCHEMA, "case", sorted(case_ids))
        return replace(self, must_not=(*self.must_not, excluded), hidden=self.hidden | case_ids)

    def filtered(self, data: dict) -> "Scope":
        """This scope narrowed by a valid SearchFilterSet's cleaned data."""
        clauses = []
        for name in ("outcome", "mission_area", "architecture", "data", "precedent"):
            if data.get(name):
                clauses.append(term(name, data[name]))
        if data.get("partner"):
            clauses.append(term("partner", data["partner"].pk))
        if data.get("country"):
            clauses.append(term("country_key", data["country"].lower()))
        for tag in data.get("tag") or ():
            clauses.append(term("tag", tag) if " " in tag else term("provision", tag))
        provision, stance = data.get("provision"), data.get("stance")
        if provision and stance:
            clauses.append(term("tag", f"{provision} {stance}"))
        elif provision or stance:
            clauses.append(term("provision", provision) if provision else term("stance", stance))
        after = data.get("decided_after")
        before = min((d for d in (data.get("decided_before"), data.get("as_of")) if d), default=None)
        if after or before:
            clauses.append(
                tantivy.Query.range_query(
                    engine.SCHEMA,
                    "issued_at",
                    tantivy.FieldType.Date,
                    _day_starts(after) if after else None,
                    _day_starts(before + timedelta(days=1)) if before else None,
                    include_upper=before is None,  # before the next day begins
                )
            )
        return self.also(*clauses, narrowing=bool(clauses)) if clauses else self

    def query(self, text: tantivy.Query | None = None) -> tantivy.Query:
        """The engine's query: `text` (scored) in this scope, or all of the scope."""
        clauses = [(Occur.Must, text if text is not None else tantivy.Query.all_query())]
        clauses += [(Occur.Must, _filter(q)) for q in self.must]
        clauses += [(Occur.MustNot, q) for q in self.must_not]
        return tantivy.Query.boolean_query(clauses)

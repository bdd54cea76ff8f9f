"""Searching: the actor's permissions become part of the query, so only readable entries come back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy

from tacnghiep.core.text import fold
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Role
from tacnghiep.search import engine

WORD = re.compile(r"[^\W_]+")
PHRASE = re.compile(r'"([^"]+)"')
# A number-and-notation such as 42-KH/TU, 15/BC-UBND or 912-CV/VPTW/nb.
NOTATION = re.compile(r"^\d+[/-][^\s]+$")


@dataclass
class Filters:
    kinds: list[str] = field(default_factory=list)
    register: int | None = None
    period: str = ""
    type: str = ""
    issuer: int | None = None
    status: str = ""
    urgency: str = ""
    assignee: int | None = None


@dataclass(frozen=True)
class Hit:
    kind: str
    pk: int
    score: float


def words(text: str) -> list[str]:
    """Tokens as the index holds them: folded, split on anything that is not a letter or digit."""
    return WORD.findall(fold(text))


def _term(name: str, value: object) -> tantivy.Query:
    return tantivy.Query.term_query(engine.schema(), name, value)


def _any(name: str, values: list[str]) -> tantivy.Query:
    if not values:
        return tantivy.Query.empty_query()
    return tantivy.Query.term_set_query(engine.schema(), name, values)


def text_query(text: str) -> tantivy.Query | None:
    """Every word must match; "quoted words" must match as a phrase; a notation also matches exactly."""
    must = tantivy.Occur.Must
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for phrase in PHRASE.findall(text):
        tokens = words(phrase)
        if len(tokens) > 1:
            phrase_words: list[str | tuple[int, str]] = list(tokens)
            clauses.append((must, tantivy.Query.phrase_query(engine.schema(), "body", phrase_words)))
        elif tokens:
            clauses.append((must, _term("body", tokens[0])))
    rest = PHRASE.sub(" ", text)
    clauses += [(must, _term("body", token)) for token in words(rest)]
    stripped = text.strip().strip('"')
    if NOTATION.match(stripped):
        exact = _term("notation", fold(stripped).replace(" ", ""))
        if clauses:
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.boost_query(exact, 5.0)), (tantivy.Occur.Should, _all(clauses))]
            )
        return exact
    return _all(clauses) if clauses else None


def _all(clauses: list[tuple[tantivy.Occur, tantivy.Query]]) -> tantivy.Query:
    return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)


def permission_query(actor: Actor) -> tantivy.Query:
    """The same rule as the documents selectors, in index terms (they re-check the page shown)."""
    should = tantivy.Occur.Should
    roots = [g.path for g in actor.grants if g.role in {Role.CLERK, Role.LEADER}]
    led = [str(g.organization_id) for g in actor.grants if g.role == Role.LEADER]
    public = tantivy.Query.boolean_query(
        [
            (
                tantivy.Occur.Must,
                tantivy.Query.boolean_query([(should, _any("paths", roots)), (should, _any("rpaths", roots))]),
            ),
            (tantivy.Occur.MustNot, _term("secret", True)),
        ]
    )
    personal = tantivy.Query.boolean_query(
        [(should, _term("people", f"p{actor.principal.pk}")), (should, _any("units", [f"o{o}" for o in led]))]
    )
    secret_leaders = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, _term("secret", True)), (tantivy.Occur.Must, _any("org", led))]
    )
    return tantivy.Query.boolean_query([(should, public), (should, personal), (should, secret_leaders)])


def _filter_clauses(filters: Filters) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    must = tantivy.Occur.Must
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    if filters.kinds:
        clauses.append((must, _any("kind", filters.kinds)))
    for name, value in (
        ("register", filters.register),
        ("period", filters.period),
        ("type", filters.type),
        ("issuer", filters.issuer),
        ("status", filters.status),
        ("urgency", filters.urgency),
    ):
        if value not in (None, ""):
            clauses.append((must, _term(name, str(value))))
    if filters.assignee is not None:
        clauses.append((must, _term("assignees", f"p{filters.assignee}")))
    return clauses


def search(actor: Actor, text: str, filters: Filters | None = None, *, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Entries the actor may read that match ``text`` and the filters, best first (newest on ties)."""
    clauses = [(tantivy.Occur.Must, permission_query(actor)), *_filter_clauses(filters or Filters())]
    matched = text_query(text)
    if matched is not None:
        clauses.append((tantivy.Occur.Must, matched))
    elif len(clauses) == 1 and not text.strip():
        clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    elif text.strip():
        return []  # nothing searchable in the text (only punctuation)
    searcher = engine.searcher()
    query = tantivy.Query.boolean_query(clauses)
    if matched is None:
        result = searcher.search(query, limit=limit, offset=offset, count=False, order_by_field="date")
    else:
        result = searcher.search(query, limit=limit, offset=offset, count=False)
    hits = []
    for score, address in result.hits:
        stored = searcher.doc(address)
        kind, _sep, _pk = stored["key"][0].partition(":")
        hits.append(Hit(kind=kind, pk=int(stored["pk"][0]), score=float(score)))
    return hits

"""One function answers a search: hits with passages, facet counts and a spelling suggestion.

The result is plain data (:mod:`indexer.results`) whose JSON form is shared by
``letters search --json`` and the web API.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from whoosh import query as wq
from whoosh.query.qcore import QueryError
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.engine.dateorder import date_table
from indexer.engine.docsets import Budget, matching_docs, top_scored
from indexer.engine.facets import count_facets, facet_tables, selection_sets
from indexer.engine.gencache import cached, live_documents
from indexer.engine.query import ParsedQuery, parse_query
from indexer.engine.schema import FIELD_LANGUAGE, date_number
from indexer.engine.snippets import Highlight, best_passages, mark
from indexer.engine.suggest import suggest
from indexer.letters.authority import Authorities
from indexer.letters.text import fold, translit_key
from indexer.request import SearchRequest
from indexer.results import Hit, PassageHit, SearchResult

SEARCH_SECONDS = 5.0  # a search that takes longer stops and answers with what it found
MAX_EXPANSION = 200  # terms a wildcard or fuzzy term may expand to
MIN_PREFIX = 2  # characters before a wildcard


def search(
    searcher: Searcher, request: SearchRequest, authorities: Authorities | None = None
) -> SearchResult:
    """Answer a search request against an open Whoosh searcher."""
    reader = searcher.reader()
    parsed = parse_query(request.q, searcher.schema, authorities)
    if parsed.query is not None:
        parsed = ParsedQuery(_capped(parsed.query, reader), parsed.text, parsed.fallback)
    tables = facet_tables(reader)
    selections = selection_sets(tables, request.filters)
    try:
        base, timed_out = _matching_docs(searcher, parsed, request)
    except QueryError:  # e.g. a phrase on a field without positions: search the words
        parsed = parse_query(request.q, searcher.schema, plain=True)
        base, timed_out = _matching_docs(searcher, parsed, request)
    docs = set(base)
    for chosen in selections.values():
        docs &= chosen
    browsing = parsed.query is None and not selections and request.day_range() == (None, None)
    if browsing:  # the whole archive: the same counts until the index changes
        facets = cached(reader, "all-facets", lambda r: count_facets(base, tables, {}, {}))
    else:
        facets = count_facets(base, tables, request.filters, selections)
    if authorities:
        facets["mention"] = [
            replace(c, label=authorities.label(c.value)) for c in facets["mention"]
        ]
    hits = _page_of_hits(searcher, parsed, request, docs, authorities)
    return SearchResult(
        request=request,
        total=len(docs),
        hits=hits,
        facets=facets,
        suggestion=suggest(searcher, parsed, len(docs), authorities),
        explain=parsed.explain(),
        fallback=parsed.fallback,
        timed_out=timed_out,
    )


def _capped(q: wq.Query, reader: IndexReader) -> wq.Query:
    """Expand wildcards and fuzzy terms to at most MAX_EXPANSION index terms, up front."""

    def visit(node: wq.Query) -> wq.Query:
        if not isinstance(node, wq.Prefix | wq.Wildcard | wq.FuzzyTerm | wq.Regex):
            return node
        if isinstance(node, wq.Prefix | wq.Wildcard) and len(_literal_prefix(node)) < MIN_PREFIX:
            return wq.NullQuery
        terms = []
        for text in node._btexts(reader):
            terms.append(wq.Term(node.fieldname, text, boost=node.boost))
            if len(terms) >= MAX_EXPANSION:
                break
        return wq.Or(terms) if terms else wq.NullQuery

    return q.accept(visit)


def _literal_prefix(node: wq.Query) -> str:
    text = str(node.text)
    for i, char in enumerate(text):
        if char in "*?":
            return text[:i]
    return text


def _matching_docs(
    searcher: Searcher, parsed: ParsedQuery, request: SearchRequest
) -> tuple[set[int], bool]:
    """The documents matching the query and date filter, and whether time ran out."""
    reader = searcher.reader()
    budget = Budget(SEARCH_SECONDS)
    if parsed.query is None:
        docs = set(live_documents(reader))
    else:
        docs = matching_docs(searcher, parsed.query, budget)
    start, end = request.day_range()
    if (start or end) and docs:
        low = date_number(start) if start else None
        high = date_number(end) if end else None
        docs = date_table(reader).overlapping(docs, low, high)
    return docs, budget.timed_out


def _page_of_hits(
    searcher: Searcher,
    parsed: ParsedQuery,
    request: SearchRequest,
    docs: set[int],
    authorities: Authorities | None,
) -> list[Hit]:
    first = (request.page - 1) * request.per_page
    if not docs or first >= len(docs):
        return []
    sort = request.sort
    if parsed.query is None and sort == "relevance":
        sort = "newest"
    limit = first + request.per_page
    if sort == "relevance":
        ranked = top_scored(searcher, parsed.query, docs, limit)
        page: list[tuple[int, float | None]] = list(ranked[first:limit])
    else:
        ordered = date_table(searcher.reader()).ordered(docs, sort == "newest", limit)
        page = [(doc, None) for doc in ordered[first:limit]]
    return _hits(searcher, parsed, request, page, authorities)


def _hits(
    searcher: Searcher,
    parsed: ParsedQuery,
    request: SearchRequest,
    page: list[tuple[int, float | None]],
    authorities: Authorities | None,
) -> list[Hit]:
    highlight = highlight_terms(searcher, parsed, authorities)
    hits = []
    for docnum, score in page:
        record = json.loads(searcher.stored_fields(docnum)["doc"])
        passages = []
        if highlight:
            chosen = best_passages(
                ((n, text) for n, _kind, text in record["passages"]),
                highlight,
                record.get("language") or "en",
            )
            passages = [PassageHit(m.n, mark(text, m.spans)) for m, text in chosen]
        hits.append(_hit(record, score, passages))
    return hits


def _hit(record: dict[str, Any], score: float | None, passages: list[PassageHit]) -> Hit:
    return Hit(
        id=record["id"],
        title=record["title"],
        date=record["date"],
        date_from=record["date_from"],
        date_to=record["date_to"],
        senders=record["senders"],
        signatories=record["signatories"],
        recipients=record["recipients"],
        type=record["type"],
        language=record["language"],
        place=record["place"],
        score=score,
        passages=passages,
    )


def _positive_leaves(q: wq.Query) -> Iterator[wq.Query]:
    """The leaves of a query that a matching letter contains (not those under NOT)."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from _positive_leaves(q.a)
    elif q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from _positive_leaves(child)


def highlight_terms(
    searcher: Searcher, parsed: ParsedQuery, authorities: Authorities | None = None
) -> Highlight:
    """The terms of a query as they occur in the index, for marking them in passages."""
    if parsed.query is None:
        return Highlight()
    stems: set[str] = set()
    names: set[str] = set()
    keys: set[str] = set()
    name_phrases: set[str] = set()
    phrases = []
    reader = searcher.reader()
    for leaf in _positive_leaves(parsed.query):
        field = getattr(leaf, "fieldname", None)
        if isinstance(leaf, wq.Phrase):
            phrases.append(tuple(leaf.words))
            stems.update(leaf.words)
        elif field == "mention" and authorities and hasattr(leaf, "text"):
            entity = authorities.entities.get(str(leaf.text))
            for name in entity.names if entity else ():
                if len(name.split()) > 1:
                    name_phrases.add(name)
                else:
                    names.add(fold(name))
                    keys.add(translit_key(name))
        elif field and not isinstance(leaf, wq.NumericRange | wq.TermRange):
            texts = [
                t.decode("utf-8") if isinstance(t, bytes) else t
                for _f, t in leaf.expanded_terms(reader)
            ]
            if field in FIELD_LANGUAGE:
                stems.update(texts)
            elif field == "translit":
                keys.update(texts)
            else:
                names.update(fold(t) for t in texts)
    return Highlight(
        frozenset(stems),
        frozenset(names),
        tuple(dict.fromkeys(phrases)),
        frozenset(keys),
        tuple(sorted(name_phrases)),
    )

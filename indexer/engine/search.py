"""One function answers a search: hits with passages, facet counts and a spelling suggestion.

The result is plain data (:mod:`indexer.results`) whose JSON form is shared by
``letters search --json`` and the web API.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Any

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.engine.budget import Budget
from indexer.engine.concepts import ConceptNear, ConceptTerms
from indexer.engine.dateorder import date_table
from indexer.engine.docsets import matching_docs, top_scored, without_missing_terms
from indexer.engine.expansion import Expander
from indexer.engine.facets import count_facets, facet_tables, selection_sets
from indexer.engine.gencache import cached, live_documents
from indexer.engine.query import ParsedQuery, parse_query
from indexer.engine.schema import EXACT_FIELDS, FIELD_LANGUAGE, date_number
from indexer.engine.snippets import Highlight, best_passages, mark
from indexer.engine.suggest import suggest
from indexer.letters.authority import Authorities
from indexer.letters.text import fold, translit_key
from indexer.request import SearchRequest
from indexer.results import Hit, PassageHit, SearchResult

EXACT_TWINS = frozenset(EXACT_FIELDS.values())  # fields of quoted phrases: marked as written
SEARCH_SECONDS = 5.0  # a search that takes longer stops and answers with what it found


def search(
    searcher: Searcher,
    request: SearchRequest,
    authorities: Authorities | None = None,
    seconds: float = SEARCH_SECONDS,
    concepts: ConceptTerms | None = None,
) -> SearchResult:
    """Answer a search request against an open Whoosh searcher within ``seconds``.

    One budget covers every stage, from parsing to the suggestion; a stage that finds it
    spent keeps what it has, and the result says ``timed_out``. Letters that match the
    query as typed rank before those that only the concept thesaurus's terms find.
    """
    budget = Budget(seconds)
    reader = searcher.reader()
    concepts = concepts if request.concepts else None
    parsed = parse_query(request.q, searcher.schema, authorities, concepts)
    expanded = _expanded(reader, parsed.query, budget)
    tables = facet_tables(reader)
    selections = selection_sets(tables, request.filters)
    base = _matching_docs(searcher, expanded, request, budget)
    docs = _selected(base, selections)
    tiers = [docs]
    if parsed.also_searched and docs:  # the letters matching the words as typed come first
        typed = parse_query(request.q, searcher.schema, authorities).query
        own = _matching_docs(searcher, _expanded(reader, typed, budget), request, budget)
        tiers = [docs & own, docs - own]
    browsing = parsed.query is None and not selections and request.day_range() == (None, None)
    if browsing:  # the whole archive: the same counts until the index changes
        facets = cached(reader, "all-facets", lambda r: count_facets(base, tables, {}, {}))
    else:
        facets = count_facets(base, tables, request.filters, selections, budget)
    if authorities:
        facets["mention"] = [
            replace(c, label=authorities.label(c.value)) for c in facets["mention"]
        ]
    hits = _page_of_hits(searcher, expanded, request, tiers, authorities, budget)
    count = partial(_count, searcher, request, selections, (authorities, concepts), budget)
    suggestion = suggest(reader, parsed, len(docs), authorities, budget, count)
    return SearchResult(
        request=request,
        total=len(docs),
        hits=hits,
        facets=facets,
        suggestion=suggestion.text if suggestion else None,
        suggestion_total=suggestion.total if suggestion else None,
        explain=parsed.explain(),
        fallback=parsed.fallback,
        timed_out=budget.timed_out,
        unknown_fields=list(parsed.unknown_fields),
        notes=parsed.notes(),
        also_searched=list(parsed.also_searched),
    )


def _count(
    searcher: Searcher,
    request: SearchRequest,
    selections: dict[str, set[int]],
    expansions: tuple[Authorities | None, ConceptTerms | None],
    budget: Budget,
    text: str,
) -> int | None:
    """Letters another query text finds with the request's filters (None: out of time)."""
    parsed = parse_query(text, searcher.schema, *expansions).query
    expanded = _expanded(searcher.reader(), parsed, budget)
    found = _selected(_matching_docs(searcher, expanded, request, budget), selections)
    return None if budget.spent() else len(found)


def _expanded(reader: IndexReader, q: wq.Query | None, budget: Budget) -> wq.Query | None:
    """The query with its prefix, wildcard and fuzzy terms expanded within the budget, and
    without the alternatives no letter holds."""
    if q is None:
        return None
    return without_missing_terms(Expander(reader, budget).expand(q), reader, budget)


def _selected(docs: set[int], selections: dict[str, set[int]]) -> set[int]:
    """The documents that also have every selected facet value."""
    found = set(docs)
    for chosen in selections.values():
        found &= chosen
    return found


def _matching_docs(
    searcher: Searcher, q: wq.Query | None, request: SearchRequest, budget: Budget
) -> set[int]:
    """The documents matching the (expanded) query and the date filter."""
    reader = searcher.reader()
    docs = set(live_documents(reader)) if q is None else matching_docs(searcher, q, budget)
    start, end = request.day_range()
    if (start or end) and docs:
        low = date_number(start) if start else None
        high = date_number(end) if end else None
        docs = date_table(reader).overlapping(docs, low, high)
    return docs


def _page_of_hits(
    searcher: Searcher,
    q: wq.Query | None,
    request: SearchRequest,
    tiers: list[set[int]],
    authorities: Authorities | None,
    budget: Budget,
) -> list[Hit]:
    """One page of hits: by relevance (the letters of each tier before the next), or date."""
    docs = set().union(*tiers)
    first = (request.page - 1) * request.per_page
    if not docs or first >= len(docs):
        return []
    sort = request.sort
    if q is None and sort == "relevance":
        sort = "newest"
    limit = first + request.per_page
    if sort == "relevance":
        page: list[tuple[int, float | None]] = []
        for tier in tiers:
            if len(page) < limit:
                page += top_scored(searcher, q, tier, limit - len(page), budget)
        if len(page) < min(limit, len(docs)):  # cut short: unranked letters fill the page
            ranked = {doc for doc, _score in page}
            page += [(doc, None) for doc in sorted(docs - ranked)[: limit - len(page)]]
        page = page[first:limit]
    else:
        ordered = date_table(searcher.reader()).ordered(docs, sort == "newest", limit)
        page = [(doc, None) for doc in ordered[first:limit]]
    return _hits(searcher, q, request, page, authorities, budget)


def _hits(
    searcher: Searcher,
    q: wq.Query | None,
    request: SearchRequest,
    page: list[tuple[int, float | None]],
    authorities: Authorities | None,
    budget: Budget,
) -> list[Hit]:
    highlight = _highlight(searcher, q, authorities)
    hits = []
    for docnum, score in page:
        record = json.loads(searcher.stored_fields(docnum)["doc"])
        passages = []
        if highlight and not budget.spent():  # out of time: the letters without snippets
            chosen = best_passages(
                ((n, text) for n, _kind, text in record["passages"]),
                highlight,
                record.get("language") or "en",
                budget=budget,
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
    elif q.is_leaf() or isinstance(q, ConceptNear):
        yield q
    else:
        for child in q.children():
            yield from _positive_leaves(child)


def highlight_terms(
    searcher: Searcher, parsed: ParsedQuery, budget: Budget, authorities: Authorities | None
) -> Highlight:
    """The terms of a query as they occur in the index, for marking them in passages
    (expanded within ``budget``, as a search expands them)."""
    if parsed.query is None:
        return Highlight()
    expanded = Expander(searcher.reader(), budget).expand(parsed.query)
    return _highlight(searcher, expanded, authorities)


def _highlight(
    searcher: Searcher, q: wq.Query | None, authorities: Authorities | None
) -> Highlight:
    """The terms of an expanded query (no wildcards or fuzzy terms left) to mark."""
    if q is None:
        return Highlight()
    stems: set[str] = set()
    names: set[str] = set()
    keys: set[str] = set()
    name_phrases: set[str] = set()
    phrases, exact, key_phrases = [], [], []
    reader = searcher.reader()
    for leaf in _positive_leaves(q):
        field = getattr(leaf, "fieldname", None)
        if field in EXACT_TWINS and isinstance(leaf, wq.Phrase | wq.Term):
            exact.append(tuple(leaf.words) if isinstance(leaf, wq.Phrase) else (str(leaf.text),))
        elif isinstance(leaf, ConceptNear):
            name_phrases.add(leaf.term)  # marked whole, in each passage's language
        elif isinstance(leaf, wq.Phrase) and field == "translit":
            key_phrases.append(tuple(leaf.words))
        elif isinstance(leaf, wq.Phrase):
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
        tuple(dict.fromkeys(exact)),
        tuple(dict.fromkeys(key_phrases)),
    )

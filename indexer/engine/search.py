"""One function answers a search: hits with passages, facet counts and a spelling suggestion.

The result is plain data (:mod:`indexer.results`) whose JSON form is shared by
``letters search --json`` and the web API.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.engine.budget import Budget
from indexer.engine.concepts import ConceptNear, ConceptTerms
from indexer.engine.dateorder import DateTable, date_table
from indexer.engine.docsets import top_scored
from indexer.engine.expansion import Expander
from indexer.engine.facets import count_facets, facet_tables, selection_sets
from indexer.engine.gencache import cached
from indexer.engine.marking import mark
from indexer.engine.matching import dated, expanded_query, query_docs, selected
from indexer.engine.phrases import Near
from indexer.engine.query import ParsedQuery, parse_query
from indexer.engine.schema import (
    EXACT_FIELDS,
    FIELD_LANGUAGE,
    date_number,
    passage_languages,
    present_prose_fields,
)
from indexer.engine.snippets import Highlight, best_passages
from indexer.engine.suggest import suggest
from indexer.letters.authority import Authorities
from indexer.letters.dates import drill_period, first_day, last_day, parts
from indexer.letters.duplicates import fold_duplicates, signature
from indexer.letters.text import fold, translit_key
from indexer.request import SearchRequest
from indexer.results import DateCounts, Duplicate, FacetCount, Hit, PassageHit, SearchResult

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
    present = present_prose_fields(reader)
    parsed = parse_query(request.q, searcher.schema, authorities, concepts, present)
    expanded = expanded_query(reader, parsed.query, budget)
    tables = facet_tables(reader)
    selections = selection_sets(tables, request.filters)
    excluded = selection_sets(tables, request.exclude)
    dates = date_table(reader)
    found = query_docs(searcher, expanded, request, budget, authorities)
    base = dated(found, request, dates)
    docs = selected(base, selections, excluded)
    tiers = [docs]
    if parsed.also_searched and docs:  # the letters matching the words as typed come first
        typed = parse_query(request.q, searcher.schema, authorities, present=present).query
        typed = expanded_query(reader, typed, budget)
        own = query_docs(searcher, typed, request, budget, authorities)
        tiers = [docs & own, docs - own]

    def within(period: str) -> set[int]:  # the letters of a wider period, all else alike
        wider = replace(request, date_from=period, date_to=period)
        return selected(dated(found, wider, dates), selections, excluded)

    browsing = (
        parsed.query is None
        and not selections
        and not excluded
        and base is found
        and not request.by_people()
    )
    if not request.counts:
        facets: dict[str, list[FacetCount]] = {}
    elif browsing:  # the whole archive: the same counts until the index changes
        facets = cached(reader, "all-facets", lambda r: count_facets(base, tables, {}, {}))
    else:
        facets = count_facets(
            base, tables, request.filters, selections, budget, request.exclude, excluded
        )
    if authorities and "mention" in facets:
        facets["mention"] = [
            replace(c, label=authorities.label(c.value)) for c in facets["mention"]
        ]
    hits = _page_of_hits(searcher, expanded, request, tiers, authorities, budget)
    chosen = (selections, excluded)
    count = partial(_count, searcher, request, chosen, (authorities, concepts), budget)
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
        date_counts=None
        if budget.spent() or not request.counts
        else _date_counts(docs, dates, request, within),
        undated=len(selected(found & dates.undated_set, _undated_selections(selections), excluded)),
    )


def _undated_selections(selections: dict[str, set[int]]) -> dict[str, set[int]]:
    """The selections an undated letter can meet: all but the years (it has none)."""
    return {facet: docs for facet, docs in selections.items() if facet != "year"}


def _date_counts(
    docs: set[int],
    dates: DateTable,
    request: SearchRequest,
    within: Callable[[str], set[int]],
) -> DateCounts | None:
    """The months or days of the one year or month the request's dates select, if any. For
    one day, the days of its month: counted over the month's letters (``within``), so that
    each bar counts what its own link finds."""
    period = drill_period(request.date_from, request.date_to, request.filters.get("year", ()))
    if period is None:
        return None
    if len(period) == 10:
        docs = within(period[:7])
    names = parts(period)
    spans = [(date_number(first_day(p)), date_number(last_day(p))) for p in names]
    return DateCounts(period, list(zip(names, dates.counts(docs, spans), strict=True)))


def _count(
    searcher: Searcher,
    request: SearchRequest,
    chosen: tuple[dict[str, set[int]], dict[str, set[int]]],
    expansions: tuple[Authorities | None, ConceptTerms | None],
    budget: Budget,
    text: str,
) -> int | None:
    """Letters another query text finds with the request's filters (None: out of time)."""
    present = present_prose_fields(searcher.reader())
    parsed = parse_query(text, searcher.schema, *expansions, present).query
    reader = searcher.reader()
    expanded = expanded_query(reader, parsed, budget)
    docs = query_docs(searcher, expanded, request, budget, expansions[0])
    found = selected(dated(docs, request, date_table(reader)), *chosen)
    return None if budget.spent() else len(found)


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
    records = []
    for docnum, score in page:
        record = json.loads(searcher.stored_fields(docnum)["doc"])
        records.append(record)
        passages = []
        if highlight and not budget.spent():  # out of time: the letters without snippets
            chosen = best_passages(
                ((n, text) for n, _kind, text in record["passages"]),
                highlight,
                record.get("language") or "en",
                budget=budget,
                languages=passage_languages(record),
            )
            passages = [PassageHit(m.n, mark(text, m.spans)) for m, text in chosen]
        hits.append(hit_of(record, score, passages))
    return _grouped(hits, records) if request.group else hits


def _grouped(hits: list[Hit], records: list[dict[str, Any]]) -> list[Hit]:
    """The page's hits with each near-duplicate folded under the first hit it repeats (only
    this page's letters are compared, from the passages already read for the snippets)."""
    folded = fold_duplicates([signature(record["passages"]) for record in records])
    under = {i for group in folded for i, _likeness in group}
    for hit, group in zip(hits, folded, strict=True):
        hit.duplicates = [
            Duplicate(hits[i].id, hits[i].title, hits[i].date_from, hits[i].date_to, likeness)
            for i, likeness in group
        ]
    return [hit for i, hit in enumerate(hits) if i not in under]


def hit_of(record: dict[str, Any], score: float | None, passages: list[PassageHit]) -> Hit:
    """A stored letter as a hit (its metadata; the search adds score and passages)."""
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
        transcribed=bool(record["passages"]),
    )


def _positive_leaves(q: wq.Query) -> Iterator[wq.Query]:
    """The leaves of a query that a matching letter contains (not those under NOT)."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from _positive_leaves(q.a)
    elif q.is_leaf() or isinstance(q, Near):  # words near each other: one unit
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
    entities: set[str] = set()
    exact: list[tuple[str, ...]] = []
    key_phrases: list[tuple[str, ...]] = []
    slops: dict[tuple[str, ...], int] = {}  # stemmed phrases and their slop
    reader = searcher.reader()
    for leaf in _positive_leaves(q):
        field = leaf.field() if isinstance(leaf, Near) else getattr(leaf, "fieldname", None)
        if field in EXACT_TWINS and isinstance(leaf, wq.Phrase | wq.Term):
            exact.append(tuple(leaf.words) if isinstance(leaf, wq.Phrase) else (str(leaf.text),))
        elif isinstance(leaf, ConceptNear):
            name_phrases.add(leaf.term)  # marked whole, in each passage's language
        elif isinstance(leaf, wq.Phrase) and field == "translit":
            key_phrases.append(tuple(leaf.words))
        elif isinstance(leaf, wq.Phrase):  # its words are marked where they stand together
            words = tuple(leaf.words)
            slops[words] = max(slops.get(words, 0), int(leaf.slop))
        elif isinstance(leaf, Near) and field in FIELD_LANGUAGE:  # "a b"~N, a concept's words
            words = tuple(str(term.text) for term in leaf.qs)
            slops[words] = max(slops.get(words, 0), int(leaf.slop), 1)
        elif isinstance(leaf, Near):
            names.update(fold(str(term.text)) for term in leaf.qs)
        elif field == "mention" and authorities and hasattr(leaf, "text"):
            entity = authorities.entities.get(str(leaf.text))
            entities.update([entity.id] if entity else [])
            for name in entity.plain_names if entity else ():
                if len(name.split()) > 1:
                    name_phrases.add(name)
                else:
                    names.add(fold(name))
                    keys.add(translit_key(name))
        elif field and not isinstance(leaf, wq.NumericRange | wq.TermRange | wq.Every):
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
        tuple(slops),
        frozenset(keys),
        tuple(sorted(name_phrases)),
        tuple(dict.fromkeys(exact)),
        tuple(dict.fromkeys(key_phrases)),
        frozenset(entities),
        authorities.recogniser if authorities and entities else None,
        tuple(slops.values()),
    )

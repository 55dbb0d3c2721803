"""Which letters a search request finds, before ranking: the query's documents, narrowed by
people (between, writer, addressee), the date filter (or "undated"), the facet values chosen
and those left out. The search, its suggestion's count, the quality set's whole hit sets and
the network all start from here, so they agree on what "the letters of this search" are."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.engine.budget import Budget
from indexer.engine.concepts import ConceptTerms
from indexer.engine.dateorder import DateTable, date_table
from indexer.engine.docsets import matching_docs, without_missing_terms
from indexer.engine.expansion import Expander
from indexer.engine.facets import facet_tables, selection_sets
from indexer.engine.gencache import live_documents
from indexer.engine.people import people_filter, people_of
from indexer.engine.query import parse_query
from indexer.engine.schema import date_number, present_prose_fields
from indexer.letters.authority import Authorities
from indexer.request import SearchRequest


def expanded_query(reader: IndexReader, q: wq.Query | None, budget: Budget) -> wq.Query | None:
    """The query with its prefix, wildcard and fuzzy terms expanded within the budget, and
    without the alternatives no letter holds."""
    if q is None:
        return None
    return without_missing_terms(Expander(reader, budget).expand(q), reader, budget)


def query_docs(
    searcher: Searcher,
    q: wq.Query | None,
    request: SearchRequest,
    budget: Budget,
    authorities: Authorities | None,
) -> set[int]:
    """The documents matching the (expanded) query (every live one for none) and the
    request's people."""
    reader = searcher.reader()
    docs = set(live_documents(reader)) if q is None else matching_docs(searcher, q, budget)
    if request.by_people() and docs:
        docs &= people_filter(people_of(reader, authorities or Authorities()), request)
    return docs


def dated(docs: set[int], request: SearchRequest, dates: DateTable) -> set[int]:
    """The documents of ``docs`` within the date filter, or without a date for 'undated'
    (``docs`` itself when there is no date filter)."""
    if request.undated:
        return docs & dates.undated_set
    start, end = request.day_range()
    if (start or end) and docs:
        low = date_number(start) if start else None
        high = date_number(end) if end else None
        return dates.overlapping(docs, low, high)
    return docs


def selected(
    docs: set[int], selections: dict[str, set[int]], excluded: dict[str, set[int]]
) -> set[int]:
    """The documents that also have every selected facet value and no left-out one."""
    found = set(docs)
    for chosen in selections.values():
        found &= chosen
    for left_out in excluded.values():
        found -= left_out
    return found


def matching_documents(
    searcher: Searcher,
    request: SearchRequest,
    authorities: Authorities | None,
    budget: Budget,
    concepts: ConceptTerms | None = None,
) -> set[int]:
    """The documents a search finds (query, people, dates and facets), without its page: a
    search's whole hit set, and what the network counts."""
    reader = searcher.reader()
    concepts = concepts if request.concepts else None
    present = present_prose_fields(reader)
    parsed = parse_query(request.q, searcher.schema, authorities, concepts, present)
    expanded = expanded_query(reader, parsed.query, budget)
    tables = facet_tables(reader)
    found = query_docs(searcher, expanded, request, budget, authorities)
    return selected(
        dated(found, request, date_table(reader)),
        selection_sets(tables, request.filters),
        selection_sets(tables, request.exclude),
    )


def matching_ids(
    searcher: Searcher,
    request: SearchRequest,
    authorities: Authorities | None,
    seconds: float,
    concepts: ConceptTerms | None = None,
) -> set[str]:
    """The ids of every letter the search finds, unranked: for judging a search by its whole
    hit set (a page of hits shows only the best)."""
    docs = matching_documents(searcher, request, authorities, Budget(seconds), concepts)
    return {searcher.stored_fields(doc)["id"] for doc in sorted(docs)}

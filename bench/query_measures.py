"""Query latency of both engines over a seeded set: hits only, and the full response."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.first_sight import first_sight_measures, warmup_set
from bench.fts5 import Fts5Index
from bench.queries import Query
from bench.stats import ratio


def _whoosh_filter(query: Query):  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    from indexer.engine.schema import FACET_FIELDS, date_number

    clauses: list[Any] = []
    if query.sender:
        clauses.append(wq.Term(FACET_FIELDS["sender"], query.sender))
    if query.date_to:
        clauses.append(wq.NumericRange("date_from", None, date_number(query.date_to)))
    if query.date_from:
        clauses.append(wq.NumericRange("date_to", date_number(query.date_from), None))
    return wq.And(clauses) if clauses else None


def request_for(query: Query):  # type: ignore[no-untyped-def]
    from indexer.request import SearchRequest

    return SearchRequest(
        q=query.q, filters=dict(query.filters), date_from=query.date_from, date_to=query.date_to
    )


class Engines:
    """Both engines opened on their built indexes, with one call per measured operation."""

    def __init__(self, index_root: Path, fts_path: Path) -> None:
        from indexer.archive import Archive
        from indexer.engine.index import LetterIndex

        self.index = LetterIndex(index_root)
        self.archive = Archive(index_root, result_cache=0)  # uncached: the headline figures
        self.archive.warm()  # the generation's tables and spelling lexicon, as a server's warmer
        self.searcher = self.index.searcher()
        self.fts = Fts5Index(fts_path)

    def close(self) -> None:
        self.searcher.close()
        self.fts.close()

    def reopen(self) -> None:
        """A new searcher on the index as it is now (never ``Searcher.refresh()``, which in
        whoosh-reloaded brings deleted documents back)."""
        self.searcher.close()
        self.searcher = self.index.searcher()

    def ours_hits(self, query: Query) -> int:
        from indexer.engine.query import parse_query
        from indexer.engine.schema import present_prose_fields

        present = present_prose_fields(self.searcher.reader())  # as the app searches
        parsed = parse_query(query.q, self.searcher.schema, None, present=present)
        results = self.searcher.search(parsed.query, limit=10, filter=_whoosh_filter(query))
        return len([hit["id"] for hit in results])

    def ours_full(self, query: Query) -> int:
        with self.archive.session() as session:
            result = session.search(request_for(query))
        return len(result.hits)

    def fts_hits(self, query: Query) -> int:
        hits = self.fts.search(
            query.match, sender=query.sender, date_from=query.date_from, date_to=query.date_to
        )
        return len(hits)

    def fts_full(self, query: Query) -> int:
        hits = self.fts.search(
            query.match,
            snippets=True,
            sender=query.sender,
            date_from=query.date_from,
            date_to=query.date_to,
        )
        return len(hits)


#: the headline first: nothing it reads was warmed by another operation on the same query
OPERATIONS = ("ours_full", "fts_full", "ours_hits", "fts_hits")


def query_measures(
    engines: Engines, queries: list[Query], warmup: list[Query], label: str = "queries"
) -> dict[str, Any]:
    """Latency of each operation over a set: first sight (uncached, the headline; at the top
    level) after a warm-up on other queries, and a repeat (``cached``), per kind
    (:mod:`bench.first_sight`)."""
    operations = {op: getattr(engines, op) for op in OPERATIONS}
    result = first_sight_measures(operations, queries, warmup_set(warmup, queries), label)
    result["ratio_hits_p95"] = ratio(result["ours_hits"]["p95_ms"], result["fts_hits"]["p95_ms"])
    return result

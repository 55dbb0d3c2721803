"""Query latency of both engines over the seeded mix: hits only, and the full response."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.fts5 import Fts5Index
from bench.logs import log
from bench.queries import Query
from bench.stats import latency_summary, ratio, timed


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


OPERATIONS = ("ours_hits", "fts_hits", "ours_full", "fts_full")


def query_measures(engines: Engines, queries: list[Query], repeat: int) -> dict[str, Any]:
    """Latency of each operation over the mix: one untimed warm-up pass, then ``repeat``."""
    times: dict[str, list[float]] = {op: [] for op in OPERATIONS}
    by_kind: dict[str, dict[str, list[float]]] = {}
    empty: dict[str, int] = dict.fromkeys(OPERATIONS, 0)
    slowest: dict[str, tuple[float, Query]] = {}
    for round_ in range(repeat + 1):
        log(f"queries: pass {round_ + 1} of {repeat + 1}{' (warm-up)' if round_ == 0 else ''}")
        for query in queries:
            for op in OPERATIONS:
                seconds, count = timed(lambda op=op, query=query: getattr(engines, op)(query))
                if round_ == 0:
                    empty[op] += count == 0
                    continue
                times[op].append(seconds)
                by_kind.setdefault(query.kind, {}).setdefault(op, []).append(seconds)
                if op not in slowest or seconds > slowest[op][0]:
                    slowest[op] = (seconds, query)
    result: dict[str, Any] = {op: latency_summary(times[op]) for op in OPERATIONS}
    result["queries"] = len(queries)
    result["repeat"] = repeat
    result["queries_without_hits"] = empty
    result["by_kind_p50_ms"] = {
        kind: {op: latency_summary(v)["p50_ms"] for op, v in ops.items()}
        for kind, ops in sorted(by_kind.items())
    }
    result["by_kind"] = {
        kind: {op: latency_summary(v) for op, v in ops.items()}
        for kind, ops in sorted(by_kind.items())
    }
    result["slowest"] = {
        op: {"ms": round(seconds * 1000, 1), "kind": query.kind, "q": query.q}
        for op, (seconds, query) in slowest.items()
    }
    result["ratio_full_p99"] = ratio(result["ours_full"]["p99_ms"], result["fts_full"]["p99_ms"])
    result["ratio_hits_p95"] = ratio(result["ours_hits"]["p95_ms"], result["fts_hits"]["p95_ms"])
    result["ratio_full_p95"] = ratio(result["ours_full"]["p95_ms"], result["fts_full"]["p95_ms"])
    result["ratio_full_p50"] = ratio(result["ours_full"]["p50_ms"], result["fts_full"]["p50_ms"])
    return result

"""Latency on first sight (uncached) and on a repeat (cached), per query kind, tail included.

A results cache answers a repeated identical request from memory, so a benchmark that warms up
on its own queries, or times them twice, measures the cache. Here the warm-up is a separate
seeded set (none of its requests is one of the measured ones), each measured request is timed
once on first sight — the uncached headline — and then once more, reported apart as "cached".
A request that comes up twice in a set is timed uncached only the first time. Nothing here
knows the cache's API: only the order of the requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bench.logs import log
from bench.queries import Query
from bench.stats import latency_summary, ratio, timed

#: one measured operation: runs a query, answers how many hits it found
Operation = Callable[[Query], int]
FULL, PEER = "ours_full", "fts_full"  # the headline pair: our full response, FTS5's + snippet


def query_key(query: Query) -> tuple[Any, ...]:
    """What makes two queries the same request (for a cache: the same answer)."""
    filters = tuple(sorted((name, tuple(values)) for name, values in query.filters.items()))
    return (query.q, query.sender, query.date_from, query.date_to, filters)


def warmup_set(candidates: Sequence[Query], measured: Sequence[Query]) -> list[Query]:
    """The candidates that are none of the measured requests (warming them would cache them)."""
    taken = {query_key(q) for q in measured}
    return [q for q in candidates if query_key(q) not in taken]


def first_sight_measures(
    operations: Mapping[str, Operation],
    queries: Sequence[Query],
    warmup: Sequence[Query],
    label: str = "queries",
) -> dict[str, Any]:
    """Each operation on each query: warm-up (untimed), first sight, then a repeat.

    The operations run in the order given for each query (put the headline first, so that
    nothing it depends on was warmed by another operation on the same query). Returns the
    uncached summary at the top level (as :func:`summarize`) with the repeat under ``cached``.
    An operation that raises on a query is a failure of the engine, not of the run: it is
    listed under ``failures`` (operation, kind, query, error) and the rest is measured.
    """
    failures: list[dict[str, str]] = []
    log(f"{label}: warm-up, {len(warmup)} other queries (untimed)")
    for query in warmup:
        _run(operations, query, failures)
    first: list[tuple[Query, dict[str, float]]] = []
    repeat: list[tuple[Query, dict[str, float]]] = []
    seen: set[tuple[Any, ...]] = set()
    for name, pass_ in (("first sight", first), ("repeat", repeat)):
        log(f"{label}: {name}, {len(queries)} queries")
        for query in queries:
            key = query_key(query)
            target = pass_ if pass_ is repeat or key not in seen else repeat
            seen.add(key)
            target.append((query, _run(operations, query, failures)))
    uncached = summarize(first, list(operations))
    uncached["cached"] = summarize(repeat, list(operations))
    uncached["warmup_queries"] = len(warmup)
    uncached["repeated_in_set"] = len(queries) - len(first)
    unique = {(f["op"], f["q"], f["error"]): f for f in failures}  # each once, not per pass
    uncached["failures"] = list(unique.values())
    return uncached


def _run(
    operations: Mapping[str, Operation], query: Query, failures: list[dict[str, str]]
) -> dict[str, float]:
    """Times and hit counts of the operations that answered (a failure has neither)."""
    times, hits = {}, {}
    for name, op in operations.items():
        try:
            times[name], hits[name] = timed(lambda op=op, query=query: op(query))
        except Exception as exc:  # the engine's bug, named in the results
            error = f"{type(exc).__name__}: {exc}"
            failures.append({"op": name, "kind": query.kind, "q": query.q, "error": error})
    return {**times, **{f"{name}#hits": float(n) for name, n in hits.items()}}


Row = tuple[Query, dict[str, float]]


def summarize(rows: Sequence[Row], ops: list[str]) -> dict[str, Any]:
    """p50/p95/p99/max per operation, overall and per kind; the slowest query of each kind;
    the queries without hits; the headline ratios (ours full / FTS5 full) when both ran."""
    result: dict[str, Any] = {"queries": len(rows)}
    if not rows:
        return result
    kinds = sorted({q.kind for q, _ in rows})

    def answered(op: str, kind: str | None = None, but: str | None = None) -> list[Row]:
        return [(q, t) for q, t in rows if op in t and kind in (None, q.kind) and q.kind != but]

    ops = [op for op in ops if answered(op)]
    for op in ops:
        result[op] = latency_summary([t[op] for _, t in answered(op)])
    result["without_hits"] = {op: sum(t[f"{op}#hits"] == 0 for _, t in answered(op)) for op in ops}
    by_kind = {kind: {op: answered(op, kind) for op in ops} for kind in kinds}
    result["by_kind"] = {
        kind: {op: latency_summary([t[op] for _, t in got]) for op, got in per_op.items() if got}
        for kind, per_op in by_kind.items()
    }
    result["slowest"] = {
        kind: {op: _slowest(got, op) for op, got in per_op.items() if got}
        for kind, per_op in by_kind.items()
    }
    result["slowest_all"] = {op: _slowest(answered(op), op) for op in ops}
    if any(q.kind == "zero_hit" for q, _ in rows) and any(q.kind != "zero_hit" for q, _ in rows):
        result["not_zero_hit"] = {
            op: latency_summary([t[op] for _, t in answered(op, but="zero_hit")])
            for op in ops
            if answered(op, but="zero_hit")
        }
    if FULL in ops and PEER in ops:
        for p in ("p50", "p95", "p99"):
            result[f"ratio_full_{p}"] = ratio(result[FULL][f"{p}_ms"], result[PEER][f"{p}_ms"])
    return result


def _slowest(rows: Sequence[Row], op: str) -> dict[str, Any]:
    query, times = max(rows, key=lambda row: row[1][op])
    return {"ms": round(times[op] * 1000, 1), "kind": query.kind, "q": query.q}

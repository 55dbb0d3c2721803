"""A/B of the ranking in one process: Whoosh's matchers (A, as before the vectorised scoring)
against every candidate scored at once with numpy (B), on the same index and queries.

``python -m bench.vector_ab [--name 20news] [--work var/bench] [--repeat 2] [--step phrases]``

``--step phrases`` compares instead phrases and proximity queries matched by Whoosh's span
matchers (A, as before :mod:`indexer.engine.positions`) with positions decoded once (B);
``--step records`` each searcher reading its own stored-records table (A) with the table read
once per generation (B, :mod:`indexer.engine.storedcolumns`). The results cache is off.

The broad query set (:mod:`bench.broad_queries`) is run through full responses
(``session.search``: hits, facets, snippets, suggestion; one session per request as the web app
opens one), A and B alternating query by query so that a busy machine slows both alike. Each
query's hit ids must be the same under A and B (the report counts any that differ). Reported
per kind: p50/p95/p99/max of each, B/A ratios, the slowest query of each, and the process's
memory (RSS) before and after the set. Writes ``bench/results/vector-ab-<name>.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.broad_queries import build_broad_mix
from bench.fts5 import letter_files
from bench.query_measures import request_for
from bench.server_process import REPO
from bench.stats import latency_summary, process_memory_kb, ratio, timed

PATHS = ("A", "B")


@contextmanager
def ranking(path: str) -> Iterator[None]:
    """Inside, searches match and rank as before (A: each term's documents decoded by
    Whoosh every time, candidates scored by Whoosh's matchers) or as the app does now (B:
    postings decoded once per generation, every candidate scored at once)."""
    import indexer.engine.docsets as docsets
    import indexer.engine.search as search_module

    top_scored, term_docs = docsets.top_scored, docsets._term_docs
    if path == "A":
        search_module.top_scored = docsets.whoosh_top_scored  # type: ignore[assignment]
        docsets._term_docs = _whoosh_term_docs
    try:
        yield
    finally:
        search_module.top_scored = top_scored  # type: ignore[assignment]
        docsets._term_docs = term_docs


@contextmanager
def phrase_matching(path: str) -> Iterator[None]:
    """Inside, phrases and proximity queries are matched and scored by Whoosh's span matchers
    (A: as before the positions cache) or on decoded positions (B: as the app does now)."""
    import indexer.engine.docsets as docsets
    from indexer.engine.vectorscore import _Evaluation

    near_docs, near_words = docsets._near_docs, _Evaluation.near_words
    if path == "A":
        docsets._near_docs = _whoosh_near_docs  # type: ignore[assignment]
        _Evaluation.near_words = lambda _self, _q: None  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        docsets._near_docs = near_docs
        _Evaluation.near_words = near_words  # type: ignore[method-assign]


@contextmanager
def record_tables(path: str) -> Iterator[None]:
    """Inside, each new searcher reads its stored-records table itself (A) or is given the
    generation's (B, as the app does now)."""
    import indexer.engine.index as index_module

    share = index_module.share_record_tables
    if path == "A":
        index_module.share_record_tables = lambda _reader: None
    try:
        yield
    finally:
        index_module.share_record_tables = share


STEPS = {"vector": ranking, "phrases": phrase_matching, "records": record_tables}


def _whoosh_near_docs(searcher: Any, q: Any, budget: Any) -> set[int] | None:
    """A phrase's letters as matching found them before: none if no letter holds all its
    words, else Whoosh's matcher (None)."""
    import indexer.engine.docsets as docsets

    return set() if docsets.holding_all_words(searcher, q) == set() else None


def _whoosh_term_docs(searcher: Any, fieldname: str, text: str | bytes) -> set[int]:
    """A term's documents as matching read them before the postings cache."""
    docs: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (fieldname, text) in reader:
            ids = reader.postings(fieldname, text).all_ids()
            docs.update(ids if offset == 0 else (offset + d for d in ids))
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vector_ab", description=__doc__)
    parser.add_argument("--name", default="20news", help="run name (folder under --work)")
    parser.add_argument("--work", default=str(REPO / "var" / "bench"))
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--repeat", type=int, default=2, help="timed passes over the set")
    parser.add_argument("--step", choices=tuple(STEPS), default="vector")
    args = parser.parse_args(argv)
    from indexer.archive import Archive
    from indexer.engine.index import LetterIndex

    run_dir = Path(args.work) / args.name
    index_root = run_dir / "ours"
    if not LetterIndex(index_root).exists():
        print(f"no index at {index_root}: run 'python -m bench --corpus …' first", file=sys.stderr)
        return 1
    archive = Archive(index_root, result_cache=0)  # each pass searches: nothing is replayed
    queries = build_broad_mix(letter_files(run_dir / "corpus"))
    switch = STEPS[args.step]

    def search(query: Any) -> Callable[[], list[str]]:
        def run() -> list[str]:
            with archive.session() as session:
                return [hit.id for hit in session.search(request_for(query)).hits]

        return run

    memory_before = process_memory_kb()
    times: dict[str, dict[str, list[float]]] = {p: {} for p in PATHS}
    slowest: dict[str, tuple[float, str, str]] = {p: (0.0, "", "") for p in PATHS}
    differing: list[str] = []
    for repeat in range(args.repeat + 1):  # the first pass warms caches, untimed
        for n, query in enumerate(queries):
            hits = {}
            for path in PATHS if n % 2 == 0 else PATHS[::-1]:
                with switch(path):
                    seconds, hits[path] = timed(search(query))
                if repeat:
                    times[path].setdefault(query.kind, []).append(seconds)
                    if seconds > slowest[path][0]:
                        slowest[path] = (seconds, query.kind, query.q)
            if hits["A"] != hits["B"] and repeat == 0:
                differing.append(query.q)
        if repeat == 0:
            memory_warm = process_memory_kb()
    memory_after = process_memory_kb()
    memory = {"start": memory_before, "warm": memory_warm, "end": memory_after}
    report = _report(times, slowest, differing, memory)
    step = "" if args.step == "vector" else f"{args.step}-"
    out = Path(args.out) / f"vector-ab-{step}{args.name}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(_markdown(report))
    print(f"written: {out}")
    return 1 if differing else 0


def _report(
    times: dict[str, dict[str, list[float]]],
    slowest: dict[str, tuple[float, str, str]],
    differing: list[str],
    memory: dict[str, dict[str, int]],
) -> dict[str, Any]:
    kinds: dict[str, Any] = {}
    for kind in [*times["A"], "all"]:
        a = times["A"][kind] if kind != "all" else [t for ts in times["A"].values() for t in ts]
        b = times["B"][kind] if kind != "all" else [t for ts in times["B"].values() for t in ts]
        sa, sb = latency_summary(a), latency_summary(b)
        kinds[kind] = {
            "A": sa,
            "B": sb,
            "B/A": {k: ratio(sb[k], sa[k]) for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")},
        }
    return {
        "kinds": kinds,
        "slowest": {
            p: {"ms": round(s * 1000, 1), "kind": k, "q": q} for p, (s, k, q) in slowest.items()
        },
        "hits_differ": differing,
        "memory_kb": memory,
    }


def _markdown(report: dict[str, Any]) -> str:
    lines = [
        "| kind | A p50 / p95 / p99 / max ms | B p50 / p95 / p99 / max ms | B/A (same) |",
        "|---|---:|---:|---:|",
    ]
    keys = ("p50_ms", "p95_ms", "p99_ms", "max_ms")
    for kind, row in report["kinds"].items():
        a = " / ".join(f"{row['A'][k]:.1f}" for k in keys)
        b = " / ".join(f"{row['B'][k]:.1f}" for k in keys)
        r = " / ".join(f"{row['B/A'][k]}" for k in keys)
        lines.append(f"| {kind} (n={row['A']['n']}) | {a} | {b} | {r} |")
    for path, worst in report["slowest"].items():
        lines.append(f"slowest {path}: {worst['ms']} ms, {worst['kind']} {worst['q']!r}")
    memory = report["memory_kb"]
    lines.append(
        f"RSS at start {memory['start'].get('VmRSS')} KiB, after the warm-up pass"
        f" {memory['warm'].get('VmRSS')} KiB, at the end {memory['end'].get('VmRSS')} KiB"
        f" (peak {memory['end'].get('VmHWM')} KiB); hits differing: {len(report['hits_differ'])}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

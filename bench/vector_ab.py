"""A/B of the ranking in one process: Whoosh's matchers (A, as before the vectorised scoring)
against every candidate scored at once with numpy (B), on the same index and queries.

``python -m bench.vector_ab [--name 20news] [--work var/bench] [--repeat 2]``

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
    args = parser.parse_args(argv)
    from indexer.archive import Archive
    from indexer.engine.index import LetterIndex

    run_dir = Path(args.work) / args.name
    index_root = run_dir / "ours"
    if not LetterIndex(index_root).exists():
        print(f"no index at {index_root}: run 'python -m bench --corpus …' first", file=sys.stderr)
        return 1
    archive = Archive(index_root)
    queries = build_broad_mix(letter_files(run_dir / "corpus"))

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
                with ranking(path):
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
    out = Path(args.out) / f"vector-ab-{args.name}.json"
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

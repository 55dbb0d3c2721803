"""Facet counts over the whole archive, and the incremental update of one changed letter."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from bench.fts5 import letter_files
from bench.query_measures import Engines
from bench.stats import latency_summary, ratio, timed

FACET_RUNS = 20
UPDATE_RUNS = 5


def facet_measures(engines: Engines) -> dict[str, Any]:
    """Facet counts over the whole archive: our empty-query response and its facet part."""
    from indexer.engine import facets
    from indexer.engine.schema import FACET_FIELDS
    from indexer.request import SearchRequest

    def ours_response() -> int:
        with engines.archive.session() as session:
            return len(session.search(SearchRequest()).facets)

    def ours_counting() -> int:
        # the facet module is being reworked: use its per-generation tables when it has them
        reader = engines.searcher.reader()
        docs = set(reader.all_doc_ids())
        if hasattr(facets, "facet_tables"):
            tables = facets.facet_tables(reader)
        else:
            tables = {facet: facets.value_postings(reader, facet) for facet in FACET_FIELDS}
        return len(facets.count_facets(docs, tables, {}, {}))

    def fts() -> int:
        return len(engines.fts.facet_counts())

    result: dict[str, Any] = {}
    for name, func in (
        ("ours_response", ours_response),
        ("ours_counting", ours_counting),
        ("fts", fts),
    ):
        try:
            func()  # warm-up
            result[name] = latency_summary([timed(func)[0] for _ in range(FACET_RUNS)])
        except Exception as exc:  # the indexer's internals change under us: note, go on
            result[name] = {"error": f"{type(exc).__name__}: {exc}"}
    fts_p95 = result["fts"].get("p95_ms")
    result["ratio_response_p95"] = ratio(result["ours_response"].get("p95_ms"), fts_p95)
    result["ratio_counting_p95"] = ratio(result["ours_counting"].get("p95_ms"), fts_p95)
    return result


def update_measures(engines: Engines, corpus: Path) -> dict[str, Any]:
    """Change one letter file, then ``LetterIndex.update(corpus, only=[file])`` (``letters index
    FILE``) / FTS5 re-index of that file.

    ``UPDATE_RUNS`` different files, each changed by one appended line; the files are restored
    (and the indexes brought back in line, untimed) afterwards. Also timed: an update that
    walks the whole corpus to find the one changed file (``letters index``).
    """
    from indexer.engine.index import LetterIndex

    files = letter_files(corpus)
    rng = random.Random(7)
    chosen = [files[rng.randrange(len(files))] for _ in range(UPDATE_RUNS)]
    originals = {path: path.read_bytes() for path in chosen}
    ours: list[float] = []
    fts: list[float] = []
    scans: list[float] = []
    noop, report = timed(lambda: LetterIndex(engines.index.root).update(corpus))
    problems = [] if report.total_changes == 0 else [f"no-op update changed {report.total_changes}"]
    try:
        for k, path in enumerate(chosen):
            path.write_bytes(originals[path] + f"\nEdited by the benchmark (run {k}).\n".encode())
            seconds, report = timed(
                lambda path=path: LetterIndex(engines.index.root).update(corpus, only=[path])
            )
            if len(report.updated) != 1:
                problems.append(f"update {k}: {report.updated} {report.errors}")
            ours.append(seconds)
            fts.append(timed(lambda path=path: engines.fts.update_file(path, corpus))[0])
            path.write_bytes(originals[path] + f"\nEdited again (run {k}).\n".encode())
            seconds, report = timed(lambda: LetterIndex(engines.index.root).update(corpus))
            if len(report.updated) != 1:
                problems.append(f"full-scan update {k}: {report.updated} {report.errors}")
            scans.append(seconds)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        LetterIndex(engines.index.root).update(corpus)
        for path in originals:
            engines.fts.update_file(path, corpus)
        engines.reopen()
    result = {
        "ours": latency_summary(ours),
        "fts": latency_summary(fts),
        "ours_full_scan": latency_summary(scans),
        "ours_nothing_changed_ms": round(noop * 1000, 1),
        "problems": problems,
    }
    result["ratio_p50"] = ratio(result["ours"]["p50_ms"], result["fts"]["p50_ms"])
    return result

"""One evaluation: load a collection, rank its queries with both engines, score the rankings."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from indexer.engine.collection_index import TUNED, OursEngine, OursParams
from indexer.evaluation import metrics
from indexer.evaluation.collections import DEPTH, Collection, Run, load_collection
from indexer.evaluation.reference import ReferenceBM25

ENGINES = ("ours", "reference")


def subset(collection: Collection, max_queries: int | None) -> Collection:
    """The collection with only its first ``max_queries`` judged queries (file order)."""
    if max_queries is None or max_queries >= len(collection.queries):
        return collection
    keep = list(collection.queries)[:max_queries]
    return Collection(
        name=collection.name,
        docs=collection.docs,
        queries={qid: collection.queries[qid] for qid in keep},
        qrels={qid: collection.qrels[qid] for qid in keep},
        split=collection.split,
        notes=collection.notes,
    )


def score_run(run: Run, qrels: dict[str, dict[str, int]], k: int = 10) -> dict[str, float]:
    """nDCG@k, Recall@100 and MAP (over the top 100) of one run, rounded to 4 places."""
    return {
        f"ndcg@{k}": round(metrics.mean_ndcg(run, qrels, k), 4),
        f"recall@{DEPTH}": round(metrics.mean_recall(run, qrels, DEPTH), 4),
        "map": round(metrics.mean_average_precision(run, qrels, DEPTH), 4),
    }


def evaluate(
    path: Path | str,
    split: str = "train",
    k: int = 10,
    params: OursParams | None = None,
    max_queries: int | None = None,
) -> dict[str, Any]:
    """Evaluate ``ours`` (with ``params``, default: the tuned ones) against the reference BM25.

    Returns ``{"collection", "split", "queries", "docs", "k", "depth", "seconds",
    "engines": {"ours": {metrics..., "seconds", "params"}, "reference": {...}}, "notes"}``;
    ``queries`` counts the queries that have a relevant document (those the means are over).
    """
    started = time.perf_counter()
    collection = subset(load_collection(path, split), max_queries)
    loaded = time.perf_counter()
    params = params or TUNED
    engines: dict[str, dict[str, Any]] = {}

    clock = time.perf_counter()
    with OursEngine(collection) as ours:
        run = ours.run(params)
    engines["ours"] = {
        **score_run(run, collection.qrels, k),
        "seconds": round(time.perf_counter() - clock, 2),
        "params": params.to_dict(),
    }

    clock = time.perf_counter()
    run = ReferenceBM25(collection).run()
    engines["reference"] = {
        **score_run(run, collection.qrels, k),
        "seconds": round(time.perf_counter() - clock, 2),
        "params": {"k1": 0.9, "b": 0.4},
    }
    return {
        "collection": collection.name,
        "split": collection.split,
        "queries": len(metrics.scored_queries(collection.qrels)),
        "docs": len(collection.docs),
        "k": k,
        "depth": DEPTH,
        "load_seconds": round(loaded - started, 2),
        "seconds": round(time.perf_counter() - started, 2),
        "engines": engines,
        "notes": collection.notes,
    }

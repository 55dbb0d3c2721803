"""Ranking metrics: nDCG@k, Recall@k and average precision, per query and averaged.

A *ranking* is a list of document ids, best first. *Judgments* map document id -> grade for one
query; a grade above 0 means relevant, higher is better (0 or missing: not relevant). Gains
are linear in the grade and the discount is log2(rank + 1), as in trec_eval and BEIR.

Means are taken over the queries that have at least one relevant document; a query without
relevant documents has no defined score and is left out (a query with judgments but no
ranking counts, with score 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

Ranking = Sequence[str]
Judgments = Mapping[str, int]
Run = Mapping[str, Ranking]
Qrels = Mapping[str, Judgments]
Metric = Callable[[Ranking, Judgments, int], float]


def _unique(ranking: Ranking) -> list[str]:
    """The ranking with repeated ids dropped (a document counts once, at its first rank)."""
    return list(dict.fromkeys(ranking))


def relevant(judgments: Judgments) -> set[str]:
    """The documents judged relevant (grade above 0)."""
    return {doc for doc, grade in judgments.items() if grade > 0}


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain: sum of gain / log2(rank + 1), ranks counted from 1."""
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))


def ndcg_at_k(ranking: Ranking, judgments: Judgments, k: int = 10) -> float:
    """nDCG@k: DCG of the top k divided by the DCG of the best possible top k (0 if none)."""
    gains = [max(judgments.get(doc, 0), 0) for doc in _unique(ranking)[:k]]
    ideal = sorted((g for g in judgments.values() if g > 0), reverse=True)[:k]
    best = dcg(ideal)
    return dcg(gains) / best if best > 0 else 0.0


def recall_at_k(ranking: Ranking, judgments: Judgments, k: int = 100) -> float:
    """Recall@k: the share of all relevant documents found in the top k (0 if none)."""
    wanted = relevant(judgments)
    if not wanted:
        return 0.0
    return len(wanted.intersection(_unique(ranking)[:k])) / len(wanted)


def average_precision(ranking: Ranking, judgments: Judgments, k: int | None = None) -> float:
    """Average precision: precision at each relevant hit, summed, over *all* relevant docs.

    Relevant documents missing from the ranking (or below rank k) contribute 0.
    """
    wanted = relevant(judgments)
    if not wanted:
        return 0.0
    ranked = _unique(ranking)
    if k is not None:
        ranked = ranked[:k]
    found, total = 0, 0.0
    for rank, doc in enumerate(ranked, start=1):
        if doc in wanted:
            found += 1
            total += found / rank
    return total / len(wanted)


def scored_queries(qrels: Qrels) -> list[str]:
    """The query ids that have at least one relevant document, in qrels order."""
    return [qid for qid, judgments in qrels.items() if relevant(judgments)]


def per_query(metric: Metric, run: Run, qrels: Qrels, k: int) -> dict[str, float]:
    """``metric(ranking, judgments, k)`` for every query with a relevant document."""
    return {qid: metric(run.get(qid, []), qrels[qid], k) for qid in scored_queries(qrels)}


def mean(scores: Mapping[str, float]) -> float:
    """Arithmetic mean of per-query scores (0 for no queries)."""
    return sum(scores.values()) / len(scores) if scores else 0.0


def mean_ndcg(run: Run, qrels: Qrels, k: int = 10) -> float:
    """Mean nDCG@k over the queries with a relevant document."""
    return mean(per_query(ndcg_at_k, run, qrels, k))


def mean_recall(run: Run, qrels: Qrels, k: int = 100) -> float:
    """Mean Recall@k over the queries with a relevant document."""
    return mean(per_query(recall_at_k, run, qrels, k))


def mean_average_precision(run: Run, qrels: Qrels, k: int | None = None) -> float:
    """MAP over the queries with a relevant document (optionally cut at rank k)."""
    scores = {
        qid: average_precision(run.get(qid, []), qrels[qid], k) for qid in scored_queries(qrels)
    }
    return mean(scores)

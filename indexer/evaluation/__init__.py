"""Measuring search quality on standard IR test collections (BEIR SciFact, Cranfield).

``collections`` loads a collection, ``engines`` ranks its documents with the project's own
Whoosh set-up ("ours") and with an independent pure-Python BM25 ("reference"), ``metrics``
scores the rankings against the relevance judgments and ``run`` ties it together.
"""

from indexer.evaluation.collections import Collection, CollectionError, load_collection
from indexer.evaluation.engines import OursParams, run_ours, run_reference
from indexer.evaluation.run import evaluate

__all__ = [
    "Collection",
    "CollectionError",
    "OursParams",
    "evaluate",
    "load_collection",
    "run_ours",
    "run_reference",
]

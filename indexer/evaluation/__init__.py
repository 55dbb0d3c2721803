"""Measuring search quality on standard IR test collections (BEIR SciFact, Cranfield).

``collections`` loads a collection, :mod:`indexer.engine.collection_index` ranks its documents
with the project's own Whoosh set-up ("ours"), ``reference`` with an independent pure-Python
BM25, ``metrics`` scores the rankings against the relevance judgments and ``run`` ties it
together.
"""

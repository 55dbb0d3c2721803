"""The reference engine: plain BM25 written in pure Python, to compare "ours" against.

BM25 (k1=0.9, b=0.4, Lucene's idf) over title + text, with Lucene's English stop words and
Snowball stemming, over a dict-based inverted index: independent of Whoosh's indexing and
scoring. Only the stemmer is shared with ours
(:func:`indexer.engine.collection_index.english_stem`), so that a difference between the engines
is one of indexing and ranking, not of stemming.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter

from indexer.engine.collection_index import english_stem
from indexer.evaluation.collections import DEPTH, Collection, Run

#: Lucene's English stop words (EnglishAnalyzer / StopAnalyzer.ENGLISH_STOP_WORDS_SET)
LUCENE_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def reference_terms(text: str) -> list[str]:
    """Lower-cased words, possessive 's dropped, Lucene's stop words removed, Snowball-stemmed."""
    terms = []
    for match in _TOKEN.finditer(text.lower()):
        word = match.group(0).replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        word = word.replace("'", "")
        if word and word not in LUCENE_STOP_WORDS:
            terms.append(english_stem(word))
    return terms


class ReferenceBM25:
    """BM25 over title + text: score = sum over query terms of qtf * idf * tf / (tf + K),

    K = k1 * (1 - b + b * dl / avgdl), idf = log(1 + (N - df + 0.5) / (df + 0.5)) (Lucene).
    """

    def __init__(self, collection: Collection) -> None:
        self.collection = collection
        self.postings: dict[str, dict[str, int]] = {}
        self.lengths: dict[str, int] = {}
        for doc_id, (title, text) in collection.docs.items():
            terms = reference_terms(f"{title}\n{text}")
            self.lengths[doc_id] = len(terms)
            for term, tf in Counter(terms).items():
                self.postings.setdefault(term, {})[doc_id] = tf
        n = len(self.lengths)
        self.avgdl = (sum(self.lengths.values()) / n) if n else 0.0
        self.idf = {
            term: math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            for term, docs in self.postings.items()
        }

    def search(self, text: str, k1: float = 0.9, b: float = 0.4, limit: int = DEPTH) -> list[str]:
        avgdl = self.avgdl or 1.0
        scores: dict[str, float] = {}
        for term, qtf in Counter(reference_terms(text)).items():
            docs = self.postings.get(term)
            if not docs:
                continue
            weight = qtf * self.idf[term]
            for doc_id, tf in docs.items():
                norm = k1 * (1 - b + b * self.lengths[doc_id] / avgdl)
                scores[doc_id] = scores.get(doc_id, 0.0) + weight * tf / (tf + norm)
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
        return [doc_id for doc_id, _ in best]

    def run(self, k1: float = 0.9, b: float = 0.4, limit: int = DEPTH) -> Run:
        return {
            qid: self.search(text, k1, b, limit) for qid, text in self.collection.queries.items()
        }


def run_reference(
    collection: Collection, k1: float = 0.9, b: float = 0.4, limit: int = DEPTH
) -> Run:
    """Rank every query of ``collection`` with the reference BM25."""
    return ReferenceBM25(collection).run(k1, b, limit)

"""The ranking function: BM25F with one idf per term for the whole letter.

Whoosh's ``BM25F`` scores each field as its own BM25 and gives a term a different idf in every
field, from how many documents have it *in that field*: a word that is common in letters but
rare in titles then counts as rare in a title. BM25F proper (Robertson, Zaragoza & Taylor,
2004) has one idf per term, taken over documents. Here a short field takes its idf from the
matching body field, whose documents are the letters themselves, with the usual BM25
(Lucene) formula ``log(1 + (N - df + 0.5) / (df + 0.5))``, which never goes negative.
On SciFact train this ranks better than Whoosh's idf (see README, "Search quality").

:data:`WEIGHTS` holds BM25's k1 and b (and the titles' own b) for the app's searcher and for
``letters eval`` alike (:mod:`indexer.engine.collection_index`): they are chosen by their worst
case over SciFact train and Cranfield against a plain BM25 (``python -m bench.ranking_sweep``),
so one place decides how both rank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from whoosh import scoring
from whoosh.searching import Searcher

from indexer.engine.schema import PROSE_LANGUAGES, prose_field

#: fields whose idf comes from another field: titles and summaries from the body of their
#: language (their exact twins, for quoted phrases, from the exact body)
ARCHIVE_IDF_FIELDS = {
    **{prose_field("title", lang): prose_field("body", lang) for lang in (*PROSE_LANGUAGES, "xx")},
    "summary": "body",
    "exact_title": "exact_body",
    "exact_summary": "exact_body",
}


#: the titles' fields (each language's and the exact twin): what ``title_b`` applies to
TITLE_FIELDS = (*(prose_field("title", lang) for lang in (*PROSE_LANGUAGES, "xx")), "exact_title")


@dataclass(frozen=True)
class Bm25Weights:
    """BM25's saturation ``k1``, length normalisation ``b``, and the titles' own ``b``
    (``None``: the same ``b``)."""

    k1: float
    b: float
    title_b: float | None = None


#: the ranking's defaults, for the app and the evaluation (README, "Search quality")
WEIGHTS = Bm25Weights(k1=1.0, b=0.4, title_b=None)


class DocumentIdfBM25F(scoring.BM25F):
    """BM25F whose idf for a field comes from ``idf_fields`` (field -> field holding whole
    documents), falling back to the field's own document frequency when the term is absent
    there. ``<field>_B`` keywords set a field's own B, as for Whoosh's ``BM25F``."""

    def __init__(
        self,
        idf_fields: Mapping[str, str] | None = None,
        B: float = WEIGHTS.b,
        K1: float = WEIGHTS.k1,
        **field_B: float,
    ) -> None:
        super().__init__(B=B, K1=K1, **field_B)
        self.idf_fields = dict(ARCHIVE_IDF_FIELDS if idf_fields is None else idf_fields)

    def idf(self, searcher: Searcher, fieldname: str, text: str | bytes) -> float:
        parent = searcher.get_parent()
        df = 0
        source = self.idf_fields.get(fieldname)
        if source is not None and source in parent.schema:
            df = parent.doc_frequency(source, text)
        if df == 0:
            df = parent.doc_frequency(fieldname, text)
        n = parent.doc_count_all()
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


def weighting(
    weights: Bm25Weights = WEIGHTS, idf_fields: Mapping[str, str] | None = None
) -> DocumentIdfBM25F:
    """The ranking function with ``weights``: what searchers of the archive rank with."""
    return DocumentIdfBM25F(idf_fields, B=weights.b, K1=weights.k1, **title_b(weights))


def title_b(weights: Bm25Weights, fields: Sequence[str] = TITLE_FIELDS) -> dict[str, float]:
    """Whoosh's ``<field>_B`` keywords giving ``fields`` the titles' own b (if one is set)."""
    if weights.title_b is None:
        return {}
    return {f"{field}_B": weights.title_b for field in fields}

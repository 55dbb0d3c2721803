"""The ranking function: BM25F with one idf per term for the whole letter.

Whoosh's ``BM25F`` scores each field as its own BM25 and gives a term a different idf in every
field, from how many documents have it *in that field*: a word that is common in letters but
rare in titles then counts as rare in a title. BM25F proper (Robertson, Zaragoza & Taylor,
2004) has one idf per term, taken over documents. Here a short field takes its idf from the
matching body field, whose documents are the letters themselves, with the usual BM25
(Lucene) formula ``log(1 + (N - df + 0.5) / (df + 0.5))``, which never goes negative.
On SciFact train this ranks better than Whoosh's idf (see README, "Search quality").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

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


class DocumentIdfBM25F(scoring.BM25F):
    """BM25F whose idf for a field comes from ``idf_fields`` (field -> field holding whole
    documents), falling back to the field's own document frequency when the term is absent
    there. ``<field>_B`` keywords set a field's own B, as for Whoosh's ``BM25F``."""

    def __init__(
        self,
        idf_fields: Mapping[str, str] | None = None,
        B: float = 0.75,
        K1: float = 1.2,
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

"""One idf per term for the whole letter (BM25F proper), as the searcher ranks."""

from __future__ import annotations

import math

import pytest

from indexer.engine.ranking import DocumentIdfBM25F


def bm25_idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def test_the_searcher_ranks_with_document_idf(searcher) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(searcher.weighting, DocumentIdfBM25F)


@pytest.mark.parametrize(
    ("field", "text", "df_field"),
    [
        ("title", "strike", "body"),  # a title word: the letters that have it in their body
        ("summary", "strike", "body"),
        ("body", "strike", "body"),
        ("sender", "ituc", "sender"),  # names keep their own field
        ("title", "zzznowhere", "title"),  # in no body: the field's own (zero) frequency
    ],
)
def test_idf_comes_from_the_body(searcher, field: str, text: str, df_field: str) -> None:  # type: ignore[no-untyped-def]
    n = searcher.doc_count_all()
    df = searcher.doc_frequency(df_field, text)
    assert searcher.idf(field, text) == pytest.approx(bm25_idf(n, df))
    if field == "title" and df_field == "body":
        assert searcher.doc_frequency("title", text) != df  # the two really differ here


def test_a_word_in_every_letter_still_counts(searcher) -> None:  # type: ignore[no-untyped-def]
    """Unlike BM25's original idf, this one never goes negative or zero."""
    assert searcher.doc_frequency("body", "kazakhstan") == searcher.doc_count_all()
    assert 0 < searcher.idf("body", "kazakhstan") < searcher.idf("body", "gabrielsen")

"""One idf per term for the whole letter (BM25F proper), as the searcher ranks; the app and
``letters eval`` rank with the same weights."""

from __future__ import annotations

import math

import pytest

from indexer.engine.collection_index import TUNED, OursEngine, OursParams
from indexer.engine.ranking import (
    ARCHIVE_IDF_FIELDS,
    TITLE_FIELDS,
    WEIGHTS,
    Bm25Weights,
    DocumentIdfBM25F,
    title_b,
    weighting,
)
from indexer.evaluation.collections import Collection


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


# --- one place for the weights: the app's searcher and ``letters eval`` -----------------------


def test_the_app_ranks_with_the_shared_weights(searcher) -> None:  # type: ignore[no-untyped-def]
    ranking = searcher.weighting
    assert (ranking.K1, ranking.B, ranking._field_B) == (
        WEIGHTS.k1,
        WEIGHTS.b,
        {f: WEIGHTS.title_b for f in TITLE_FIELDS} if WEIGHTS.title_b is not None else {},
    )
    assert ranking.idf_fields == ARCHIVE_IDF_FIELDS


def test_the_eval_ranks_with_the_shared_weights() -> None:
    assert OursParams().weights() == WEIGHTS
    assert OursParams() == TUNED
    collection = Collection(
        name="shared",
        docs={
            "a": ("Strike notice", "The union gave notice of a strike at the mill."),
            "b": ("Wages", "Wages at the mill were cut; a strike was feared by the owners."),
            "c": ("Harvest", "The harvest came in late; the mill stood idle for a week."),
        },
        queries={"q": "strike at the mill", "r": "harvest wages"},
        qrels={"q": {"a": 1}, "r": {"c": 1}},
    )
    with OursEngine(collection) as engine:
        run = engine.run()
        # the same ranking, scored by the app's ranking function with the shared weights
        ids = {n: fields["id"] for n, fields in engine.index.reader().iter_docs()}
        with engine.index.searcher(weighting=weighting(WEIGHTS, {"title": "body"})) as s:
            expected = {
                qid: [ids[hit.docnum] for hit in s.search(engine.parse(text, OursParams()))]
                for qid, text in collection.queries.items()
            }
    assert run == expected
    assert all(len(ranking) >= 2 for ranking in run.values())


@pytest.mark.parametrize(
    ("weights", "field_b"),
    [
        (Bm25Weights(k1=0.9, b=0.4), {}),
        (Bm25Weights(k1=1.5, b=0.6, title_b=0.0), {f"{f}_B": 0.0 for f in TITLE_FIELDS}),
    ],
)
def test_a_title_b_reaches_every_title_field(weights: Bm25Weights, field_b: dict) -> None:  # type: ignore[type-arg]
    assert title_b(weights) == field_b
    ranking = weighting(weights)
    assert (weights.k1, weights.b) == (ranking.K1, ranking.B)
    assert ranking._field_B == {k.removesuffix("_B"): v for k, v in field_b.items()}
    assert {"title", "title_de", "title_ru", "title_xx", "exact_title"} <= set(TITLE_FIELDS)

"""Scoring all candidates at once with numpy ranks exactly as Whoosh's matchers rank.

Every query goes through the search's own steps (parsing with the authorities and concepts,
expansion of prefixes and fuzzy terms, matching); then the whole ranking of its candidates,
and of a filtered part of them, by :func:`top_scored` is compared with Whoosh's, each
candidate scored by its matcher: the same letters in the same order, scores equal within
1e-9 (Whoosh's matcher trees add the parts in another order, which changes the last bits).
"""

from __future__ import annotations

import itertools
from contextlib import closing
from pathlib import Path

import pytest
from whoosh.searching import Searcher

from indexer.engine.budget import Budget
from indexer.engine.docsets import top_scored, whoosh_top_scored
from indexer.engine.index import LetterIndex
from indexer.engine.matching import expanded_query, query_docs
from indexer.engine.postings import PostingCache, posting_cache
from indexer.engine.query import parse_query
from indexer.engine.schema import present_prose_fields
from indexer.engine.snapshot import Snapshot
from indexer.request import SearchRequest

#: every kind of query the search box takes, on the seed letters' words
SEED_QUERIES = [
    "strike",
    "the",
    "workers union",
    "the right to strike",
    "trade OR union OR oil",
    "strike NOT illegal",
    "strike -Tokayev",
    "(Kharkova OR Triangle) Kazakhstan",
    "workers ANDNOT (Kharkova OR Triangle)",
    "title:strike",
    "sender:ITUC workers",
    "signatory:ITUC strike",
    "date:2021 union",
    "dismiss* workers",
    "wor*",
    "strik~",
    "stirke~2 union",
    '"right to strike"',
    '"right to strike"~3 dismissal',
    "walkout",
    "industrial action",
    "Streik",
    "забастовка",
    "hunger strike",
    "Tokayev",
    "zzzunknown",
    "strike zzzunknown",
    "workers OR zzzunknown",
]


def candidates(snapshot: Snapshot, text: str, concepts: bool = True):  # type: ignore[no-untyped-def]
    """The expanded query and the letters it matches, as the search computes them."""
    searcher = snapshot.searcher
    reader = searcher.reader()
    terms = snapshot.concepts if concepts else None
    present = present_prose_fields(reader)
    parsed = parse_query(text, searcher.schema, snapshot.authorities, terms, present)
    q = expanded_query(reader, parsed.query, Budget(60.0))
    if q is None:
        return None, set()
    docs = query_docs(searcher, q, SearchRequest(q=text), Budget(60.0), snapshot.authorities)
    return q, docs


def whooshs_ranking(searcher: Searcher, q, docs: set[int], monkeypatch) -> list:  # type: ignore[no-untyped-def]
    """Whoosh's matchers moved to each candidate: the reference ranking, whole."""
    monkeypatch.setattr("indexer.engine.docsets.DIRECT_SCORING_MAX", len(docs) + 1)
    return whoosh_top_scored(searcher, q, docs, len(docs), Budget(60.0))


def assert_same_ranking(searcher: Searcher, q, docs: set[int], monkeypatch) -> int:  # type: ignore[no-untyped-def]
    """Both rankings of ``docs`` (all of them, and the best ten) agree; their length."""
    expected = whooshs_ranking(searcher, q, docs, monkeypatch)
    got = top_scored(searcher, q, docs, len(docs), Budget(60.0))
    assert [doc for doc, _ in got] == [doc for doc, _ in expected]
    assert [score for _, score in got] == pytest.approx(
        [score for _, score in expected], rel=1e-9, abs=0
    )
    top = top_scored(searcher, q, docs, 10, Budget(60.0))
    assert [doc for doc, _ in top] == [doc for doc, _ in expected[:10]]
    return len(expected)


@pytest.mark.parametrize("concepts", [True, False])
@pytest.mark.parametrize("text", SEED_QUERIES)
def test_seed_letters_rank_as_whoosh_ranks(
    snapshot, monkeypatch, text: str, concepts: bool
) -> None:  # type: ignore[no-untyped-def]
    q, docs = candidates(snapshot, text, concepts)
    if q is None or not docs:
        return  # nothing to rank (test_most_seed_queries_find_letters keeps these few)
    assert assert_same_ranking(snapshot.searcher, q, docs, monkeypatch) == len(docs)
    half = set(sorted(docs)[::2])  # a filter: part of the letters
    assert_same_ranking(snapshot.searcher, q, half, monkeypatch)


def test_most_seed_queries_find_letters(snapshot) -> None:  # type: ignore[no-untyped-def]
    found = [text for text in SEED_QUERIES if candidates(snapshot, text)[1]]
    assert len(found) >= len(SEED_QUERIES) - 4  # the unknown words, "hunger strike"


@pytest.fixture(scope="module")
def letters1916(letters1916_index: Path):  # type: ignore[no-untyped-def]
    with closing(LetterIndex(letters1916_index).snapshot(60.0)) as opened:
        yield opened


def corpus_words(snapshot: Snapshot, count: int) -> list[str]:
    """Words of the letters as written (the exact body field: folded, not stemmed), the most
    common first: every fifth of the 5·count most frequent."""
    reader = snapshot.searcher.reader()
    ranked = sorted(
        (reader.doc_frequency("exact_body", t), t.decode("utf-8"))
        for t in reader.lexicon("exact_body")
    )[::-1]
    return [word for _df, word in ranked[: count * 5 : 5] if word.isalpha()]


def letters1916_queries(snapshot: Snapshot) -> list[str]:
    words = corpus_words(snapshot, 30)
    pairs = [f"{a} {b}" for a, b in zip(words[::2], words[1::2], strict=False)]
    rare = words[-4:]
    return [
        *words,
        *pairs,
        *(f"{a} OR {b}" for a, b in zip(words[:6], rare, strict=False)),
        *(f"{a} NOT {b}" for a, b in zip(words[:6], words[6:12], strict=True)),
        *(f"title:{w}" for w in words[:5]),
        *(f"{w[:4]}*" for w in words[5:10] if len(w) > 4),
        *(f"{w}~" for w in words[10:14] if len(w) > 4),
        *(f'"{a} {b}"' for a, b in itertools.pairwise(words[:6])),
        "Dublin",
        "Easter Rising",
        '"my dear"',
        "sender:Plunkett",
    ]


def test_letters1916_rank_as_whoosh_ranks(letters1916, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Many queries on an edition the project did not write (478 letters): words common and
    rare, pairs, OR, NOT, fields, prefixes, fuzzy terms, phrases; all and half the letters."""
    queries = letters1916_queries(letters1916)
    assert len(queries) > 60
    compared = 0
    for text in queries:
        q, docs = candidates(letters1916, text)
        if q is None or not docs:
            continue
        compared += assert_same_ranking(letters1916.searcher, q, docs, monkeypatch)
        assert_same_ranking(letters1916.searcher, q, set(sorted(docs)[1::2]), monkeypatch)
    assert compared > 5_000  # common words: hundreds of letters each


def test_the_cache_is_bounded_by_bytes_and_serves_what_it_decoded(snapshot) -> None:  # type: ignore[no-untyped-def]
    """Decoded lists are kept until the bound, the least recently used dropped first; what
    is served is what Whoosh's own reader gives."""
    reader = snapshot.searcher.reader()
    leaf, _offset = reader.leaf_readers()[0]
    terms = [t for t in leaf.lexicon("exact_body")][:40]
    cache = PostingCache(limit=10**9)
    for term in terms:
        decoded = cache.postings(leaf, "exact_body", term)
        matcher = leaf.postings("exact_body", term)
        expected = []
        while matcher.is_active():
            expected.append((matcher.id(), matcher.weight()))
            matcher.next()
        assert list(zip(decoded.docs.tolist(), decoded.weights.tolist(), strict=True)) == [
            (doc, pytest.approx(weight)) for doc, weight in expected
        ]
    assert cache.held == sum(cache.postings(leaf, "exact_body", t).nbytes for t in terms)
    small = PostingCache(limit=cache.postings(leaf, "exact_body", terms[0]).nbytes * 3)
    for term in terms:
        small.postings(leaf, "exact_body", term)
        assert small.held <= small.limit
    assert 0 < len(small._entries) <= 3
    assert posting_cache(reader) is posting_cache(reader)  # one per generation


@pytest.mark.parametrize("text", ["workers union", '"right to strike"~3 dismissal', "wor*"])
def test_scoring_cut_anywhere_answers_nothing_or_the_whole_ranking(snapshot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Out of time at any look at the budget, the scoring stops and ranks nothing (the page
    is then filled with unranked letters), never a ranking of partly scored letters."""
    from tests.test_docsets import CutAfter

    q, docs = candidates(snapshot, text)
    counting = CutAfter(10**9)
    whole = top_scored(snapshot.searcher, q, docs, 10, counting)
    assert whole and counting.checks > 2
    for cut in range(counting.checks):
        budget = CutAfter(cut)
        assert top_scored(snapshot.searcher, q, docs, 10, budget) == []
        assert budget.timed_out is True


def test_the_best_are_cut_by_score_then_lower_document_number() -> None:
    """Ties at the cut go to the lower document number, as in Whoosh's ranking."""
    import numpy as np

    from indexer.engine.vectorscore import best

    docs = np.array([5, 3, 9, 1, 7])
    scores = np.array([1.0, 2.0, 2.0, 0.5, 2.0])
    assert best(docs, scores, 1) == [(3, 2.0)]
    assert best(docs, scores, 2) == [(3, 2.0), (7, 2.0)]
    assert best(docs, scores, 4) == [(3, 2.0), (7, 2.0), (9, 2.0), (5, 1.0)]
    assert best(docs, scores, 10) == [(3, 2.0), (7, 2.0), (9, 2.0), (5, 1.0), (1, 0.5)]


def test_the_bound_is_set_in_megabytes_by_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from indexer.engine.postings import _cache_bytes

    monkeypatch.setenv("LETTERS_POSTINGS_CACHE_MB", "8")
    assert _cache_bytes() == 8 * 1024 * 1024
    monkeypatch.setenv("LETTERS_POSTINGS_CACHE_MB", "lots")
    with pytest.raises(ValueError, match="whole number of megabytes, not 'lots'"):
        _cache_bytes()
    monkeypatch.delenv("LETTERS_POSTINGS_CACHE_MB")
    assert _cache_bytes() == 64 * 1024 * 1024

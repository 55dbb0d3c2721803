"""Phrases and proximity queries matched on decoded positions agree with Whoosh's matchers.

The span rules (:mod:`indexer.engine.nearness`) are compared with Whoosh's own
``SpanNear2Matcher._get_spans`` on many random position lists; then phrases and proximity
queries of word sequences that stand in the letters (and the same words reordered or
spread out) are matched and ranked on the seed letters and letters1916, and compared with
Whoosh's matchers: the same letters, the same order, scores equal within 1e-9.
"""

from __future__ import annotations

import random
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import pytest
from whoosh import query as wq
from whoosh.query.spans import Span, SpanNear2
from whoosh.searching import Searcher

from indexer.engine.budget import Budget
from indexer.engine.docsets import matching_docs, top_scored, whoosh_top_scored
from indexer.engine.index import LetterIndex
from indexer.engine.nearness import near
from indexer.engine.phrases import Near
from indexer.engine.positions import term_positions
from indexer.engine.postings import PostingCache


def whoosh_spans_meet(positions: list[list[int]], slop: int, ordered: bool, mindist: int) -> bool:
    """Whoosh's own span joins on leaf matchers that hold ``positions``."""
    leaves = [SimpleNamespace(spans=lambda p=p: [Span(x) for x in p]) for p in positions]
    matcher = SimpleNamespace(ms=leaves, slop=slop, ordered=ordered, mindist=mindist)
    return bool(SpanNear2.SpanNear2Matcher._get_spans(matcher))  # type: ignore[arg-type]


def test_span_rules_are_whooshs_on_random_positions() -> None:
    rng = random.Random(18)
    meeting = 0
    for _ in range(6000):
        words = rng.randint(1, 4)
        width = rng.choice([4, 12, 40])
        positions = [
            sorted(rng.sample(range(width), rng.randint(1, min(5, width)))) for _ in range(words)
        ]
        slop, ordered, mindist = rng.randint(0, 6), rng.random() < 0.5, rng.randint(0, 2)
        expected = whoosh_spans_meet(positions, slop, ordered, mindist)
        assert near(positions, slop, ordered, mindist) is expected, (positions, slop, ordered)
        meeting += expected
    assert 1000 < meeting < 5000  # both answers are well represented


def word_sequences(searcher: Searcher, field: str, count: int) -> list[list[str]]:
    """Runs of two and three words as they stand in the letters (from Whoosh's own postings
    of the field's most common words), every few letters one."""
    reader = searcher.reader()
    common = sorted(reader.lexicon(field), key=lambda t: -reader.doc_frequency(field, t))[:60]
    at: dict[tuple[int, int], str] = {}
    for btext in common:
        matcher = reader.postings(field, btext)
        while matcher.is_active():
            for position in matcher.value_as("positions"):
                at[(matcher.id(), position)] = btext.decode("utf-8")
            matcher.next()
    runs = []
    for doc, position in sorted(at)[::7]:
        for length in (2, 3):
            run = [at.get((doc, position + k)) for k in range(length)]
            if all(run):
                runs.append([w for w in run if w])
    return runs[:: max(1, len(runs) // count)][:count]


def queries_of(field: str, words: list[str]) -> list[wq.Query]:
    """A phrase of the words and its variants: boosted, with slop, reversed, near (any
    order and in order), a word repeated."""
    terms = [wq.Term(field, w) for w in words]
    boosted = [wq.Term(field, w, boost=1.7) for w in words]
    return [
        wq.Phrase(field, words),
        wq.Phrase(field, words, boost=2.5),
        wq.Phrase(field, words, slop=3),
        wq.Phrase(field, words[::-1]),
        wq.Phrase(field, [words[0], *words]),
        Near(list(dict.fromkeys(terms)), slop=2, ordered=False, mindist=1),
        Near(boosted, slop=len(words) + 1, ordered=False, mindist=1),
        SpanNear2(terms[::-1], slop=4, ordered=True, mindist=1),
    ]


def assert_as_whoosh(searcher: Searcher, q: wq.Query, monkeypatch) -> int:  # type: ignore[no-untyped-def]
    """The letters ``q`` matches and their ranking as Whoosh's matchers give them; how many."""
    expected_docs = set(searcher.docs_for_query(q))
    assert matching_docs(searcher, q, Budget(60.0)) == expected_docs, q
    if not expected_docs:
        return 0
    monkeypatch.setattr("indexer.engine.docsets.DIRECT_SCORING_MAX", len(expected_docs) + 1)
    expected = whoosh_top_scored(searcher, q, expected_docs, len(expected_docs), Budget(60.0))
    got = top_scored(searcher, q, expected_docs, len(expected_docs), Budget(60.0))
    assert [doc for doc, _ in got] == [doc for doc, _ in expected], q
    assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-9, abs=0)
    return len(expected_docs)


def compare_many(searcher: Searcher, count: int, monkeypatch) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Queries compared, and letters matched in all."""
    compared = matched = 0
    for field in ("exact_body", "body"):
        for words in word_sequences(searcher, field, count):
            for q in queries_of(field, words):
                matched += assert_as_whoosh(searcher, q, monkeypatch)
                compared += 1
    return compared, matched


def test_seed_phrases_match_and_rank_as_whoosh(snapshot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    compared, matched = compare_many(snapshot.searcher, 30, monkeypatch)
    assert compared == 480 and matched > 1_000  # 30 runs of words in 2 fields, 8 queries each


@pytest.fixture(scope="module")
def letters1916(letters1916_index: Path):  # type: ignore[no-untyped-def]
    with closing(LetterIndex(letters1916_index).snapshot(60.0)) as opened:
        yield opened


def test_letters1916_phrases_match_and_rank_as_whoosh(letters1916, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An edition the project did not write: common words' runs match hundreds of letters."""
    compared, matched = compare_many(letters1916.searcher, 40, monkeypatch)
    assert compared == 640 and matched > 20_000


def test_positions_are_whooshs_and_cached_once(snapshot) -> None:  # type: ignore[no-untyped-def]
    reader = snapshot.searcher.reader()
    leaf, _offset = reader.leaf_readers()[0]
    cache = PostingCache(limit=10**9)
    for btext in list(leaf.lexicon("exact_body"))[:50]:
        decoded = term_positions(cache, leaf, "exact_body", btext)
        matcher = leaf.postings("exact_body", btext)
        expected = {}
        while matcher.is_active():
            expected[matcher.id()] = matcher.value_as("positions")
            matcher.next()
        assert dict(zip(decoded.docs.tolist(), decoded.of(decoded.docs), strict=True)) == expected
        assert term_positions(cache, leaf, "exact_body", btext) is decoded
    absent = term_positions(cache, leaf, "exact_body", b"zzzunknown")
    assert (absent.docs.tolist(), absent.starts.tolist(), absent.flat.tolist()) == ([], [0], [])

"""Matching and scoring over sets of document numbers, where Whoosh's matcher trees are slow.

Whoosh finds the documents of a query by walking a tree of matchers document by document in
pure Python: a word searched in a dozen fields is a union of a dozen posting lists, and a
query of three words intersects three such unions with ``skip_to`` calls. The set of
documents a query matches (needed whole, for the facet counts) is computed here instead with
set algebra on decoded posting lists, which runs in C. Ranking then scores only the matched
documents the filters allow, all at once with numpy (:mod:`indexer.engine.vectorscore`), with
Whoosh's own scores (BM25F with the field boosts).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from whoosh import query as wq
from whoosh.collectors import (
    FilterCollector,
    TimeLimit,
    TimeLimitCollector,
    TopCollector,
    UnsortedCollector,
)
from whoosh.matching import Matcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.engine.budget import Budget
from indexer.engine.gencache import live_documents
from indexer.engine.phrases import Near
from indexer.engine.postings import posting_cache
from indexer.engine.vectorscore import vector_matches, vector_top

#: Above this many candidates, Whoosh's own top-N search (which skips blocks of postings that
#: cannot reach the top) is faster than scoring every candidate.
DIRECT_SCORING_MAX = 200


def matching_docs(searcher: Searcher, q: wq.Query, budget: Budget) -> set[int]:
    """The documents (global numbers) that match ``q``; on running out of time, those found."""
    found = _docs(searcher, q, budget)
    if found is None:
        return _whoosh_docs(searcher, q, budget)
    return found


def _docs(searcher: Searcher, q: wq.Query, budget: Budget) -> set[int] | None:
    """Set algebra for terms, OR, AND, AND NOT and AND MAYBE; None for anything else."""
    if isinstance(q, wq.Term):
        return _term_docs(searcher, q.fieldname, q.text)
    if isinstance(q, wq.Every):  # a lone "*": Whoosh would read every term's postings
        return _every_docs(searcher, q.fieldname, budget)
    if isinstance(q, wq.Or):
        union: set[int] = set()
        for child in q.subqueries:
            docs = _docs(searcher, child, budget)
            if docs is None:
                docs = _whoosh_docs(searcher, child, budget)
            union |= docs
            if budget.spent():
                break  # what was found so far: a subset, as Whoosh's time limit gives
        return union
    if isinstance(q, wq.And):
        result: set[int] | None = None
        rest = []
        for child in q.subqueries:
            docs = _docs(searcher, child, budget)
            if docs is None:
                rest.append(child)  # phrases and ranges: checked against what is left
                continue
            result = docs if result is None else result & docs
            if not result:
                return set()
            if budget.spent():
                return set()  # an unfinished intersection would hold documents that do not match
        if result is None:
            return None
        for child in rest:
            result &= _whoosh_docs(searcher, child, budget)
        return result
    if isinstance(q, wq.AndNot):
        positive = matching_docs(searcher, q.a, budget)
        if not positive:
            return positive
        negative = matching_docs(searcher, q.b, budget)
        return set() if budget.spent() else positive - negative  # a partial NOT lets too many in
    if isinstance(q, wq.AndMaybe):
        return matching_docs(searcher, q.a, budget)
    if isinstance(q, wq.Phrase | Near):
        return _near_docs(searcher, q, budget)
    if isinstance(q, wq.NullQuery.__class__):
        return set()
    return None


def _near_docs(searcher: Searcher, q: wq.Phrase | Near, budget: Budget) -> set[int] | None:
    """The letters holding every word of a phrase or proximity query whose positions meet
    (:mod:`indexer.engine.vectorscore`); None when Whoosh must match it (out of time)."""
    holding = holding_all_words(searcher, q)
    if not holding:
        return holding  # no letter holds every word: no positions to compare
    return vector_matches(searcher, q, holding, budget)


def holding_all_words(searcher: Searcher, q: wq.Phrase | Near) -> set[int] | None:
    """The letters holding every word of a phrase or proximity query (None when its parts
    are not plain words)."""
    words = [wq.Term(q.fieldname, w) for w in q.words] if isinstance(q, wq.Phrase) else list(q.qs)
    holding: set[int] | None = None
    for word in words:
        if type(word) is not wq.Term:
            return None
        docs = _term_docs(searcher, word.fieldname, word.text)
        holding = docs if holding is None else holding & docs
        if not holding:
            return set()
    return holding


def _without_every(q: wq.Query) -> wq.Query:
    """``q`` without its lone ``*`` parts, which match and do not rank: their matchers read
    every term's postings (seconds, not interruptible); NullQuery when nothing else is left."""
    return q.accept(lambda node: wq.NullQuery if isinstance(node, wq.Every) else node).normalize()


def _every_docs(searcher: Searcher, fieldname: str | None, budget: Budget) -> set[int]:
    """The live letters with any word in ``fieldname`` (all of them for no field), from the
    stored field lengths: one look per letter, not the postings of every term."""
    reader = searcher.reader()
    live = live_documents(reader)
    if not fieldname:
        return set(live)
    found: set[int] = set()
    for n, doc in enumerate(live):
        if n % 1024 == 0 and budget.spent():
            break  # what was found so far, as a time limit gives
        if reader.doc_field_length(doc, fieldname, 0):
            found.add(doc)
    return found


def without_missing_terms(q: wq.Query, reader: IndexReader, budget: Budget) -> wq.Query:
    """``q`` without the alternatives of its ORs that no letter holds (one is kept, so that
    an OR no letter matches still means nothing, also under NOT). A word searched in a dozen
    fields, or a concept's terms in every language, otherwise build matcher trees of hundreds
    of empty leaves that every scored letter walks. Out of time, the rest stays as it is."""

    def visit(node: wq.Query) -> wq.Query:
        if not isinstance(node, wq.Or) or budget.spent():
            return node
        kept = [c for c in node.subqueries if not _missing(c, reader)]
        if len(kept) == len(node.subqueries):
            return node
        return node.__class__(kept or node.subqueries[:1], boost=node.boost)

    return q.accept(visit)


def _missing(q: wq.Query, reader: IndexReader) -> bool:
    """A term no letter holds, or a phrase or proximity query with such a word."""
    if isinstance(q, wq.Term):
        return (q.fieldname, q.text) not in reader
    if isinstance(q, Near):
        return any(_missing(t, reader) for t in q.qs)
    if isinstance(q, wq.Phrase):
        return any((q.fieldname, w) not in reader for w in q.words)
    return False


def _term_docs(searcher: Searcher, fieldname: str, text: str | bytes) -> set[int]:
    """The documents holding a term, from the postings decoded once per generation."""
    docs: set[int] = set()
    cache = posting_cache(searcher.reader())
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (fieldname, text) not in reader:
            continue
        btext = text if isinstance(text, bytes) else searcher.schema[fieldname].to_bytes(text)
        local = cache.postings(reader, fieldname, btext).docs
        docs.update((local + offset if offset else local).tolist())
    return docs


def _whoosh_docs(searcher: Searcher, q: wq.Query, budget: Budget) -> set[int]:
    """Whoosh's own matching, for phrases, ranges and whatever the set algebra leaves."""
    inner = UnsortedCollector()
    collector = TimeLimitCollector(inner, budget.remaining(), use_alarm=False)
    try:
        searcher.search_with_collector(q, collector)
    except TimeLimit:
        budget.timed_out = True
    return set(inner.docset)


def top_scored(
    searcher: Searcher, q: wq.Query, candidates: set[int], limit: int, budget: Budget
) -> list[tuple[int, float]]:
    """The best ``limit`` of ``candidates`` (which all match ``q``) with their scores, ranked
    as Whoosh ranks: higher score first, then lower document number. Scored all at once
    (:mod:`indexer.engine.vectorscore`); when the budget runs out, none."""
    q = _without_every(q)
    if not candidates or budget.spent() or q is wq.NullQuery:
        return []
    return vector_top(searcher, q, candidates, limit, budget)


def whoosh_top_scored(
    searcher: Searcher, q: wq.Query, candidates: set[int], limit: int, budget: Budget
) -> list[tuple[int, float]]:
    """:func:`top_scored` by Whoosh's matchers alone, one candidate at a time: the reference
    the vectorised scores are tested and measured against. When the budget runs out, the
    best of those scored so far."""
    q = _without_every(q)
    if not candidates or budget.spent() or q is wq.NullQuery:
        return []
    if len(candidates) > DIRECT_SCORING_MAX:
        top = _exact_top(limit)
        timed = TimeLimitCollector(top, budget.remaining(), use_alarm=False)  # any thread
        collector = FilterCollector(timed, allow=candidates)  # outside: it does the filtering
        try:
            searcher.search_with_collector(q, collector)
        except TimeLimit:
            budget.timed_out = True
        return [(hit.docnum, float(hit.score)) for hit in collector.results()]
    scored: list[tuple[float, int]] = []
    context = searcher.context(needs_current=True)
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.doc_count_all()
        local = sorted(d - offset for d in candidates if offset <= d < end)
        if local and not budget.spent():
            _score_each(q.matcher(sub, context), local, offset, scored.append, budget)
    best = heapq.nlargest(limit, scored)
    return [(-negated, score) for score, negated in best]


def _exact_top(limit: int) -> TopCollector:
    """Whoosh's top-N collector without its pruning: ``matcher.replace(minscore)`` trusts
    bounds that are not always upper bounds (with b=0.4 it dropped a letter scoring above the
    N-th, tests/test_docsets.py), so every candidate is scored."""
    top = TopCollector(limit=limit, usequality=False)
    top.replace = 0
    return top


def _score_each(
    matcher: Matcher,
    docs: list[int],
    offset: int,
    emit: Callable[[tuple[float, int]], None],
    budget: Budget,
) -> None:
    """Move the matcher to each document (in order) and emit (score, -global number)."""
    for doc in docs:
        if budget.spent() or not matcher.is_active():
            return
        if matcher.id() < doc:
            matcher.skip_to(doc)
            if not matcher.is_active():
                return
        if matcher.id() == doc:
            emit((matcher.score(), -(offset + doc)))

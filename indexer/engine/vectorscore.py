"""BM25F for every candidate at once, with numpy, giving exactly the scores Whoosh gives.

Whoosh scores a letter by walking its matcher tree to it and asking each leaf for the score
of one posting, in Python. Here the query tree is evaluated over all candidates of a segment
at once: a word's postings (decoded once per generation, :mod:`indexer.engine.postings`) give
a mask of the candidates holding it and their BM25F scores, computed with Whoosh's own
scorer's idf, average length, B and K1 by the same formula in the same order of operations;
OR adds its children's scores where they match, AND where all match, AND NOT keeps the first
part's scores where the second does not match, AND MAYBE adds the second where it matches, and
a boost multiplies, as Whoosh's matchers do. A phrase or proximity query (near, concept
phrases) matches the candidates holding all its words whose positions (decoded once per
generation, :mod:`indexer.engine.positions`) stand near as Whoosh's spans require, and scores
its words' sum, as its intersection matcher adds them. What is rarer (ranges, NOT alone) is
scored by its own Whoosh matcher, moved to each candidate in turn. Sums may differ from
Whoosh's in the last bit (its matcher trees add in a different order), never more.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.query.spans import SpanNear2
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import SearchContext, Searcher

from indexer.engine.budget import Budget
from indexer.engine.nearness import near
from indexer.engine.positions import term_positions
from indexer.engine.postings import PostingCache, posting_cache

#: How many candidates a Whoosh matcher is moved to between two looks at the budget.
BUDGET_STRIDE = 256

Scored = tuple[np.ndarray, np.ndarray]  # (bool mask over the candidates, float64 scores)


class OutOfTime(Exception):
    """The budget ran out while scoring: no candidate is fully scored."""


def vector_top(
    searcher: Searcher, q: wq.Query, candidates: set[int], limit: int, budget: Budget
) -> list[tuple[int, float]]:
    """The best ``limit`` of ``candidates`` with their scores: higher score first, then
    lower document number, as Whoosh ranks. Candidates ``q`` does not match (deleted ones)
    are left out. Out of time, none (the caller shows unranked letters)."""
    if not candidates or limit <= 0:
        return []
    everyone = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
    everyone.sort()
    context = searcher.context(needs_current=True)
    cache = posting_cache(searcher.reader())
    docs: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    try:
        for sub, offset in searcher.leaf_searchers():
            end = offset + sub.doc_count_all()
            low, high = np.searchsorted(everyone, [offset, end])
            if low == high:
                continue
            local = everyone[low:high] - offset
            mask, score = _Evaluation(sub, context, cache, local, budget).node(q)
            docs.append(local[mask] + offset)
            scores.append(score[mask])
    except OutOfTime:
        return []
    if not docs:
        return []
    return best(np.concatenate(docs), np.concatenate(scores), limit)


def vector_matches(
    searcher: Searcher, q: wq.Query, candidates: set[int], budget: Budget
) -> set[int] | None:
    """Those of ``candidates`` that ``q`` matches, by the same evaluation as the ranking
    (a phrase's candidates: the letters holding all its words). Out of time, None."""
    everyone = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
    everyone.sort()
    context = searcher.context(needs_current=True)
    cache = posting_cache(searcher.reader())
    found: set[int] = set()
    try:
        for sub, offset in searcher.leaf_searchers():
            low, high = np.searchsorted(everyone, [offset, offset + sub.doc_count_all()])
            if low < high:
                local = everyone[low:high] - offset
                mask, _ = _Evaluation(sub, context, cache, local, budget).node(q)
                found.update((local[mask] + offset).tolist())
    except OutOfTime:
        return None
    return found


def _tree_sum(scores: list[np.ndarray]) -> np.ndarray:
    """The sum in the order of ``whoosh.util.make_binary_tree``: first half plus second."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _tree_sum(scores[:half]) + _tree_sum(scores[half:])


def best(docs: np.ndarray, scores: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` highest scores, ties by lower document number: the k-th highest score
    found by partition, then everything at or above it sorted exactly."""
    if len(docs) > limit:
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= kth
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:limit]
    return [(int(d), float(s)) for d, s in zip(docs[order], scores[order], strict=True)]


class _Evaluation:
    """One query tree evaluated over one segment's candidates (ascending local numbers)."""

    def __init__(
        self,
        searcher: Searcher,
        context: SearchContext,
        cache: PostingCache,
        candidates: np.ndarray,
        budget: Budget,
    ) -> None:
        self.searcher = searcher
        self.reader: SegmentReader = searcher.reader()
        self.context = context
        self.cache = cache
        self.candidates = candidates
        self.budget = budget

    def node(self, q: wq.Query) -> Scored:
        if self.budget.spent():
            raise OutOfTime
        kind = type(q)
        if kind is wq.Term:
            return self.term(q)
        if kind in (wq.Or, wq.And) and not getattr(q, "scale", None):
            return self.compound(q)
        if kind is wq.AndNot:
            mask, score = self.node(q.a)
            unwanted, _ = self.node(q.b)
            mask = mask & ~unwanted
            return mask, np.where(mask, score, 0.0)
        if kind is wq.AndMaybe:
            mask, score = self.node(q.a)
            also, more = self.node(q.b)
            return mask, np.where(mask & also, score + more, score)
        words = self.near_words(q)
        if words is not None:
            return self.near(q, words)
        return self.whoosh(q)

    def near_words(self, q: wq.Query) -> list[wq.Term] | None:
        """The words of a phrase, or of a proximity query of words, in a field with positions
        (None for anything else, and for what Whoosh's matcher treats specially: a phrase of
        no words, a field without positions, which its matcher reports)."""
        if isinstance(q, wq.Phrase) and q.words:
            field = q.fieldname
            terms = [wq.Term(field, word) for word in q.words]
        elif isinstance(q, SpanNear2) and q.qs and all(type(t) is wq.Term for t in q.qs):
            field = q.qs[0].fieldname
            terms = list(q.qs)
            if any(t.fieldname != field for t in terms):
                return None
        else:
            return None
        schema = self.searcher.schema
        if field in schema and not (
            schema[field].format and schema[field].format.supports("positions")
        ):
            return None
        return terms

    def near(self, q: wq.Query, terms: list[wq.Term]) -> Scored:
        """A phrase or proximity query: the candidates holding every word where the words'
        positions meet Whoosh's span rules; score the words' scores added as Whoosh's tree of
        intersection matchers adds them (halves first), times a phrase's boost."""
        parts = [self.term(t) for t in terms]
        mask = np.logical_and.reduce([m for m, _ in parts])
        if mask.any():
            slop, ordered, mindist = (
                (q.slop, True, 1) if isinstance(q, wq.Phrase) else (q.slop, q.ordered, q.mindist)
            )
            at = np.flatnonzero(mask)
            local = self.candidates[at]
            schema = self.searcher.schema
            lists = [
                term_positions(
                    self.cache, self.reader, t.fieldname, schema[t.fieldname].to_bytes(t.text)
                ).of(local)
                for t in terms
            ]
            for n, i in enumerate(at.tolist()):
                if n % BUDGET_STRIDE == 0 and self.budget.spent():
                    raise OutOfTime
                mask[i] = near([words[n] for words in lists], slop, ordered, mindist)
        score = np.where(mask, _tree_sum([s for _, s in parts]), 0.0)
        if isinstance(q, wq.Phrase) and q.boost != 1.0:
            score = score * q.boost
        return mask, score

    def nothing(self) -> Scored:
        size = len(self.candidates)
        return np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float64)

    def compound(self, q: wq.Query) -> Scored:
        """OR or AND of the children (one child: the child itself, boost and all ignored, as
        Whoosh's ``CompoundQuery.matcher`` does)."""
        subs = q.subqueries
        if not subs:
            return self.nothing()
        if len(subs) == 1:
            return self.node(subs[0])
        parts = [self.node(sub) for sub in subs]
        total = parts[0][1].copy()
        mask = parts[0][0].copy()
        for part_mask, part_score in parts[1:]:
            total += part_score
            if type(q) is wq.Or:
                mask |= part_mask
            else:
                mask &= part_mask
        if type(q) is wq.And:
            total = np.where(mask, total, 0.0)
        if q.boost != 1.0:
            total = total * q.boost
        return mask, total

    def term(self, q: wq.Term) -> Scored:
        """A word's candidates and their scores, as ``Term.matcher`` and its scorer give."""
        fieldname = q.fieldname
        schema = self.searcher.schema
        if fieldname not in schema:
            return self.nothing()
        try:
            btext = schema[fieldname].to_bytes(q.text)
        except ValueError:
            return self.nothing()
        if (fieldname, btext) not in self.reader:
            return self.nothing()
        weighting = self.context.weighting or self.searcher.weighting
        scorer = weighting.scorer(self.searcher, fieldname, btext)
        if type(scorer) not in (BM25FScorer, WeightScorer):
            return self.whoosh(q)  # another ranking function: its own matcher scores
        postings = self.cache.postings(self.reader, fieldname, btext)
        at = np.searchsorted(postings.docs, self.candidates)
        inside = at < len(postings.docs)
        mask = np.zeros(len(self.candidates), dtype=bool)
        mask[inside] = postings.docs[at[inside]] == self.candidates[inside]
        tf = postings.weights[at[mask]].astype(np.float64)
        if type(scorer) is BM25FScorer:
            fl = self.cache.lengths(self.reader, fieldname, self.candidates[mask])
            idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            # whoosh.scoring.bm25, operation for operation
            values = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        else:
            values = tf  # a field without lengths: the weight is the score
        if q.boost != 1.0:
            values = values * q.boost
        score = np.zeros(len(self.candidates), dtype=np.float64)
        score[mask] = values
        return mask, score

    def whoosh(self, q: wq.Query) -> Scored:
        """Whoosh's own matcher for ``q`` (phrases, near, ranges…), moved to each candidate
        it can match (for a phrase, those holding all its words)."""
        mask, score = self.nothing()
        possible = self.possible(q)
        if possible is not None and not possible.any():
            return mask, score
        matcher = q.matcher(self.searcher, self.context)
        at = np.flatnonzero(possible) if possible is not None else np.arange(len(mask))
        for n, i in enumerate(at.tolist()):
            if n % BUDGET_STRIDE == 0 and self.budget.spent():
                raise OutOfTime
            doc = int(self.candidates[i])
            if not matcher.is_active():
                break
            if matcher.id() < doc:
                matcher.skip_to(doc)
                if not matcher.is_active():
                    break
            if matcher.id() == doc:
                mask[i] = True
                score[i] = matcher.score()
        return mask, score

    def possible(self, q: wq.Query) -> np.ndarray | None:
        """The candidates holding every word of a phrase or proximity query (None for other
        queries): the others cannot match it, and its matcher need not be moved to them."""
        if isinstance(q, wq.Phrase):
            terms = [wq.Term(q.fieldname, word) for word in q.words]
        elif isinstance(q, SpanNear2) and all(type(t) is wq.Term for t in q.qs):
            terms = list(q.qs)
        else:
            return None
        holding = np.ones(len(self.candidates), dtype=bool)
        for term in terms:
            holding &= self.term(term)[0]
        return holding

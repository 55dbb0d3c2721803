"""Whether words stand near each other, decided as Whoosh's ``SpanNear2`` decides it.

A phrase is an ordered ``SpanNear2`` of its words (slop 1: next to each other), a proximity
query (``"a b"~N``, a concept's words) an unordered one. Whoosh joins the first word's spans
with each next word's in turn, keeping every joined span within ``slop`` and at least
``mindist`` apart; the letter matches if a span is left at the end. Here the same joins run
on plain (start, end) pairs of one letter's positions.
"""

from __future__ import annotations

from bisect import bisect_left


def near(positions: list[list[int]], slop: int, ordered: bool, mindist: int) -> bool:
    """Whether one letter matches: ``positions`` holds each word's positions in it."""
    if ordered and mindist == 1:
        return _in_order(positions, slop)
    spans = [(p, p) for p in positions[0]]
    for following in positions[1:]:
        if not spans:
            return False
        spans = sorted(_joined(spans, following, slop, ordered, mindist))
    return bool(spans)


def _in_order(positions: list[list[int]], slop: int) -> bool:
    """The ordered case: each word 1 to ``slop`` positions after the end of the span so far
    (a word inside it overlaps it, distance 0), so only the span's end matters."""
    ends = set(positions[0])
    for following in positions[1:]:
        if not ends:
            return False
        ends = {p for p in following if any(p - d in ends for d in range(1, slop + 1))}
    return bool(ends)


def _joined(
    spans: list[tuple[int, int]], following: list[int], slop: int, ordered: bool, mindist: int
) -> set[tuple[int, int]]:
    """``SpanNear2Matcher._get_spans`` for one more word, step for step."""
    joined: set[tuple[int, int]] = set()
    for start, end in spans:
        j = bisect_left(following, start if ordered else max(0, start - slop))
        for p in following[j:]:
            if p < start - slop or (ordered and start > p):
                continue
            if p > end + slop:
                break
            if start <= p <= end:
                dist = 0  # overlaps
            elif end < p:
                dist = p - end
            else:
                dist = start - p
            if mindist <= dist <= slop:
                joined.add((min(start, p), max(end, p)))
    return joined

"""When two letters are near-duplicates: the one definition (search grouping, "more like this").

A near-duplicate is the same letter again — a copy filed twice, a draft and its fair copy, the
same message posted to two places — not a letter that quotes another or shares a paragraph
with it. So two letters are compared by their *own* words: the word runs
(:data:`indexer.letters.shingles.SHINGLE_WORDS` words) of every passage that is not a quotation
(a ``blockquote``; a letter that is nothing but quotation is compared by the quotation), and
their likeness is the Jaccard index of the two sets — shared runs over all runs of either — so
a reply that quotes a whole message and adds its own paragraph is as unlike the message as its
own paragraph is long.

:data:`THRESHOLD` was read off data: the ten variants of each 20news message (the benchmark's
scaled archive, the same text under other dates and senders) have likeness 1.0; 20news replies
quoting an earlier message reach at most 0.35 with the quotation counted and 0.0 without;
the seed letters, which share whole paragraphs, reach 0.38 (the LO letter adapting the joint
ITUC/IndustriALL letter). A letter whose own words are fewer than
:data:`indexer.letters.shingles.MIN_WORDS` has no runs and is nobody's near-duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indexer.letters.shingles import MIN_WORDS, SHINGLE_WORDS, words_of

THRESHOLD = 0.8  # likeness (Jaccard of own word runs) from which two letters are the same
QUOTATION = "blockquote"  # the passage kind of quoted text


@dataclass(frozen=True)
class Signature:
    """A letter's word runs, made once per letter and compared with many: its own (outside
    quotations) and all of them (empty when there are fewer than ``MIN_WORDS`` words)."""

    own: frozenset[str]
    whole: frozenset[str]

    def likeness(self, other: Signature) -> float:
        """Jaccard index of the two letters' own word runs; of their whole text when neither
        has own words enough (two copies of one bare quotation); 0 when only one has."""
        if self.own and other.own:
            return _jaccard(self.own, other.own)
        if not self.own and not other.own:
            return _jaccard(self.whole, other.whole)
        return 0.0

    def duplicates(self, other: Signature) -> float | None:
        """The likeness if the two letters are near-duplicates, else None."""
        value = self.likeness(other)
        return round(value, 3) if value >= THRESHOLD else None


def signature(passages: Iterable[tuple[int, str, str]]) -> Signature:
    """A letter's signature from its stored passages (``(n, kind, text)``)."""
    passages = list(passages)
    own = _runs(text for _n, kind, text in passages if kind != QUOTATION)
    return Signature(own, _runs(text for _n, _kind, text in passages))


def _runs(texts: Iterable[str]) -> frozenset[str]:
    """The word runs of each text (none across texts); none below ``MIN_WORDS`` words."""
    runs: set[str] = set()
    count = 0
    for text in texts:
        words = words_of(text)
        count += len(words)
        runs.update(
            " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
        )
    return frozenset(runs) if count >= MIN_WORDS else frozenset()


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def fold_duplicates(signatures: list[Signature]) -> list[list[tuple[int, float]]]:
    """Letters in rank order folded under the first earlier letter they duplicate.

    Returns, for each position, the positions folded under it with their likeness (empty for a
    letter that is itself folded, or that no later letter duplicates). Only the letters given
    are compared (a page of hits): the cost is bounded by the page, not the archive.
    """
    folded: list[list[tuple[int, float]]] = [[] for _ in signatures]
    leaders: list[int] = []
    for i, sig in enumerate(signatures):
        for leader in leaders:
            value = signatures[leader].duplicates(sig)
            if value is not None:
                folded[leader].append((i, value))
                break
        else:
            leaders.append(i)
    return folded

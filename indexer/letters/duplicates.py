"""When two letters are near-duplicates: the one definition (search grouping, "more like this").

A near-duplicate is the same letter again — a copy filed twice, a draft and its fair copy, the
same message posted to two places — not a letter that quotes another or shares a paragraph
with it. So two letters are compared by their *own* words: the word runs
(:data:`indexer.letters.shingles.SHINGLE_WORDS` words) of every passage that is not a quotation
(a ``blockquote``), by the Jaccard index of the two sets (shared runs over the runs of either).
A reply that quotes a whole message is compared by its own paragraph only; a letter with too
few words of its own (a bare forward, "Agreed." under a quotation) is compared by its whole
text, and only with another such letter.

:data:`THRESHOLD` was read off data. The scaled 20news archive's variants of one message (the
same text under other dates and senders) have likeness 1.0. Across all 18,846 20news messages,
of the 32,942 pairs that share five or more rare word runs, 179 reach 0.8: read in a sample,
they are one message posted twice or to two groups, the same advertisement or press release
again — near-duplicates; 93 more lie between 0.7 and 0.8, among them a repost with its mail
headers appended (0.79) and a reply quoting by indentation rather than ``>`` with "Agreed." of
its own (0.79, the price of recognising quotations only as ``blockquote``). Replies quoting with
``>`` have likeness 0 with the quoted message. The seed letters, which share whole paragraphs,
reach 0.11. A letter whose words are fewer than
:data:`indexer.letters.shingles.MIN_WORDS` has no runs and is nobody's near-duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indexer.letters.shingles import MIN_WORDS, SHINGLE_WORDS, words_of

THRESHOLD = 0.8  # likeness (Jaccard of own word runs) from which two letters are the same
QUOTATION = "blockquote"  # the passage kind of quoted text
Runs = frozenset[int]  # a letter's word runs, each as its hash (compared within one process)


@dataclass(frozen=True)
class Signature:
    """A letter's word runs, made once per letter and compared with many: its own (outside
    quotations) and all of them (empty when there are fewer than ``MIN_WORDS`` words)."""

    own: Runs
    whole: Runs

    def likeness(self, other: Signature) -> float:
        """Jaccard index of the two letters' own word runs; of their whole text when neither
        has own words enough (two copies of one bare quotation); 0 when only one has."""
        compared = self._compared(other)
        return _jaccard(*compared) if compared else 0.0

    def duplicates(self, other: Signature) -> float | None:
        """The likeness if the two letters are near-duplicates, else None."""
        compared = self._compared(other)
        if not compared or not _may_reach(*compared):
            return None  # nothing to compare, or sizes too far apart to need intersecting
        value = _jaccard(*compared)
        return round(value, 3) if value >= THRESHOLD else None

    def _compared(self, other: Signature) -> tuple[Runs, Runs] | None:
        if self.own and other.own:
            return self.own, other.own
        if not self.own and not other.own:
            return self.whole, other.whole
        return None


def signature(passages: Iterable[tuple[int, str, str]]) -> Signature:
    """A letter's signature from its stored passages (``(n, kind, text)``), each passage's
    words read once."""
    own: set[int] = set()
    quoted: set[int] = set()
    own_words = all_words = 0
    for _n, kind, text in passages:
        words = words_of(text)
        # each run's hash: half the time of keeping its words, and a fraction of the memory
        runs = map(hash, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))
        all_words += len(words)
        if kind == QUOTATION:
            quoted.update(runs)
        else:
            own_words += len(words)
            own.update(runs)
    mine = frozenset(own)
    whole = (mine | quoted if quoted else mine) if all_words >= MIN_WORDS else frozenset()
    return Signature(mine if own_words >= MIN_WORDS else frozenset(), whole)


def _may_reach(a: Runs, b: Runs) -> bool:
    """Whether sets of these sizes can have a Jaccard index of ``THRESHOLD`` (at most the
    smaller size over the larger)."""
    return min(len(a), len(b)) >= THRESHOLD * max(len(a), len(b))


def _jaccard(a: Runs, b: Runs) -> float:
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

"""A term's word positions in each letter, decoded once per index generation.

Whoosh decodes a posting's positions (a pickled list of gaps) every time a phrase or
proximity query passes the posting, and its phrase matcher walks the posting lists from the
first letter; a common word's positions are decoded once here into flat arrays, kept beside
its postings in the generation's bounded cache (:class:`indexer.engine.postings.PostingCache`),
so that a phrase checks only the letters that hold all its words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.reading import SegmentReader

from indexer.engine.postings import PostingCache


@dataclass(frozen=True)
class Positions:
    """One term's positions in one segment: ascending local document numbers, and for the
    i-th of them the positions ``flat[starts[i]:starts[i + 1]]`` (ascending)."""

    docs: np.ndarray  # int32
    starts: np.ndarray  # int64, one more than docs
    flat: np.ndarray  # int32

    @property
    def nbytes(self) -> int:
        return int(self.docs.nbytes + self.starts.nbytes + self.flat.nbytes)

    def of(self, docs: np.ndarray) -> list[list[int]]:
        """The positions in each of ``docs`` (documents that hold the term)."""
        at = np.searchsorted(self.docs, docs)
        starts, ends = self.starts[at].tolist(), self.starts[at + 1].tolist()
        flat = self.flat
        return [flat[a:b].tolist() for a, b in zip(starts, ends, strict=True)]


def term_positions(
    cache: PostingCache, reader: SegmentReader, fieldname: str, btext: bytes
) -> Positions:
    """The positions of ``(fieldname, btext)`` in the segment ``reader`` (empty if none)."""
    return cache.entry(reader, ("x", fieldname, btext), lambda: _decode(reader, fieldname, btext))


def _decode(reader: SegmentReader, fieldname: str, btext: bytes) -> Positions:
    """Every posting's positions, as Whoosh's matcher gives them to its spans."""
    docs: list[int] = []
    counts: list[int] = []
    flat: list[int] = []
    if (fieldname, btext) in reader:
        matcher = reader.postings(fieldname, btext)
        while matcher.is_active():
            found = matcher.value_as("positions")
            docs.append(matcher.id())
            counts.append(len(found))
            flat.extend(found)
            matcher.next()
    starts = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    decoded = Positions(np.asarray(docs, dtype=np.int32), starts, np.asarray(flat, dtype=np.int32))
    for array in (decoded.docs, decoded.starts, decoded.flat):
        array.flags.writeable = False  # shared by every thread
    return decoded

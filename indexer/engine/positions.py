"""A term's word positions in each letter, decoded once per index generation.

Whoosh decodes a posting's positions (a pickled list of gaps) every time a phrase or
proximity query passes the posting, and its phrase matcher walks the posting lists from the
first letter; a common word's positions are decoded once here into flat arrays, kept beside
its postings in the generation's bounded cache (:class:`indexer.engine.postings.PostingCache`),
so that a phrase checks only the letters that hold all its words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pickle import loads

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions as Positions_format
from whoosh.reading import SegmentReader
from whoosh.system import _INT_SIZE

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
    """Every posting's positions, as Whoosh's matcher gives them to its spans (deleted
    letters included: only letters holding the words are looked up)."""
    if (fieldname, btext) not in reader:
        return _frozen([], [], np.zeros(0, dtype=np.int64))
    fmt = reader.schema[fieldname].format
    matcher = reader._terms.matcher(fieldname, btext, fmt, scorer=None)
    if isinstance(matcher, W3LeafMatcher) and type(fmt) is Positions_format:
        return _decode_blocks(matcher)
    docs: list[int] = []
    counts: list[int] = []
    flat: list[int] = []
    while matcher.is_active():
        found = matcher.value_as("positions")
        docs.append(matcher.id())
        counts.append(len(found))
        flat.extend(found)
        matcher.next()
    return _frozen(docs, counts, np.asarray(flat, dtype=np.int64))


def _decode_blocks(matcher: W3LeafMatcher) -> Positions:
    """Whoosh's own format, block by block: each posting's value is its count and a pickled
    list of gaps (``formats.Positions.encode``); the gaps are added up with numpy."""
    docs: list[int] = []
    counts: list[int] = []
    gaps: list[int] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_values()
        docs.extend(matcher._ids)
        for value in matcher._values:
            codes = loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")
            counts.append(len(codes))
            gaps.extend(codes)
        matcher._next_block()
    running = np.cumsum(np.asarray(gaps, dtype=np.int64))
    before = np.concatenate(([0], running))[np.cumsum([0, *counts[:-1]], dtype=np.int64)]
    return _frozen(docs, counts, running - np.repeat(before, counts))


def _frozen(docs: list[int], counts: list[int], flat: np.ndarray) -> Positions:
    starts = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    decoded = Positions(np.asarray(docs, dtype=np.int32), starts, flat.astype(np.int32))
    for array in (decoded.docs, decoded.starts, decoded.flat):
        array.flags.writeable = False  # shared by every thread
    return decoded

"""A term's postings and a field's lengths as numpy arrays, decoded once per index generation.

Whoosh decodes a posting list in Python every time a query touches it (about 1 ms per 1,000
postings), and a common word is looked up in a dozen fields by every search. Here each list is
decoded once into compact arrays (document numbers, term weights) and kept in an LRU cache
bounded by bytes; each field's document lengths are kept the same way, as Whoosh stores them
(one byte a letter, quantised: BM25F scores with those quantised lengths). The cache belongs
to one index generation (:mod:`indexer.engine.gencache`) and is freed with the generation.

The bound is 64 MB per generation unless ``LETTERS_POSTINGS_CACHE_MB`` says otherwise, read
when a generation's cache is made, not on import; two generations are kept at most.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.reading import IndexReader, SegmentReader
from whoosh.util.numeric import _length_byte_cache, length_to_byte

from indexer.engine.gencache import cached


def _cache_bytes() -> int:
    """The bound from ``LETTERS_POSTINGS_CACHE_MB`` (a whole number of megabytes), else 64 MB."""
    text = os.environ.get("LETTERS_POSTINGS_CACHE_MB", "").strip()
    if text and not text.isdigit():
        raise ValueError(
            f"LETTERS_POSTINGS_CACHE_MB must be a whole number of megabytes, not {text!r}"
        )
    return int(text or 64) * 1024 * 1024


V = TypeVar("V")

#: Whoosh's field length of each length byte (``byte_to_length``), as floats for scoring
BYTE_LENGTHS = np.array(_length_byte_cache, dtype=np.float64)


@dataclass(frozen=True)
class Postings:
    """One term's postings in one segment: ascending local document numbers (deleted ones
    left out, as Whoosh's reader leaves them out) and each one's weight (term frequency)."""

    docs: np.ndarray  # int32
    weights: np.ndarray  # float32, as Whoosh stores them

    @property
    def nbytes(self) -> int:
        return int(self.docs.nbytes + self.weights.nbytes)


class PostingCache:
    """Decoded postings and field lengths of one generation's segments, least recently used
    dropped first once ``limit`` bytes are held. Safe to share between threads (two threads
    may decode the same list at once; one copy is kept)."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = _cache_bytes() if limit is None else limit
        self.held = 0
        self._entries: OrderedDict[tuple[object, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def postings(self, reader: SegmentReader, fieldname: str, btext: bytes) -> Postings:
        """The postings of ``(fieldname, btext)`` in the segment ``reader`` (empty if none)."""
        key = (reader.segment().segment_id(), "p", fieldname, btext)
        found = self._get(key)
        if isinstance(found, Postings):
            return found
        decoded = _decode(reader, fieldname, btext)
        self._put(key, decoded, decoded.nbytes)
        return decoded

    def lengths(self, reader: SegmentReader, fieldname: str, docs: np.ndarray) -> np.ndarray:
        """The lengths of ``fieldname`` in the local documents ``docs`` as Whoosh gives them
        to BM25F (from each one's length byte; 1 when the segment keeps no lengths for it)."""
        key = (reader.segment().segment_id(), "l", fieldname)
        with self._lock:
            known = key in self._entries
            codes = self._entries.get(key)
            if known:
                self._entries.move_to_end(key)
        if not known:
            codes = _length_codes(reader, fieldname)
            self._put(key, codes, _size(codes))
        if codes is None:
            return np.ones(len(docs), dtype=np.float64)
        assert isinstance(codes, np.ndarray)
        return BYTE_LENGTHS[codes[docs]]

    def entry(self, reader: SegmentReader, key: tuple[object, ...], build: Callable[[], V]) -> V:
        """Another decoded form of a segment's data (anything with ``nbytes``), under the same
        bound: built by ``build()`` when not held (:mod:`indexer.engine.positions`)."""
        key = (reader.segment().segment_id(), *key)
        found = self._get(key)
        if found is not None:
            return found
        value = build()
        self._put(key, value, _size(value))
        return value

    def _get(self, key: tuple[object, ...]) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def _put(self, key: tuple[object, ...], value: Any, size: int) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self.held += size
            while self.held > self.limit and len(self._entries) > 1:
                _old, dropped = self._entries.popitem(last=False)
                self.held -= _size(dropped)


def _size(value: Any) -> int:
    return 0 if value is None else int(value.nbytes)


def posting_cache(reader: IndexReader) -> PostingCache:
    """The cache of ``reader``'s generation (one per generation, built on first use)."""
    return cached(reader, "postings", lambda _r: PostingCache())


def _decode(reader: SegmentReader, fieldname: str, btext: bytes) -> Postings:
    """All postings of a term, block by block from Whoosh's own on-disk format (each block
    is one pickled tuple: delta-coded ids, weights); any other matcher one posting at a time."""
    if (fieldname, btext) not in reader:
        return Postings(np.zeros(0, np.int32), np.zeros(0, np.float32))
    fieldobj = reader.schema[fieldname]
    matcher = reader._terms.matcher(fieldname, btext, fieldobj.format, scorer=None)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        while matcher.is_active():
            matcher._read_weights()  # reads the block's data too
            ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
    else:
        one_ids, one_weights = [], []
        while matcher.is_active():
            one_ids.append(matcher.id())
            one_weights.append(matcher.weight())
            matcher.next()
        ids.append(np.asarray(one_ids, dtype=np.int64))
        weights.append(np.asarray(one_weights, dtype=np.float32))
    docs = np.concatenate(ids).astype(np.int32)
    weight = np.concatenate(weights)
    deleted = reader._perdoc.deleted_docs()
    if deleted:
        kept = ~np.isin(docs, np.fromiter(deleted, dtype=np.int32))
        docs, weight = docs[kept], weight[kept]
    docs.flags.writeable = weight.flags.writeable = False  # shared by every thread
    return Postings(docs, weight)


def _length_codes(reader: SegmentReader, fieldname: str) -> np.ndarray | None:
    """The lengths column of a field read whole: one byte per document, as Whoosh's
    ``doc_field_length`` reads it (documents past the column's end have byte 0)."""
    perdoc = reader._perdoc
    count = reader.doc_count_all()
    if not isinstance(perdoc, W3PerDocReader):
        lengths = (reader.doc_field_length(d, fieldname, 0) or 0 for d in range(count))
        return np.fromiter((length_to_byte(n) for n in lengths), dtype=np.uint8, count=count)
    column_reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column_reader is None:
        return None
    stored = min(column_reader._count, count)
    raw = column_reader._dbfile.get(column_reader._basepos, stored) if stored else b""
    codes = np.zeros(count, dtype=np.uint8)
    codes[:stored] = np.frombuffer(raw, dtype=np.uint8)
    codes.flags.writeable = False
    return codes

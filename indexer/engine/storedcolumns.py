"""Where each letter's stored record lies, read once per index generation, not per request.

Whoosh keeps the stored fields of a segment in one column; a new searcher's first
``stored_fields`` call reads that column's whole table of record lengths and (below 32,768
letters, where Whoosh writes none) adds them up into offsets in Python: 11-13 ms per request
on 18,846 letters under load, before reading the ten records a page shows. The table belongs
to the segment, which never changes; it is read once per generation
(:mod:`indexer.engine.gencache`) and given to every later searcher's column reader.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import STORED_COLUMN, W3PerDocReader
from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.reading import IndexReader, SegmentReader

from indexer.engine.gencache import cached

STORED = "_stored"  # the column's name in Whoosh's codec

Table = tuple[Any, Any]  # (offsets, lengths) of one segment's records: array.array


def share_record_tables(reader: IndexReader) -> None:
    """Give each segment of ``reader`` the record table of its generation (read by the first
    searcher of the generation): its ``stored_fields`` then reads only the records asked."""
    tables = cached(reader, "stored-tables", _read_tables)
    for leaf, _offset in reader.leaf_readers():
        if not isinstance(leaf, SegmentReader):
            continue  # an empty index's reader: no segment, no records
        perdoc = leaf._perdoc
        table = tables.get(leaf.segment().segment_id())
        if isinstance(perdoc, W3PerDocReader) and table and STORED not in perdoc._readers:
            column = PickleColumn(_KnownTableColumn(table))
            perdoc._readers[STORED] = perdoc.column_reader(STORED, column)


def _read_tables(reader: IndexReader) -> dict[str, Table]:
    """Each segment's record table, read as Whoosh reads it (the reading searcher keeps the
    column reader, as its first ``stored_fields`` call would)."""
    tables: dict[str, Table] = {}
    for leaf, _offset in reader.leaf_readers():
        perdoc = leaf._perdoc if isinstance(leaf, SegmentReader) else None
        if not isinstance(perdoc, W3PerDocReader) or not perdoc.has_column(STORED):
            continue
        column_reader = perdoc._cached_reader(STORED, STORED_COLUMN)
        child = getattr(column_reader, "_child", None)
        if isinstance(child, CompressedBytesColumn.Reader):
            tables[leaf.segment().segment_id()] = (child._offsets, child._lengths)
    return tables


class _KnownTableColumn(CompressedBytesColumn):
    """Whoosh's stored-records column, its table given rather than read."""

    def __init__(self, table: Table) -> None:
        super().__init__()
        self._table = table

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> Any:
        return _KnownTableReader(dbfile, basepos, length, doccount, self._table)


class _KnownTableReader(CompressedBytesColumn.Reader):
    def __init__(self, dbfile: Any, basepos: int, length: int, doccount: int, table: Table):
        self._table = table
        super().__init__(dbfile, basepos, length, doccount, "zlib")

    def _read_offsets_and_lengths(self) -> None:
        self._offsets, self._lengths = self._table

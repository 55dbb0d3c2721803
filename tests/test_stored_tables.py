"""Searchers share their generation's stored-records tables and read the same records.

Whoosh reads a segment's whole table of record lengths on a searcher's first
``stored_fields`` call; :mod:`indexer.engine.storedcolumns` reads it once per generation.
The records are compared with those of a plain Whoosh searcher of the same index, and the
table reads are counted.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.columns import VarBytesColumn

from indexer.engine.generations import current_generation
from indexer.engine.index import LetterIndex
from indexer.engine.schema import build_schema
from tests.conftest import CORPUS


def table_reads(monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Counts Whoosh's reads of a column's table of lengths (one entry per read)."""
    reads: list[int] = []
    original = VarBytesColumn.Reader._read_offsets_and_lengths

    def counted(self) -> None:  # type: ignore[no-untyped-def]
        reads.append(self._doccount)
        original(self)

    monkeypatch.setattr(VarBytesColumn.Reader, "_read_offsets_and_lengths", counted)
    return reads


def all_records(index: LetterIndex) -> list[dict[str, object]]:
    with closing(index.searcher()) as searcher:
        return [searcher.stored_fields(d) for d in range(searcher.doc_count_all())]


def plain_whoosh_records(root: Path) -> list[dict[str, object]]:
    target = current_generation(root)
    assert target is not None
    with whoosh_index.open_dir(str(target), schema=build_schema()).searcher() as searcher:
        return [searcher.stored_fields(d) for d in range(searcher.doc_count_all())]


def test_later_searchers_read_no_table_and_the_same_records(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a generation of its own: a copy of the session's index would have the same segments,
    # whose tables an earlier test of this process may have read already
    root = tmp_path / "index"
    assert not LetterIndex(root).rebuild(CORPUS).errors
    expected = plain_whoosh_records(root)
    assert len(expected) == 5 and all(record["id"] for record in expected)
    index = LetterIndex(root)
    reads = table_reads(monkeypatch)
    assert all_records(index) == expected  # the generation's first searcher reads the table
    assert reads == [5]
    for _ in range(3):
        assert all_records(index) == expected
    assert reads == [5]  # later searchers: none


def test_letters1916_records_are_whooshs(letters1916_index: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An edition the project did not write: 478 letters, every record the same."""
    expected = plain_whoosh_records(letters1916_index)
    index = LetterIndex(letters1916_index)
    all_records(index)  # the generation's table is read (now or by an earlier test)
    reads = table_reads(monkeypatch)
    assert all_records(index) == expected
    assert len(expected) == 478 and reads == []


def test_an_empty_archive_has_no_table_to_share() -> None:
    """A new archive's index has no segment (Whoosh's EmptyReader): searchers still open."""
    from whoosh.reading import EmptyReader

    from indexer.engine.storedcolumns import share_record_tables

    reader = EmptyReader(build_schema())
    share_record_tables(reader)
    assert reader.leaf_readers() and reader.doc_count_all() == 0

"""Facet tables count exactly what the index holds, for any set of letters."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from indexer.engine.facets import facet_tables
from indexer.engine.schema import FACET_FIELDS


def _naive(reader, facet: str, docs: set[int]) -> Counter[str]:  # type: ignore[no-untyped-def]
    field = FACET_FIELDS[facet]
    counts: Counter[str] = Counter()
    for raw in reader.lexicon(field):
        value = raw.decode("utf-8")
        counts[value] = len(set(reader.postings(field, raw).all_ids()) & docs)
    return +counts  # without zeros


def test_counts_and_selections_match_the_postings(searcher) -> None:  # type: ignore[no-untyped-def]
    reader = searcher.reader()
    tables = facet_tables(reader)
    everything = set(reader.all_doc_ids())
    assert tables["sender"].more  # the joint letter: a document with several senders
    for facet, table in tables.items():
        assert table.count(everything) == _naive(reader, facet, everything), facet
        for value in table.values:
            expected = set(reader.postings(FACET_FIELDS[facet], value).all_ids())
            assert table.documents(value) == expected
    assert tables["sender"].documents("no such sender") == set()


def test_counts_of_every_subset(searcher) -> None:  # type: ignore[no-untyped-def]
    reader = searcher.reader()
    letters = sorted(reader.all_doc_ids())
    tables = facet_tables(reader)
    for size in range(len(letters) + 1):
        for subset in combinations(letters, size):
            docs = set(subset)
            for facet, table in tables.items():
                assert table.count(docs) == _naive(reader, facet, docs), (facet, docs)


def test_most_frequent_values_are_those_of_a_full_sort() -> None:
    """Ties at the cut are ordered alphabetically (ignoring case), as a full sort does."""
    from indexer.engine.facets import _most_frequent

    tally = Counter({f"{'ABCDEFGH'[i % 8]}{'xyz'[i % 3]}{i}": (i * 7) % 5 + 1 for i in range(300)})
    for limit in (1, 3, 10, 100, 299, 300, 500):
        everything = sorted(tally.items(), key=lambda item: (-item[1], item[0].casefold()))
        assert _most_frequent(tally, limit) == everything[:limit]

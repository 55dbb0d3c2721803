"""Facet counting over sets of document numbers.

Each facet field keeps, per reader, a map value -> documents (from the field's postings), so a
multi-valued field counts every value (a joint letter counts for both senders). Selecting
several values of one facet widens (OR); different facets narrow (AND). A facet's counts are
taken over the letters matching the query and every *other* facet's selection, so its other
values stay visible and clicking one adds exactly the count shown. Values left out
(``-sender=…``) take their letters out of every other facet's counts; a facet's own left-out
values stay listed with the count they would add back.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from whoosh.reading import IndexReader

from indexer.engine.budget import Budget
from indexer.engine.gencache import cached
from indexer.engine.schema import FACET_FIELDS
from indexer.results import FacetCount

MAX_VALUES = 100  # per facet in a result (most frequent first), plus any selected ones


@dataclass(frozen=True)
class FacetTable:
    """One facet of one index generation, as compact columns.

    Values are numbered; ``first`` holds each document's first value number (-1: none) and
    ``more`` the other values of the few documents with several (a joint letter's senders);
    ``postings`` the sorted document numbers of each value, for selections. Sets of Python
    ints per value and per document took about 300 MB for seven facets at 190,000 letters;
    these take a few MB, and counting a set of documents is one pass in C over ``first``.
    """

    values: tuple[str, ...]  # value number -> value
    first: array  # document -> number of its first value, or -1
    more: dict[int, tuple[int, ...]]  # document -> numbers of its other values
    postings: dict[str, array]  # value -> its documents, ascending

    def count(self, docs: set[int]) -> Counter[str]:
        """How many of ``docs`` carry each value."""
        tally = Counter(map(self.first.__getitem__, docs))
        if self.more:
            several = docs & self.more.keys() if len(docs) > len(self.more) else self.more
            for doc in several:
                if doc in docs:
                    tally.update(self.more[doc])
        tally.pop(-1, None)
        names = self.values
        return Counter({names[number]: n for number, n in tally.items()})

    def documents(self, value: str) -> set[int]:
        """The documents carrying ``value``."""
        return set(self.postings.get(value, ()))


def facet_tables(reader: IndexReader) -> dict[str, FacetTable]:
    """The facet tables of this reader's generation, built once and shared by all searches."""
    return cached(reader, "facets", _build_tables)


def _build_tables(reader: IndexReader) -> dict[str, FacetTable]:
    size = reader.doc_count_all()
    return {facet: _table(value_postings(reader, facet), size) for facet in FACET_FIELDS}


def _table(postings: dict[str, array], size: int) -> FacetTable:
    values = tuple(postings)
    first = array("i", [-1]) * size
    more: dict[int, list[int]] = {}
    for number, value in enumerate(values):
        for doc in postings[value]:
            if first[doc] < 0:
                first[doc] = number
            else:
                more.setdefault(doc, []).append(number)
    return FacetTable(values, first, {doc: tuple(v) for doc, v in more.items()}, postings)


def value_postings(reader: IndexReader, facet: str) -> dict[str, array]:
    """Every value of a facet with the (live) documents that carry it, ascending.

    Read segment by segment: a multi-segment reader merges every segment's lexicon and wraps
    every posting list, several times slower for the ~100,000 values of a large archive.
    """
    fieldname = FACET_FIELDS[facet]
    collected: dict[str, array] = {}
    for leaf, offset in reader.leaf_readers():  # ascending offsets: lists stay ascending
        if fieldname not in leaf.indexed_field_names():
            continue
        for raw in leaf.lexicon(fieldname):
            ids = leaf.postings(fieldname, raw).all_ids()
            value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            docs = collected.setdefault(value, array("i"))
            docs.extend(ids if offset == 0 else (offset + d for d in ids))
    return {value: docs for value, docs in collected.items() if docs}


def selection_sets(
    tables: Mapping[str, FacetTable],
    filters: Mapping[str, tuple[str, ...]],
) -> dict[str, set[int]]:
    """For each facet with selected values, the documents having any of them."""
    selected: dict[str, set[int]] = {}
    for facet, values in filters.items():
        docs: set[int] = set()
        for value in values:
            docs |= tables[facet].documents(value)
        selected[facet] = docs
    return selected


def count_facets(
    base: set[int],
    tables: Mapping[str, FacetTable],
    filters: Mapping[str, tuple[str, ...]],
    selections: Mapping[str, set[int]],
    budget: Budget | None = None,
    exclude: Mapping[str, tuple[str, ...]] | None = None,
    excluded: Mapping[str, set[int]] | None = None,
) -> dict[str, list[FacetCount]]:
    """Counts per facet value, most frequent first (years: newest first), at most MAX_VALUES
    of them; selected and left-out values always listed. Facets not reached before the
    budget ran out have no values."""
    exclude = exclude or {}
    excluded = excluded or {}
    result: dict[str, list[FacetCount]] = {}
    for facet in FACET_FIELDS:
        if budget is not None and budget.spent():
            result[facet] = []
            continue
        docs = base
        for other, chosen in selections.items():
            if other != facet:
                docs = docs & chosen
        for other, left_out in excluded.items():
            if other != facet:
                docs = docs - left_out
        chosen_values = set(filters.get(facet, ()))
        out_values = set(exclude.get(facet, ()))
        tally = tables[facet].count(docs)
        if facet == "year":
            shown = sorted(tally.items(), reverse=True)
        else:
            shown = _most_frequent(tally, MAX_VALUES)
        listed = {value for value, _n in shown[:MAX_VALUES]}
        shown = shown[:MAX_VALUES] + [
            (value, tally.get(value, 0)) for value in sorted((chosen_values | out_values) - listed)
        ]
        result[facet] = [
            FacetCount(v, n, v in chosen_values, excluded=v in out_values) for v, n in shown
        ]
    return result


def _most_frequent(tally: Counter[str], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` most frequent values (ties alphabetically, ignoring case), without
    sorting the tens of thousands of senders of a large archive."""
    items = list(tally.items())
    if len(items) > limit:
        threshold = heapq.nlargest(limit, tally.values())[-1]
        items = [(value, n) for value, n in items if n >= threshold]
    items.sort(key=lambda item: (-item[1], item[0].casefold()))
    return items[:limit]

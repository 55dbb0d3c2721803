"""Facet counting over sets of document numbers.

Each facet field keeps, per reader, a map value -> documents (from the field's postings), so a
multi-valued field counts every value (a joint letter counts for both senders). Selecting
several values of one facet widens (OR); different facets narrow (AND). A facet's counts are
taken over the letters matching the query and every *other* facet's selection, so its other
values stay visible and clicking one adds exactly the count shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from whoosh.reading import IndexReader

from indexer.gencache import cached
from indexer.schema import FACET_FIELDS

MAX_VALUES = 100  # per facet in a result (most frequent first), plus any selected ones


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool
    label: str = ""  # what people read; the value itself unless an authority names it

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.value)


@dataclass(frozen=True)
class FacetTable:
    """One facet of one index generation: documents per value, and values per document."""

    postings: dict[str, frozenset[int]]
    values_of: dict[int, tuple[str, ...]]

    def count(self, docs: set[int]) -> Counter[str]:
        """How many of ``docs`` carry each value (walking whichever side is smaller)."""
        if len(docs) < len(self.postings):
            counts: Counter[str] = Counter()
            for doc in docs:
                counts.update(self.values_of.get(doc, ()))
            return counts
        return Counter({v: len(ids & docs) for v, ids in self.postings.items() if ids & docs})


def facet_tables(reader: IndexReader) -> dict[str, FacetTable]:
    """The facet tables of this reader's generation, built once and shared by all searches."""
    return cached(reader, "facets", _build_tables)


def _build_tables(reader: IndexReader) -> dict[str, FacetTable]:
    return {facet: _table(value_postings(reader, facet)) for facet in FACET_FIELDS}


def _table(postings: dict[str, frozenset[int]]) -> FacetTable:
    values_of: dict[int, list[str]] = {}
    for value, ids in postings.items():
        for doc in ids:
            values_of.setdefault(doc, []).append(value)
    return FacetTable(postings, {doc: tuple(v) for doc, v in values_of.items()})


def value_postings(reader: IndexReader, facet: str) -> dict[str, frozenset[int]]:
    """Every value of a facet with the (live) documents that carry it."""
    fieldname = FACET_FIELDS[facet]
    if fieldname not in reader.indexed_field_names():
        return {}
    postings: dict[str, frozenset[int]] = {}
    for raw in reader.lexicon(fieldname):
        value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        ids = frozenset(reader.postings(fieldname, raw).all_ids())
        if ids:
            postings[value] = ids
    return postings


def selection_sets(
    tables: Mapping[str, FacetTable],
    filters: Mapping[str, tuple[str, ...]],
) -> dict[str, set[int]]:
    """For each facet with selected values, the documents having any of them."""
    selected: dict[str, set[int]] = {}
    for facet, values in filters.items():
        docs: set[int] = set()
        for value in values:
            docs |= tables[facet].postings.get(value, frozenset())
        selected[facet] = docs
    return selected


def count_facets(
    base: set[int],
    tables: Mapping[str, FacetTable],
    filters: Mapping[str, tuple[str, ...]],
    selections: Mapping[str, set[int]],
) -> dict[str, list[FacetCount]]:
    """Counts per facet value, most frequent first; selected values always listed."""
    result: dict[str, list[FacetCount]] = {}
    for facet in FACET_FIELDS:
        docs = base
        for other, chosen in selections.items():
            if other != facet:
                docs = docs & chosen
        chosen_values = set(filters.get(facet, ()))
        tally = tables[facet].count(docs)
        counts = [FacetCount(v, n, v in chosen_values) for v, n in tally.items()]
        counts += [FacetCount(v, 0, True) for v in chosen_values if not tally.get(v)]
        if facet == "year":
            counts.sort(key=lambda c: c.value, reverse=True)
        else:
            counts.sort(key=lambda c: (-c.count, c.value.casefold()))
        shown = counts[:MAX_VALUES]
        result[facet] = shown + [c for c in counts[MAX_VALUES:] if c.selected]
    return result

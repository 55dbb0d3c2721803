"""Facet counting over sets of document numbers.

Each facet field keeps, per reader, a map value -> documents (from the field's postings), so a
multi-valued field counts every value (a joint letter counts for both senders). Selecting
several values of one facet widens (OR); different facets narrow (AND). A facet's counts are
taken over the letters matching the query and every *other* facet's selection, so its other
values stay visible and clicking one adds exactly the count shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from whoosh.reading import IndexReader

from indexer.schema import FACET_FIELDS


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool
    label: str = ""  # what people read; the value itself unless an authority names it

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.value)


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
    postings: Mapping[str, Mapping[str, frozenset[int]]],
    filters: Mapping[str, tuple[str, ...]],
) -> dict[str, set[int]]:
    """For each facet with selected values, the documents having any of them."""
    selected: dict[str, set[int]] = {}
    for facet, values in filters.items():
        docs: set[int] = set()
        for value in values:
            docs |= postings[facet].get(value, frozenset())
        selected[facet] = docs
    return selected


def count_facets(
    base: set[int],
    postings: Mapping[str, Mapping[str, frozenset[int]]],
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
        counts = []
        for value, ids in postings[facet].items():
            count = len(ids & docs) if len(ids) < len(docs) else len(docs & ids)
            if count or value in chosen_values:
                counts.append(FacetCount(value, count, value in chosen_values))
        for value in chosen_values - set(postings[facet]):
            counts.append(FacetCount(value, 0, True))
        if facet == "year":
            counts.sort(key=lambda c: c.value, reverse=True)
        else:
            counts.sort(key=lambda c: (-c.count, c.value.casefold()))
        result[facet] = counts
    return result

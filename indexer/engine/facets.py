"""Facet counting over sets of document numbers.

Each facet field keeps, per reader, a map value -> documents (from the field's postings), so a
multi-valued field counts every value (a joint letter counts for both senders). Selecting
several values of one facet widens (OR); different facets narrow (AND). A facet's counts are
taken over the letters matching the query and every *other* facet's selection, so its other
values stay visible and clicking one adds exactly the count shown. Values left out
(``-sender=…``) take their letters out of every other facet's counts; a facet's own left-out
values stay listed with the count they would add back.

A name indexed with an identity key (``name<KEY_MARK>key``, from TEI ``@ref``/``@key``) counts
for its key: "Sir Robert Chalmers" and "Robert Chalmers" with one key are one value, the key,
labelled with the name most letters give it. Selecting (or leaving out) a facet by any of its
names selects the identity, so links by name keep working.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from whoosh.reading import IndexReader

from indexer.engine.budget import Budget
from indexer.engine.gencache import cached
from indexer.engine.schema import FACET_FIELDS, KEY_MARK
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
    labels: Mapping[str, str] = field(default_factory=dict)  # keyed value -> its name
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # name -> keys

    def canonical(self, value: str) -> tuple[str, ...]:
        """The values a selection of ``value`` (a value, or a name of keyed ones) means."""
        if value in self.postings:
            return (value,)
        return self.aliases.get(value, (value,))

    def label(self, value: str) -> str:
        return self.labels.get(value, "")

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
        docs: set[int] = set()
        for one in self.canonical(value):
            docs.update(self.postings.get(one, ()))
        return docs


def facet_tables(reader: IndexReader) -> dict[str, FacetTable]:
    """The facet tables of this reader's generation, built once and shared by all searches."""
    return cached(reader, "facets", _build_tables)


def _build_tables(reader: IndexReader) -> dict[str, FacetTable]:
    size = reader.doc_count_all()
    return {facet: table(value_postings(reader, facet), size) for facet in FACET_FIELDS}


def _by_identity(
    raw: dict[str, array],
) -> tuple[dict[str, array], dict[str, str], dict[str, tuple[str, ...]]]:
    """Postings merged per identity key, each key's label (its most frequent name, ties
    alphabetically) and, for every name of a keyed value, the keys it stands for."""
    if not any(KEY_MARK in value for value in raw):
        return raw, {}, {}
    postings: dict[str, array] = {}
    names: dict[str, Counter[str]] = {}
    for value, docs in raw.items():
        name, _mark, key = value.partition(KEY_MARK)
        if not key:
            postings.setdefault(name, array("i")).extend(docs)
            continue
        names.setdefault(key, Counter())[name] += len(docs)
        postings.setdefault(key, array("i")).extend(docs)
    postings = {v: array("i", sorted(set(d))) for v, d in postings.items()}
    labels = {key: min(count, key=lambda n: (-count[n], n)) for key, count in names.items()}
    aliases: dict[str, list[str]] = {}
    for key, count in names.items():
        for name in count:
            aliases.setdefault(name, []).append(key)
    return postings, labels, {name: tuple(keys) for name, keys in aliases.items()}


def table(raw: dict[str, array], size: int) -> FacetTable:
    """The table of a field's values and their documents (``size``: all document numbers);
    values carrying an identity key are merged under it."""
    postings, labels, aliases = _by_identity(raw)
    values = tuple(postings)
    first = array("i", [-1]) * size
    more: dict[int, list[int]] = {}
    for number, value in enumerate(values):
        for doc in postings[value]:
            if first[doc] < 0:
                first[doc] = number
            else:
                more.setdefault(doc, []).append(number)
    several = {doc: tuple(v) for doc, v in more.items()}
    return FacetTable(values, first, several, postings, labels, aliases)


def value_postings(
    reader: IndexReader, facet: str, fieldname: str | None = None
) -> dict[str, array]:
    """Every value of a facet (or of another field of exact values) with the (live)
    documents that carry it, ascending.

    Read segment by segment: a multi-segment reader merges every segment's lexicon and wraps
    every posting list, several times slower for the ~100,000 values of a large archive.
    """
    fieldname = fieldname or FACET_FIELDS[facet]
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
            docs |= tables[facet].documents(value)  # by any of an identity's names
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
        table = tables[facet]
        chosen_values = {v for value in filters.get(facet, ()) for v in table.canonical(value)}
        out_values = {v for value in exclude.get(facet, ()) for v in table.canonical(value)}
        tally = table.count(docs)
        if facet == "year":
            shown = sorted(tally.items(), reverse=True)
        else:
            shown = _most_frequent(tally, MAX_VALUES)
        listed = {value for value, _n in shown[:MAX_VALUES]}
        shown = shown[:MAX_VALUES] + [
            (value, tally.get(value, 0)) for value in sorted((chosen_values | out_values) - listed)
        ]
        result[facet] = [
            FacetCount(
                v,
                n,
                v in chosen_values,
                table.label(v),
                key=v if table.label(v) else "",
                excluded=v in out_values,
            )
            for v, n in shown
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

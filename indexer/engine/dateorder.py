"""Dates of one index generation as plain lists: overlap filters and date order without Whoosh.

Range queries over the whole archive and sorting every match per request were the slow parts
of a filtered or browsed search; the date columns of a generation are read once instead.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from whoosh.reading import IndexReader

from indexer.engine.gencache import cached, live_documents
from indexer.engine.schema import NO_DATE


@dataclass(frozen=True)
class DateTable:
    date_from: list[int]  # by document number; NO_DATE when undated
    date_to: list[int]
    oldest_first: list[int]  # dated documents by (date_from, date_to, number)
    undated: list[int]
    sequence: list[int]  # oldest_first + undated: the letters' order on the letter pages
    position: dict[int, int]  # document -> its place in sequence
    undated_set: frozenset[int]
    earliest: int  # the first day any letter covers (NO_DATE: none is dated)
    latest: int  # the last day any letter covers

    def neighbours(self, doc: int) -> tuple[int | None, int | None]:
        """The documents just before and after one in date order (undated letters last)."""
        sequence = self.sequence
        i = self.position.get(doc)
        if i is None:
            return None, None
        return (
            sequence[i - 1] if i > 0 else None,
            sequence[i + 1] if i + 1 < len(sequence) else None,
        )

    def overlapping(self, docs: Iterable[int], low: int | None, high: int | None) -> set[int]:
        """The documents whose date range touches [low, high] (None: open end)."""
        lo = low if low is not None else 0
        hi = high if high is not None else 99_999_999
        starts, ends = self.date_from, self.date_to
        return {d for d in docs if starts[d] != NO_DATE and starts[d] <= hi and ends[d] >= lo}

    def counts(self, docs: Iterable[int], spans: Sequence[tuple[int, int]]) -> list[int]:
        """How many of ``docs`` touch each of the ascending, disjoint day ranges ``spans`` —
        the same overlap as :meth:`overlapping`, so a bar's count is what its filter finds."""
        tally = [0] * len(spans)
        highs = [high for _low, high in spans]
        starts, ends = self.date_from, self.date_to
        for doc in docs:
            start = starts[doc]
            if start == NO_DATE:
                continue
            i = bisect.bisect_left(highs, start)
            while i < len(spans) and spans[i][0] <= ends[doc]:
                tally[i] += 1
                i += 1
        return tally

    def ordered(self, docs: set[int], newest: bool, limit: int) -> list[int]:
        """The first ``limit`` of ``docs`` by date (undated letters last either way)."""
        dated = reversed(self.oldest_first) if newest else iter(self.oldest_first)
        page: list[int] = []
        for sequence in (dated, iter(self.undated)):
            for doc in sequence:
                if doc in docs:
                    page.append(doc)
                    if len(page) >= limit:
                        return page
        return page


def date_table(reader: IndexReader) -> DateTable:
    return cached(reader, "dates", _build)


def _build(reader: IndexReader) -> DateTable:
    if reader.doc_count_all() == 0:  # a new archive: Whoosh's EmptyReader has no columns
        starts, ends = [], []
    else:
        starts = list(reader.column_reader("sort_date"))
        ends = list(reader.column_reader("date_to"))
    live = live_documents(reader)
    dated = sorted((d for d in live if starts[d] != NO_DATE), key=lambda d: (starts[d], ends[d], d))
    undated = sorted(d for d in live if starts[d] == NO_DATE)
    sequence = dated + undated
    position = {doc: i for i, doc in enumerate(sequence)}
    earliest = starts[dated[0]] if dated else NO_DATE
    latest = max((ends[d] for d in dated), default=NO_DATE)
    return DateTable(
        starts, ends, dated, undated, sequence, position, frozenset(undated), earliest, latest
    )

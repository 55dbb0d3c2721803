"""One index generation, opened for reading: a Whoosh searcher and the authorities that
generation was built with, so that every read of one request sees the same letters."""

from __future__ import annotations

import json
from typing import Any

from whoosh.searching import Searcher

from indexer.engine.budget import Budget
from indexer.engine.dateorder import date_table
from indexer.engine.facets import facet_tables
from indexer.engine.gencache import generation_key
from indexer.engine.query import parse_query
from indexer.engine.schema import NO_DATE, date_iso
from indexer.engine.search import SearchResult, highlight_terms, search
from indexer.engine.snippets import Highlight
from indexer.letters.authority import Authorities
from indexer.request import SearchRequest

Record = dict[str, Any]  # a letter as stored: metadata, body, passages, html


class Snapshot:
    """Close it when done (``contextlib.closing``). ``searcher`` is for the engine's own code
    and tests; the facade never hands it out."""

    def __init__(self, searcher: Searcher, authorities: Authorities, seconds: float) -> None:
        self.searcher = searcher
        self.authorities = authorities
        self.seconds = seconds  # the time limit of each search

    def close(self) -> None:
        self.searcher.close()

    @property
    def generation(self) -> tuple[object, ...]:
        """Identifies the letters this snapshot sees (equal for equal index states)."""
        return generation_key(self.searcher.reader())

    def search(self, request: SearchRequest) -> SearchResult:
        return search(self.searcher, request, self.authorities, self.seconds)

    def highlight(self, q: str) -> Highlight:
        parsed = parse_query(q, self.searcher.schema, self.authorities)
        return highlight_terms(self.searcher, parsed, Budget(self.seconds), self.authorities)

    def date_range(self) -> tuple[str | None, str | None]:
        """The first and last day the archive's letters cover (None, None: none is dated)."""
        dates = date_table(self.searcher.reader())
        if dates.earliest == NO_DATE:
            return None, None
        return date_iso(dates.earliest), date_iso(dates.latest)

    def facet_values(self, facet: str) -> dict[str, int]:
        """Every value of a facet in the whole archive with its number of letters."""
        table = facet_tables(self.searcher.reader())[facet]
        return {value: len(docs) for value, docs in table.postings.items()}

    def record(self, letter_id: str) -> Record | None:
        fields = self.searcher.document(id=letter_id)
        return json.loads(fields["doc"]) if fields else None

    def neighbours(self, letter_id: str) -> tuple[Record | None, Record | None]:
        """The letters just before and after this one in date order (undated ones last)."""
        doc = self.searcher.document_number(id=letter_id)
        if doc is None:
            return None, None
        before, after = date_table(self.searcher.reader()).neighbours(doc)
        return self._record_at(before), self._record_at(after)

    def _record_at(self, doc: int | None) -> Record | None:
        if doc is None:
            return None
        return json.loads(self.searcher.stored_fields(doc)["doc"])

"""The archive as the web app and the CLI see it: search, letters and neighbours, no Whoosh.

``Archive`` knows where the index is; ``Archive.session()`` opens one searcher (per request in
the web app) that must be closed. Swapping in a rebuilt index needs no restart: each new
session opens the current generation.

This module is the web app's only door to the engine: it also names the facets, the index
errors and the passage matching the pages use, so that another engine (OpenSearch) could take
Whoosh's place behind it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.searching import Searcher

from indexer.authority import Authorities
from indexer.config import search_seconds as checked_seconds
from indexer.engine.dateorder import date_table
from indexer.engine.gencache import generation_key
from indexer.engine.index import (
    IndexError_,
    IndexMissing,
    IndexOutdated,
    IndexUnreadable,
    LetterIndex,
)
from indexer.engine.query import parse_query
from indexer.engine.search import SEARCH_SECONDS, SearchResult, highlight_terms, search
from indexer.engine.snippets import Highlight, match_passage
from indexer.request import FACETS, SearchRequest

__all__ = [
    "FACETS",
    "Archive",
    "ArchiveSession",
    "Highlight",
    "IndexError_",
    "IndexMissing",
    "IndexOutdated",
    "IndexUnreadable",
    "StoredLetter",
    "match_passage",
]


@dataclass(frozen=True)
class StoredLetter:
    """A letter as stored in the index: metadata, Markdown body and numbered passages."""

    record: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.record["id"])

    @property
    def body(self) -> str:
        return str(self.record.get("body", ""))

    @property
    def passages(self) -> list[tuple[int, str, str]]:
        return [tuple(p) for p in self.record["passages"]]  # type: ignore[misc]

    def passage(self, n: int) -> str | None:
        return next((text for num, _kind, text in self.passages if num == n), None)

    def metadata(self) -> dict[str, Any]:
        return {k: v for k, v in self.record.items() if k not in {"body", "passages"}}


class Archive:
    def __init__(self, index_root: str | Path, search_seconds: float = SEARCH_SECONDS) -> None:
        """``search_seconds``: the time limit of each search (ValueError unless positive)."""
        self.index = LetterIndex(index_root)
        self.search_seconds = checked_seconds(search_seconds)
        self._warmed: tuple[object, ...] | None = None  # the generation warm() last built

    def session(self) -> ArchiveSession:
        searcher = self.index.searcher()
        return ArchiveSession(searcher, self.index.authorities(), self.search_seconds)

    def warm(self) -> None:
        """Build what each index generation keeps for all searches (facet tables, dates, the
        whole archive's counts) now, so that the first search after a start or an index change
        does not wait for them (seconds at 190,000 letters). Only opens a searcher when the
        generation was warmed already."""
        with self.session() as session:
            generation = generation_key(session._searcher.reader())
            if generation != self._warmed:
                session.search(SearchRequest())
                self._warmed = generation


class ArchiveSession:
    """One open searcher; every read of one request goes through the same snapshot."""

    def __init__(
        self, searcher: Searcher, authorities: Authorities, search_seconds: float = SEARCH_SECONDS
    ) -> None:
        self._searcher = searcher
        self.authorities = authorities
        self.search_seconds = search_seconds

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> ArchiveSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(self, request: SearchRequest) -> SearchResult:
        return search(self._searcher, request, self.authorities, self.search_seconds)

    def highlight_terms(self, q: str) -> Highlight:
        """What to mark for query ``q`` in a letter's passages (as the search marks snippets)."""
        parsed = parse_query(q, self._searcher.schema, self.authorities)
        return highlight_terms(self._searcher, parsed, self.authorities, self.search_seconds)

    def letter(self, letter_id: str) -> StoredLetter | None:
        fields = self._searcher.document(id=letter_id)
        return StoredLetter(json.loads(fields["doc"])) if fields else None

    def neighbours(self, letter_id: str) -> tuple[StoredLetter | None, StoredLetter | None]:
        """The letters just before and after this one in date order (undated ones last)."""
        doc = self._searcher.document_number(id=letter_id)
        if doc is None:
            return None, None
        before, after = date_table(self._searcher.reader()).neighbours(doc)
        return self._stored(before), self._stored(after)

    def _stored(self, doc: int | None) -> StoredLetter | None:
        if doc is None:
            return None
        return StoredLetter(json.loads(self._searcher.stored_fields(doc)["doc"]))

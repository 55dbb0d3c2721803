"""The archive as the web app and the CLI see it: writing the index from the corpus, and
reading it — searches, letters, neighbours — in sessions. No Whoosh here.

``Archive`` knows where the index is. ``Archive.session()`` opens one snapshot of the current
index generation (per request in the web app) that must be closed; a rebuilt index swapped in
needs no restart, since each new session opens the generation current then.

This module is the only door to the engine: it also names the facets, the index problems, the
report of an indexing run and the passage matching the pages use, so that another engine
(OpenSearch) could take Whoosh's place behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from indexer.config import RESULT_CACHE_MB, result_cache_megabytes
from indexer.config import search_seconds as checked_seconds
from indexer.correspondents import Directory, Network, PersonProfile
from indexer.engine.errors import (
    IndexBusy,
    IndexMissing,
    IndexOutdated,
    IndexProblem,
    IndexUnreadable,
)
from indexer.engine.index import LetterIndex
from indexer.engine.marking import merge_spans
from indexer.engine.resultcache import ResultCache
from indexer.engine.search import SEARCH_SECONDS
from indexer.engine.snapshot import Record, Snapshot
from indexer.engine.snippets import Highlight, match_passage
from indexer.engine.writing import IndexReport, Progress
from indexer.letters.authority import Authorities
from indexer.request import FACETS, SearchRequest
from indexer.results import Hit, SearchResult, SharedPassage, SimilarLetter

__all__ = [
    "FACETS",
    "Archive",
    "ArchiveSession",
    "Highlight",
    "IndexBusy",
    "IndexMissing",
    "IndexOutdated",
    "IndexProblem",
    "IndexReport",
    "IndexUnreadable",
    "Progress",
    "SharedPassage",
    "SimilarLetter",
    "StoredLetter",
    "match_passage",
    "merge_spans",
]


@dataclass(frozen=True)
class StoredLetter:
    """A letter as stored in the index: metadata, Markdown body, numbered passages and the body
    as sanitised HTML whose ``id="p<n>"`` anchors are those passages."""

    record: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.record["id"])

    @property
    def body(self) -> str:
        return str(self.record.get("body", ""))

    @property
    def html(self) -> str:
        return str(self.record["html"])

    @property
    def passages(self) -> list[tuple[int, str, str]]:
        return [(int(n), str(kind), str(text)) for n, kind, text in self.record["passages"]]

    def passage(self, n: int) -> str | None:
        return next((text for num, _kind, text in self.passages if num == n), None)

    @property
    def passage_languages(self) -> dict[int, str]:
        """¶ number -> language, for the passages not in the letter's own language."""
        stored = self.record.get("passage_languages") or {}
        return {int(n): str(language) for n, language in stored.items()}

    def language_of(self, n: int) -> str:
        """The language passage ¶``n`` is written in (the letter's, unless it says otherwise)."""
        return self.passage_languages.get(n) or str(self.record.get("language") or "en")

    @property
    def transcribed(self) -> bool:
        """Whether the archive holds the letter's text (a record of one has no passages)."""
        return bool(self.record.get("passages"))

    def metadata(self) -> dict[str, Any]:
        return {k: v for k, v in self.record.items() if k not in {"body", "passages", "html"}}

    def to_json(self) -> dict[str, Any]:
        """The letter as the API and ``letters show --json`` give it: its metadata and its
        numbered passages, each with its language."""
        meta = self.metadata()
        own = meta.pop("passage_languages", None) or {}
        passages = [
            {"n": n, "kind": kind, "text": text, "language": own.get(str(n), meta["language"])}
            for n, kind, text in self.passages
        ]
        return {**meta, "passages": passages}


def _stored(record: Record | None) -> StoredLetter | None:
    return StoredLetter(record) if record is not None else None


class Archive:
    """The index at ``index_root``; ``search_seconds`` is the time limit of each search
    (ValueError unless positive); ``result_cache`` the megabytes of complete results kept for
    repeated searches of the current index generation (0: none; ValueError if negative)."""

    def __init__(
        self,
        index_root: str | Path,
        search_seconds: float = SEARCH_SECONDS,
        result_cache: float = RESULT_CACHE_MB,
    ) -> None:
        self._index = LetterIndex(index_root)
        self.search_seconds = checked_seconds(search_seconds)
        self.results = ResultCache(result_cache_megabytes(result_cache))
        self._warmed: tuple[object, ...] | None = None  # the generation warm() last built

    @property
    def root(self) -> Path:
        return self._index.root

    def exists(self) -> bool:
        return self._index.exists()

    # -- writing -------------------------------------------------------------------------------

    def update(
        self,
        corpus: str | Path,
        files: Iterable[str | Path] | None = None,
        progress: Progress | None = None,
        jobs: int | None = None,
    ) -> IndexReport:
        """Index new, changed and removed letter files of ``corpus``; only ``files`` when they
        are named (the way to update one letter of a large archive). IndexBusy while another
        process writes. ``jobs``: worker processes when it builds in bulk (default: one per
        core)."""
        return self._index.update(corpus, progress=progress, only=files, jobs=jobs)

    def rebuild(
        self, corpus: str | Path, progress: Progress | None = None, jobs: int | None = None
    ) -> IndexReport:
        """A fresh index of ``corpus`` in a new folder, swapped in when complete; a failed
        build leaves the index in use untouched. ``jobs``: worker processes (default: one per
        core; a small corpus is built in this process)."""
        return self._index.rebuild(corpus, progress=progress, jobs=jobs)

    # -- reading -------------------------------------------------------------------------------

    def session(self) -> ArchiveSession:
        return ArchiveSession(self._index.snapshot(self.search_seconds), self.results)

    def warm(self) -> None:
        """Build what each index generation keeps for all searches (facet tables, dates, the
        whole archive's counts, the parties of the letters, the spellings for "did you mean")
        now, so that the first search after a start or an index change does not wait for them
        (seconds at 190,000 letters)."""
        with self.session() as session:
            generation = session.generation
            if generation != self._warmed:
                session.search(SearchRequest())
                session.people(per_page=1)  # the parties, for person pages and networks
                session._snapshot.prepare_suggestions()
                self._warmed = generation


class ArchiveSession:
    """One snapshot of the index; every read of one request goes through it."""

    def __init__(self, snapshot: Snapshot, results: ResultCache | None = None) -> None:
        self._snapshot = snapshot
        self._results = results if results is not None else ResultCache(0)

    @property
    def authorities(self) -> Authorities:
        """The authority file the snapshot's letters were indexed with."""
        return self._snapshot.authorities

    @property
    def search_seconds(self) -> float:
        """The time limit of each search of this session."""
        return self._snapshot.seconds

    @property
    def generation(self) -> tuple[object, ...]:
        """Equal for sessions that see the same letters."""
        return self._snapshot.generation

    def close(self) -> None:
        self._snapshot.close()

    def __enter__(self) -> ArchiveSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(self, request: SearchRequest) -> SearchResult:
        """The result of a search (kept for the next identical request of this generation and
        concept thesaurus: a changed thesaurus is copied into the generation, its letters
        unchanged)."""
        snapshot = self._snapshot
        seen = (snapshot.generation, snapshot.concepts)
        return self._results.search(seen, request, lambda: snapshot.search(request))

    def search_all(
        self, request: SearchRequest, page_size: int = 100, limit: int | None = None
    ) -> list[SearchResult]:
        """Every page of a search (at most ``limit`` letters), from this one snapshot: what an
        export needs (every letter in its own row: near-duplicates not folded)."""
        first_request = replace(request, page=1, per_page=page_size, group=False)
        first = self._snapshot.search(first_request)  # not kept: exports would crowd pages out
        last = first.pages if limit is None else min(first.pages, -(-limit // page_size))
        pages = [first]
        for page in range(2, last + 1):
            pages.append(self._snapshot.search(replace(first_request, page=page)))
        return pages

    def matching_ids(self, request: SearchRequest) -> set[str]:
        """The ids of every letter a search finds (its page and sort aside): a search judged
        by its whole hit set, not by its first pages."""
        return self._snapshot.matching_ids(request)

    def highlight_terms(self, q: str, concepts: bool = True) -> Highlight:
        """What to mark for query ``q`` in a letter's passages (as the search marks snippets;
        ``concepts``: with the concept terms it also searched)."""
        return self._snapshot.highlight(q, concepts)

    def person_key(self, name: str) -> str:
        """The key of a person page for a name as a letter writes it."""
        return self._snapshot.person_key(name)

    def person_name(self, key: str) -> str:
        """The name a person key (or name) is shown by; the text itself if no letter has it."""
        return self._snapshot.person_name(key)

    def person(self, key: str) -> PersonProfile | None:
        """A person's (or organisation's) letters and correspondents; None: no such key."""
        return self._snapshot.profile(key)

    def people(
        self, q: str = "", sort: str = "letters", page: int = 1, per_page: int = 50
    ) -> Directory:
        """One page of everyone the letters name (ValueError: sort or page out of range)."""
        return self._snapshot.directory(q, sort, page, per_page)

    def network(self, request: SearchRequest) -> Network:
        """Who wrote to whom among the letters ``request`` finds (all of them, not a page)."""
        return self._snapshot.network(request)

    def letter(self, letter_id: str) -> StoredLetter | None:
        return _stored(self._snapshot.record(letter_id))

    def hits(self, letter_ids: Iterable[str]) -> list[Hit | None]:
        """Letters by id, as search hits (no score, no passages), in the order asked; None for
        an id the archive does not hold."""
        return self._snapshot.hits(letter_ids)

    def shared_passages(self, letter_id: str) -> list[SharedPassage]:
        """This letter's paragraphs that recur (verbatim or nearly) in other letters."""
        return self._snapshot.shared_passages(letter_id)

    def similar(self, letter_id: str, limit: int = 5) -> list[SimilarLetter]:
        """Letters about the same things, copies of this one left out."""
        return self._snapshot.similar(letter_id, limit)

    def records(self, letter_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The stored metadata of these letters (those the index holds), in their order."""
        found = (self._snapshot.record(letter_id) for letter_id in letter_ids)
        return [StoredLetter(record).metadata() for record in found if record is not None]

    def date_range(self) -> tuple[str | None, str | None]:
        """The first and last day (ISO) the archive's letters cover; (None, None) when no
        letter is dated."""
        return self._snapshot.date_range()

    def facet_values(self, facet: str) -> dict[str, int]:
        """Every value of one of :data:`FACETS` in the whole archive, with its letters
        (all of them, not the most frequent few a search lists): for the list pages."""
        if facet not in FACETS:
            raise ValueError(f"unknown facet {facet!r}; facets: {', '.join(FACETS)}")
        return self._snapshot.facet_values(facet)

    def neighbours(self, letter_id: str) -> tuple[StoredLetter | None, StoredLetter | None]:
        """The letters just before and after this one in date order (undated ones last)."""
        before, after = self._snapshot.neighbours(letter_id)
        return _stored(before), _stored(after)

    def context(self, letter: StoredLetter) -> tuple[StoredLetter | None, StoredLetter | None]:
        """The letters before and after this one in its correspondence, as its TEI's
        ``correspContext`` names them, when the archive holds them."""
        found = []
        for name in ("previous", "next"):
            identity = str(letter.record.get(name) or "")
            found.append(_stored(self._snapshot.identified(identity)) if identity else None)
        return found[0], found[1]

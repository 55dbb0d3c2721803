"""The index on disk: one root of generation folders, read through searchers, written by one
writer at a time (``generations``), by incremental updates (``update``) or rebuilds
(``rebuild``) that swap a new generation in atomically."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from indexer.engine import generations
from indexer.engine.errors import IndexMissing, IndexOutdated, IndexUnreadable
from indexer.engine.manifest import Entry, Manifest
from indexer.engine.parallel_build import default_jobs
from indexer.engine.ranking import weighting
from indexer.engine.rebuild import build_generation
from indexer.engine.schema import build_schema, letter_from_record
from indexer.engine.snapshot import Snapshot
from indexer.engine.storedcolumns import share_record_tables
from indexer.engine.thesaurus import ConceptCache, corpus_concepts, store_concepts
from indexer.engine.update import update_generation
from indexer.engine.writing import IndexReport, Progress
from indexer.letters.authority import Authorities
from indexer.letters.letter import Letter

#: what opening an index raises when its files vanish or cannot be read
_UNREADABLE = (OSError, whoosh_index.EmptyIndexError)


class LetterIndex:
    """One index root on disk; hands out Whoosh searchers and is the only way to write."""

    def __init__(self, root: str | Path) -> None:
        # absolute: generation folders are compared with the resolved "current" link
        self.root = Path(root).absolute()
        self._opened: dict[Path, whoosh_index.Index] = {}
        self._authorities: tuple[Path | None, Authorities] = (None, Authorities())
        self._concepts = ConceptCache()

    # -- reading -----------------------------------------------------------------------------

    @property
    def current_dir(self) -> Path | None:
        return generations.current_generation(self.root)

    def is_current_version(self) -> bool:
        """Whether the index was built with this version's schema (else it needs a rebuild)."""
        return generations.is_current_version(self.current_dir)

    def exists(self) -> bool:
        return self.current_dir is not None

    def open(self) -> whoosh_index.Index:
        """The current generation's index (cached per generation folder); IndexUnreadable if
        its files cannot be read."""
        return self._open_at(self.current_dir)

    def _open_at(self, target: Path | None) -> whoosh_index.Index:
        if target is None:
            raise IndexMissing(self.root)
        try:
            if not generations.is_current_version(target):
                raise IndexOutdated(self.root)
            if target not in self._opened:
                # our own schema, not the pickled one: analyzers are code, not data
                self._opened = {target: whoosh_index.open_dir(str(target), schema=build_schema())}
        except _UNREADABLE as exc:
            raise IndexUnreadable(self.root, exc) from exc
        return self._opened[target]

    def searcher(self) -> Searcher:
        """A new searcher on the newest committed state; close it when done."""
        return self._searcher_of(self.open())

    def _searcher_of(self, index: whoosh_index.Index) -> Searcher:
        """A searcher whose segments know their record tables (:mod:`.storedcolumns`)."""
        try:
            searcher = index.searcher(weighting=weighting())
        except _UNREADABLE as exc:
            raise IndexUnreadable(self.root, exc) from exc
        try:
            share_record_tables(searcher.reader())
        except BaseException:
            searcher.close()
            raise
        return searcher

    def authorities(self) -> Authorities:
        """The authority file the current generation was built with (cached per generation)."""
        target = self.current_dir
        return self._authorities_at(target) if target is not None else Authorities()

    def _authorities_at(self, target: Path) -> Authorities:
        if self._authorities[0] != target:
            try:
                self._authorities = (target, generations.read_authorities(target))
            except (OSError, ValueError) as exc:  # gone mid-swap, or a damaged snapshot
                raise IndexUnreadable(self.root, exc) from exc
        return self._authorities[1]

    def snapshot(self, seconds: float) -> Snapshot:
        """The current generation opened for reading: its searcher and the authorities it was
        built with (resolved once, so a swap in between cannot pair two generations). Nothing
        stays open when opening fails: the authorities are read before the searcher opens."""
        target = self.current_dir
        index = self._open_at(target)
        assert target is not None  # _open_at raised IndexMissing otherwise
        authorities = self._authorities_at(target)
        try:
            concepts = self._concepts.at(target)
        except (OSError, ValueError) as exc:  # gone mid-swap, or a damaged copy
            raise IndexUnreadable(self.root, exc) from exc
        return Snapshot(self._searcher_of(index), authorities, seconds, concepts)

    def _entries(self) -> dict[str, Entry]:
        """The current generation's record of its files (empty if none can be read)."""
        target = self.current_dir
        if target is None:
            return {}
        try:
            return Manifest(target).entries()
        except sqlite3.Error:  # a record of another format or a damaged one: start afresh
            return {}

    def stored_letter(self, path: str) -> Letter | None:
        """The letter the current generation holds for corpus file ``path``, if any (a rebuild
        keeps it when the file is broken now)."""
        target = self.current_dir
        if target is None or not generations.is_current_version(target):
            return None
        with self._open_at(target).searcher() as searcher:
            fields = searcher.document(path=path)
        if fields is None:
            return None
        return letter_from_record(json.loads(fields["doc"]), fields["hash"])

    # -- writing -----------------------------------------------------------------------------

    def update(
        self,
        corpus: str | Path,
        progress: Progress | None = None,
        only: Iterable[str | Path] | None = None,
        jobs: int | None = None,
    ) -> IndexReport:
        """Bring the index in line with the corpus: new, changed and removed files only.

        ``only`` names the files to look at (new, changed or deleted ones), so that updating
        one letter does not walk the whole archive. A changed authority file changes what every
        letter mentions, so it means a rebuild; a changed concept file is only copied. An
        index without letters is built as a rebuild is (in bulk, on ``jobs`` processes).
        """
        corpus = Path(corpus)
        with generations.write_lock(self.root):
            target = self.current_dir
            if (
                target is None
                or not generations.is_current_version(target)
                or generations.authorities_changed(target, corpus)
                or self._holds_no_letters(target)
            ):
                return self._rebuild_locked(corpus, progress, jobs)
            generations.remove_stale_generations(self.root)
            store_concepts(target, corpus_concepts(corpus))
            index, authorities = self._open_at(target), self._authorities_at(target)
            return update_generation(index, target, authorities, corpus, progress, only)

    def rebuild(
        self, corpus: str | Path, progress: Progress | None = None, jobs: int | None = None
    ) -> IndexReport:
        """Build a fresh generation from the corpus and swap it in atomically, with up to
        ``jobs`` worker processes (default: one per core)."""
        with generations.write_lock(self.root):
            return self._rebuild_locked(Path(corpus), progress, jobs)

    def _holds_no_letters(self, target: Path) -> bool:
        """Whether the generation in use is empty, so that its first letters are built in bulk
        rather than added one by one as changes."""
        try:
            return self._open_at(target).doc_count_all() == 0
        except IndexUnreadable:
            return False  # the update says what is wrong

    def _rebuild_locked(
        self, corpus: Path, progress: Progress | None, jobs: int | None
    ) -> IndexReport:
        generations.remove_stale_generations(self.root)
        earlier = self._entries()
        jobs = jobs or default_jobs()
        target, report = build_generation(
            self.root, corpus, progress, self.stored_letter, earlier, jobs
        )
        generations.swap_in(self.root, target)
        return report

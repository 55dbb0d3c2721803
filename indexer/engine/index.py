"""The index on disk: generations, the single writer, incremental updates and atomic rebuilds.

Layout of an index root::

    <root>/current -> gen-20261124T081500-1a2b   (symlink, swapped atomically)
    <root>/gen-…                                  (one Whoosh index per generation)
    <root>/write.lock                             (flock: only one writer at a time)

An update writes into the current generation (Whoosh commits are atomic: the old table of
contents stays valid until the new one is complete). A rebuild writes a new generation and
swaps the symlink; readers holding the old one keep working. A process killed mid-write leaves
a stale folder or orphan segment files, both cleaned up by the next writer; the flock dies with
its process, so there are no stale locks.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from indexer.authority import AUTHORITY_FILE, Authorities, AuthorityError, load_authorities
from indexer.authority import from_json as authority_from_json
from indexer.authority import to_json as authority_to_json
from indexer.corpus import CorpusFile, named_files, scan_corpus
from indexer.engine.manifest import Entry, Manifest
from indexer.engine.ranking import DocumentIdfBM25F
from indexer.engine.schema import SCHEMA_VERSION, build_schema, letter_from_record, to_document
from indexer.letter import Letter, LetterError, load_letter

Progress = Callable[[Iterable[CorpusFile]], Iterable[CorpusFile]]
WRITER_MEMORY_MB = 256
AUTHORITIES_SNAPSHOT = "authorities.json"
AUTHORITIES_HASH = "authorities.sha256"
SCHEMA_MARKER = "schema-version"


class IndexError_(Exception):
    """Base for index problems a user can act on (the CLI turns them into messages)."""


class IndexBusy(IndexError_):
    def __init__(self, root: Path) -> None:
        super().__init__(
            f"the index at {root} is busy: another 'letters index' is writing it; "
            "wait for it to finish and try again"
        )


class IndexOutdated(IndexError_):
    def __init__(self, root: Path) -> None:
        super().__init__(
            f"the index at {root} was built by another version of this program: "
            "run 'letters index' to rebuild it"
        )


class IndexMissing(IndexError_):
    def __init__(self, root: Path) -> None:
        super().__init__(f"no index at {root}: build it with 'letters index'")


class IndexUnreadable(IndexError_):
    """The index files could not be opened, e.g. a generation removed while it was opened."""

    def __init__(self, root: Path, reason: BaseException) -> None:
        super().__init__(
            f"the index at {root} cannot be read ({reason}): run 'letters index' to rebuild it"
        )


#: what opening an index raises when its files vanish or cannot be read
_UNREADABLE = (OSError, whoosh_index.EmptyIndexError)


@dataclass
class IndexReport:
    """What one indexing run did, for people and for exit statuses."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # broken now, previous version kept
    errors: list[LetterError] = field(default_factory=list)
    rebuilt: bool = False

    @property
    def total_changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.removed)


class LetterIndex:
    """One index root on disk; hands out Whoosh searchers and is the only way to write."""

    def __init__(self, root: str | Path) -> None:
        # absolute: generation folders are compared with the resolved "current" link
        self.root = Path(root).absolute()
        self._opened: dict[Path, whoosh_index.Index] = {}
        self._authorities: tuple[Path | None, Authorities] = (None, Authorities())

    # -- reading -----------------------------------------------------------------------------

    @property
    def current_dir(self) -> Path | None:
        link = self.root / "current"
        if not link.is_symlink() and not link.is_dir():
            return None
        target = link.resolve()
        has_toc = target.is_dir() and any(p.suffix == ".toc" for p in target.iterdir())
        return target if has_toc else None

    def is_current_version(self) -> bool:
        """Whether the index was built with this version's schema (else it needs a rebuild)."""
        target = self.current_dir
        marker = target / SCHEMA_MARKER if target else None
        return bool(marker and marker.is_file() and marker.read_text().strip() == SCHEMA_VERSION)

    def exists(self) -> bool:
        return self.current_dir is not None

    def open(self) -> whoosh_index.Index:
        """The current generation's index (cached per generation folder); IndexUnreadable if
        its files cannot be read."""
        try:
            return self._open()
        except _UNREADABLE as exc:
            raise IndexUnreadable(self.root, exc) from exc

    def _open(self) -> whoosh_index.Index:
        target = self.current_dir
        if target is None:
            raise IndexMissing(self.root)
        if not self.is_current_version():
            raise IndexOutdated(self.root)
        if target not in self._opened:
            # our own schema, not the pickled one: analyzers are code, not data
            self._opened = {target: whoosh_index.open_dir(str(target), schema=build_schema())}
        return self._opened[target]

    def searcher(self) -> Searcher:
        """A new searcher on the newest committed state; close it when done."""
        index = self.open()
        try:
            return index.searcher(weighting=DocumentIdfBM25F())
        except _UNREADABLE as exc:
            raise IndexUnreadable(self.root, exc) from exc

    # -- writing -----------------------------------------------------------------------------

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "write.lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise IndexBusy(self.root) from exc
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def authorities(self) -> Authorities:
        """The authority file the current generation was built with (cached per generation)."""
        try:
            target = self.current_dir
            if target is None:
                return Authorities()
            if self._authorities[0] != target:
                path = target / AUTHORITIES_SNAPSHOT
                entries = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
                self._authorities = (target, authority_from_json(entries))
        except OSError as exc:
            raise IndexUnreadable(self.root, exc) from exc
        return self._authorities[1]

    def update(
        self,
        corpus: str | Path,
        progress: Progress | None = None,
        only: Iterable[str | Path] | None = None,
    ) -> IndexReport:
        """Bring the index in line with the corpus: new, changed and removed files only.

        ``only`` names the files to look at (new, changed or deleted ones), so that updating
        one letter does not walk the whole archive. A changed authority file changes what every
        letter mentions, so it means a rebuild.
        """
        with self._write_lock():
            stale = not self.exists() or not self.is_current_version()
            if stale or self._authorities_changed(Path(corpus)):
                return self._rebuild_locked(Path(corpus), progress)
            self._remove_stale_generations()
            return self._update_locked(Path(corpus), progress, only)

    def rebuild(self, corpus: str | Path, progress: Progress | None = None) -> IndexReport:
        """Build a fresh generation from the corpus and swap it in atomically."""
        with self._write_lock():
            return self._rebuild_locked(Path(corpus), progress)

    def _update_locked(
        self, corpus: Path, progress: Progress | None, only: Iterable[str | Path] | None
    ) -> IndexReport:
        report = IndexReport()
        index = self.open()
        authorities = self.authorities()
        manifest = Manifest(self.current_dir)  # type: ignore[arg-type]
        trusted = manifest.generation() == index.latest_generation()
        if only is not None and trusted:
            files, deleted = named_files(corpus, only)
            scope = {f.relative for f in files} | deleted
            entries = manifest.entries(scope)
        else:  # the whole corpus (also when the record cannot be trusted)
            files, deleted = scan_corpus(corpus), set()
            entries = manifest.entries() if trusted else self._entries_from_index(index)
        present = {f.relative for f in files}
        for relative in sorted(deleted - entries.keys()):
            report.errors.append(LetterError(relative, "no such file, and not in the index"))
        dirty: dict[str, Entry] = {}  # entries to record
        unchanged: set[str] = set()
        for f in files:
            old = entries.get(f.relative)
            if old and (old[2], old[3]) == (f.mtime_ns, f.size):
                unchanged.add(f.relative)
            elif old and old[1] == f.digest():
                dirty[f.relative] = [old[0], old[1], f.mtime_ns, f.size]  # touched only
                unchanged.add(f.relative)
        # id -> path, for duplicate detection; files outside the scope are asked for by id
        claimed = _Claims(
            {entries[p][0]: p for p in unchanged},
            manifest if only is not None and trusted else None,
            present | deleted,
        )
        report.unchanged = len(unchanged)
        changes: list[Letter] = []
        replaced: set[str] = set()  # ids that changed files no longer carry
        for f in progress(files) if progress else files:
            if f.relative in unchanged:
                continue
            letter = _load(f, corpus, claimed, report)
            if letter is None:
                continue  # broken: its indexed version (if any) stays, and so does its entry
            changes.append(letter)
            old = entries.get(f.relative)
            (report.updated if old and old[0] == letter.id else report.added).append(letter.id)
            if old and old[0] != letter.id:
                replaced.add(old[0])
            dirty[f.relative] = [letter.id, letter.content_hash, f.mtime_ns, f.size]
        changed_ids = {letter.id for letter in changes}
        gone_paths = [p for p in entries if p not in present]
        gone = {entries[p][0] for p in gone_paths}
        stale = (gone | replaced) - changed_ids
        if changes or stale:
            with _writer(index) as writer:
                for doc_id in stale:
                    writer.delete_by_term("id", doc_id)
                for letter in changes:
                    writer.update_document(**_document(letter, authorities))
        if dirty or gone_paths or not trusted:
            if trusted:
                manifest.write(index.latest_generation(), dirty, gone_paths)
            else:
                kept = {p: e for p, e in entries.items() if p in present}
                manifest.write(index.latest_generation(), kept | dirty, replace_all=True)
        report.removed = sorted(gone - changed_ids)
        return report

    def _entries_from_index(self, index: whoosh_index.Index) -> dict[str, Entry]:
        """path -> entry rebuilt from the stored fields, when the manifest cannot be trusted
        (missing, or written for another commit by a process killed in between)."""
        with index.searcher() as searcher:
            return {f["path"]: [f["id"], f["hash"], None, None] for f in _light_fields(searcher)}

    def _rebuild_locked(self, corpus: Path, progress: Progress | None) -> IndexReport:
        report = IndexReport(rebuilt=True)
        previous = self._previous_records()
        self._remove_stale_generations()
        files = scan_corpus(corpus)  # raises before anything is created if the corpus is missing
        authorities = _load_authorities(corpus)
        target = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.urandom(3).hex()}"
        target.mkdir(parents=True)
        try:
            index = whoosh_index.create_in(str(target), build_schema())
            claimed: dict[str, str] = {}
            entries: dict[str, Entry] = {}
            with _writer(index, bulk=True) as writer:
                for f in progress(files) if progress else files:
                    letter = _load(f, corpus, claimed, report)
                    stamp: list[Any] = [f.mtime_ns, f.size]
                    if letter is None and f.relative in previous:
                        letter = previous[f.relative]  # broken now: keep what we had
                        if letter.id in claimed:
                            continue
                        claimed[letter.id] = f.relative
                        report.kept.append(letter.id)
                        stamp = [None, None]  # looked at again by the next update
                    if letter is not None:
                        writer.add_document(**_document(letter, authorities))
                        entries[f.relative] = [letter.id, letter.content_hash, *stamp]
                        if letter.id not in report.kept:
                            report.added.append(letter.id)
            _write_snapshot(target, corpus, authorities)
            Manifest(target).write(index.latest_generation(), entries, replace_all=True)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._swap(target)
        return report

    def _authorities_changed(self, corpus: Path) -> bool:
        target = self.current_dir
        recorded = target / AUTHORITIES_HASH if target else None
        old = recorded.read_text().strip() if recorded and recorded.is_file() else ""
        return old != _file_hash(authority_path(corpus))

    def _previous_records(self) -> dict[str, Letter]:
        """Letters of the current generation by path, to keep those whose file broke."""
        if not self.exists() or not self.is_current_version():
            return {}
        with self.open().searcher() as searcher:
            return {
                fields["path"]: letter_from_record(json.loads(fields["doc"]), fields["hash"])
                for fields in searcher.all_stored_fields()
            }

    def _swap(self, target: Path) -> None:
        link, tmp = self.root / "current", self.root / f"current.{os.getpid()}.tmp"
        if link.exists() and not link.is_symlink():  # an index folder from an older layout
            shutil.rmtree(link)
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(target.name)
        os.replace(tmp, link)
        self._remove_stale_generations(keep_previous=True)

    def _remove_stale_generations(self, keep_previous: bool = False) -> None:
        """Delete generation folders that are neither current nor (optionally) the last one."""
        link = self.root / "current"
        current = link.resolve() if link.is_symlink() else self.current_dir
        generations = sorted(p.resolve() for p in self.root.glob("gen-*") if p.is_dir())
        keep = {current} if current else set()  # never the folder "current" points to
        if keep_previous:
            older = [g for g in generations if g != current]
            keep.update(older[-1:])
        for folder in generations:
            if folder not in keep:
                shutil.rmtree(folder, ignore_errors=True)
        for tmp in self.root.glob("current.*.tmp"):
            tmp.unlink(missing_ok=True)


def authority_path(corpus: Path) -> Path:
    return corpus / AUTHORITY_FILE


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "none"


def _load_authorities(corpus: Path) -> Authorities:
    try:
        return load_authorities(authority_path(corpus))
    except AuthorityError as exc:
        raise IndexError_(f"{exc}; fix the authority file and index again") from exc


def _write_snapshot(target: Path, corpus: Path, authorities: Authorities) -> None:
    """Keep the authorities a generation was built with beside it, for searching it."""
    snapshot = json.dumps(authority_to_json(authorities), ensure_ascii=False)
    (target / AUTHORITIES_SNAPSHOT).write_text(snapshot, encoding="utf-8")
    (target / AUTHORITIES_HASH).write_text(_file_hash(authority_path(corpus)))
    (target / SCHEMA_MARKER).write_text(SCHEMA_VERSION)


def _document(letter: Letter, authorities: Authorities) -> dict[str, Any]:
    texts = [letter.title, *(p.text for p in letter.passages)]
    return to_document(letter, authorities.mentions(texts))


@contextmanager
def _writer(index: whoosh_index.Index, bulk: bool = False) -> Iterator[IndexWriter]:
    """Commit on success; on failure cancel and re-raise (never commit after cancel)."""
    # separate segment files: a compound file is copied into memory by every new searcher
    writer = index.writer(limitmb=WRITER_MEMORY_MB if bulk else 64, compound=False)
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _light_fields(searcher: Searcher) -> Iterator[dict[str, Any]]:
    reader = searcher.reader()
    for docnum in reader.all_doc_ids():
        fields = reader.stored_fields(docnum)
        yield {"id": fields["id"], "path": fields["path"], "hash": fields["hash"]}


class _Claims(dict[str, str]):
    """Letter id -> the file that holds it: the files looked at in this run, and (for an update
    of named files) the rest of the archive as the manifest records it."""

    def __init__(self, seen: dict[str, str], manifest: Manifest | None, scope: set[str]) -> None:
        super().__init__(seen)
        self._manifest = manifest
        self._scope = scope

    def get(self, letter_id: str, default: str | None = None) -> str | None:  # type: ignore[override]
        found = super().get(letter_id)
        if found is None and self._manifest is not None:
            found = self._manifest.path_of(letter_id, excluding=self._scope)
        return found if found is not None else default


def _load(
    f: CorpusFile, corpus: Path, claimed: dict[str, str], report: IndexReport
) -> Letter | None:
    """Parse one file, recording (not raising) its problem; enforce unique ids."""
    try:
        letter = load_letter(f.path, root=corpus)
    except LetterError as exc:
        report.errors.append(exc)
        return None
    other = claimed.get(letter.id)
    if other is not None and other != f.relative:
        report.errors.append(
            LetterError(f.relative, f"duplicate id '{letter.id}' (already used by {other})")
        )
        return None
    claimed[letter.id] = f.relative
    return letter

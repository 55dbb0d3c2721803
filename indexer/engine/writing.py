"""What updates and rebuilds share: reading a corpus file into a letter, its index document,
the writer, and the report of a run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from indexer.engine.manifest import Entry
from indexer.engine.schema import to_document
from indexer.letters.authority import Authorities
from indexer.letters.corpus import CorpusFile, CorpusScan
from indexer.letters.letter import Letter, LetterError, load_letter

Progress = Callable[[Iterable[CorpusFile]], Iterable[CorpusFile]]
WRITER_MEMORY_MB = 256


@dataclass
class IndexReport:
    """What one indexing run did, for people and for exit statuses."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # broken now, previous version kept
    errors: list[LetterError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # indexed, but a person should look
    rebuilt: bool = False

    @property
    def total_changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.removed)


def index_document(
    letter: Letter, authorities: Authorities, arrived: str | None = None
) -> dict[str, Any]:
    """The index document of a letter, with the authorities its title and passages mention."""
    texts = [letter.title, *(p.text for p in letter.passages)]
    return to_document(letter, authorities.mentions(texts), arrived)


def arrival_time(earlier: Entry | None, content_hash: str, arrival: str) -> str | None:
    """When a letter's content entered the archive: the time the record of the generation in
    use gives it when it holds the same content, else ``arrival`` (now)."""
    if earlier is not None and earlier.sha256 == content_hash and earlier.arrived:
        return earlier.arrived
    return arrival


def now() -> str:
    """The time a letter arrives, as stored (UTC, to the second)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def writer(
    index: whoosh_index.Index, bulk: bool = False, merge: bool = True
) -> Iterator[IndexWriter]:
    """Commit on success; on failure cancel and re-raise (never commit after cancel).
    ``merge=False`` keeps the segments as they are (a parallel build's, one per worker)."""
    # separate segment files: a compound file is copied into memory by every new searcher
    opened = index.writer(limitmb=WRITER_MEMORY_MB if bulk else 64, compound=False)
    try:
        yield opened
    except BaseException:
        opened.cancel()
        raise
    opened.commit(merge=merge)


class Claims:
    """Letter id -> the corpus file that holds it, to refuse a second file with the same id:
    the files looked at in this run and, for an update of named files, the rest of the archive
    as the manifest records it (``lookup``)."""

    def __init__(
        self, seen: dict[str, str] | None = None, lookup: Callable[[str], str | None] | None = None
    ) -> None:
        self._seen = dict(seen or {})
        self._lookup = lookup

    def holder(self, letter_id: str) -> str | None:
        found = self._seen.get(letter_id)
        if found is None and self._lookup is not None:
            found = self._lookup(letter_id)
        return found

    def claim(self, letter_id: str, relative: str) -> None:
        self._seen[letter_id] = relative


def load_file(f: CorpusFile, corpus: Path, claimed: Claims, report: IndexReport) -> Letter | None:
    """Parse one file, recording (not raising) its problem and its warnings; enforce unique
    ids."""
    try:
        letter = load_letter(f.path, root=corpus)
    except LetterError as exc:
        report.errors.append(exc)
        return None
    if not claim(claimed, letter.id, f.relative, report):
        return None
    report.warnings.extend(letter.warnings())
    return letter


def claim(claimed: Claims, letter_id: str, relative: str, report: IndexReport) -> bool:
    """Claim ``letter_id`` for the file ``relative``; False (and the problem reported) when
    another file already holds it."""
    other = claimed.holder(letter_id)
    if other is not None and other != relative:
        report.errors.append(
            LetterError(relative, f"duplicate id '{letter_id}' (already used by {other})")
        )
        return False
    claimed.claim(letter_id, relative)
    return True


def report_refused(scan: CorpusScan, report: IndexReport) -> None:
    """Refused links are reported like broken files, but never kept: they are not the corpus."""
    report.errors.extend(LetterError(r.location, r.reason) for r in scan.refused)

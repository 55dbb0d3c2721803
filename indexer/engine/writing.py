"""What updates and rebuilds share: reading a corpus file into a letter, its index document,
the writer, and the report of a run."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from indexer.engine.schema import to_document
from indexer.letters.authority import Authorities
from indexer.letters.corpus import CorpusFile
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
    rebuilt: bool = False

    @property
    def total_changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.removed)


def index_document(letter: Letter, authorities: Authorities) -> dict[str, Any]:
    """The index document of a letter, with the authorities its title and passages mention."""
    texts = [letter.title, *(p.text for p in letter.passages)]
    return to_document(letter, authorities.mentions(texts))


@contextmanager
def writer(index: whoosh_index.Index, bulk: bool = False) -> Iterator[IndexWriter]:
    """Commit on success; on failure cancel and re-raise (never commit after cancel)."""
    # separate segment files: a compound file is copied into memory by every new searcher
    opened = index.writer(limitmb=WRITER_MEMORY_MB if bulk else 64, compound=False)
    try:
        yield opened
    except BaseException:
        opened.cancel()
        raise
    opened.commit()


def load_file(
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

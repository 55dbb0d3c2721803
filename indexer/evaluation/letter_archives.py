"""The archives of the letters quality set: imported with ``letters import``, indexed through
the facade, and cached so that a second run does not wait minutes for 5,000 TEI letters.

A cached corpus is keyed by the source files (names, sizes, times) and the code that imports
them (``indexer/formats``, ``indexer/letters``); a cached index also by the engine's code, so a
change to the analysis is always measured on an index built with it.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.archive import Archive
from indexer.formats.importer import CONVERTED_SUFFIXES, TEI_SUFFIXES, Importer
from indexer.letters.corpus import walk_corpus
from indexer.letters.letter import LetterError, load_letter

PACKAGE = Path(__file__).resolve().parent.parent  # indexer/
IMPORTABLE = (*TEI_SUFFIXES, *CONVERTED_SUFFIXES, ".md", ".txt")
FORMATS = ("corpus", "import")


class CaseFileError(ValueError):
    """The case file (its cases or the archives they name) cannot be read or is not of the
    documented shape."""


@dataclass(frozen=True)
class ArchiveSpec:
    """``format: corpus``: a folder of corpus files, indexed as it is; ``format: import``: a
    folder of letters in other formats (TEI…), imported first."""

    name: str
    source: Path
    format: str

    @classmethod
    def from_yaml(cls, name: str, raw: Any, base: Path) -> ArchiveSpec:
        if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
            raise CaseFileError(f"archive {name!r}: needs 'path' (relative to the case file)")
        fmt = raw.get("format", "import")
        if fmt not in FORMATS:
            raise CaseFileError(f"archive {name!r}: format must be one of {', '.join(FORMATS)}")
        return cls(name, (base / raw["path"]).resolve(), fmt)

    def source_files(self) -> list[Path]:
        """The files to import, in the order they are imported (sorted by name)."""
        return sorted(
            p for p in self.source.iterdir() if p.is_file() and p.suffix.lower() in IMPORTABLE
        )


def planned_ids(spec: ArchiveSpec) -> set[str]:
    """The letter ids the archive will have, without building an index (for checking a case
    file quickly). TEI ids as :func:`import_file` assigns them: the reader's id, made unique
    with ``-2``, ``-3``… in import order; a file that does not import has none."""
    if spec.format == "corpus":
        ids = set()
        for file in walk_corpus(spec.source).files:
            try:
                ids.add(load_letter(file.path, spec.source).id)
            except LetterError:
                continue
        return ids
    from indexer.formats.tei import read_tei

    taken: set[str] = set()
    sources: set[str] = set()
    for path in spec.source_files():
        if path.suffix.lower() not in TEI_SUFFIXES:
            raise ValueError(f"{path}: only TEI ids can be planned without importing")
        try:
            letter = read_tei(path)
        except LetterError:
            continue
        if letter.source and letter.source in sources:
            continue  # the importer skips a second copy
        sources.add(letter.source)
        base = candidate = str(letter.front["id"])
        n = 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
    return taken


def _digest(parts: Iterable[str]) -> str:
    sha = hashlib.sha1()
    for part in parts:
        sha.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return sha.hexdigest()[:12]


def _code(*packages: str) -> list[str]:
    files = sorted(p for name in packages for p in (PACKAGE / name).rglob("*.py"))
    return [hashlib.sha1(p.read_bytes()).hexdigest() for p in files]


def _source_stamp(spec: ArchiveSpec) -> list[str]:
    if spec.format == "corpus":
        return [f"{f.relative}:{f.size}:{f.mtime_ns}" for f in walk_corpus(spec.source).files]
    stats = ((p.name, p.stat()) for p in spec.source_files())
    return [f"{name}:{stat.st_size}:{stat.st_mtime_ns}" for name, stat in stats]


def import_corpus(spec: ArchiveSpec, into: Path) -> list[str]:
    """Import every file of the source into ``into/letters`` with the importer; the files
    that do not import are returned (as "name: reason"), the others are kept."""
    target = into / "letters"
    target.mkdir(parents=True, exist_ok=True)
    failures = []
    importer = Importer(target)  # reads the folder once, not once per imported file
    for path in spec.source_files():
        try:
            importer.import_file(path)
        except LetterError as exc:
            failures.append(f"{path.name}: {exc}")
    return failures


def _replace_stale(folder: Path, prefix: str, keep: Path) -> None:
    for old in folder.glob(prefix + "*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def built_index(
    spec: ArchiveSpec,
    cache: str | Path,
    progress: Callable[[str], None] | None = None,
) -> tuple[Path, int]:
    """The index root of the archive under ``cache`` (built now unless it is there already)
    and its number of letters."""
    say = progress or (lambda _message: None)
    folder = Path(cache) / spec.name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _source_stamp(spec)
    if spec.format == "corpus":
        corpus = spec.source
        corpus_key = _digest(stamp)
    else:
        corpus_key = _digest([*stamp, *_code("formats", "letters")])
        corpus = folder / f"corpus-{corpus_key}"
        if not (corpus / ".complete").exists():
            say(f"{spec.name}: importing {len(stamp)} files from {spec.source} …")
            partial = folder / f"partial-corpus-{corpus_key}"
            shutil.rmtree(partial, ignore_errors=True)
            failures = import_corpus(spec, partial)
            (partial / ".complete").write_text("\n".join(failures) + "\n", encoding="utf-8")
            shutil.rmtree(corpus, ignore_errors=True)
            partial.rename(corpus)
            _replace_stale(folder, "corpus-", corpus)
    index_key = _digest([corpus_key, *_code("engine", "letters", "formats")])
    index_root = folder / f"index-{index_key}"
    letters = len(walk_corpus(corpus).files)
    if not (index_root / ".complete").exists():
        say(f"{spec.name}: indexing {letters} letters …")
        shutil.rmtree(index_root, ignore_errors=True)
        report = Archive(index_root).rebuild(corpus)
        (index_root / ".complete").write_text(f"{len(report.errors)} errors\n", encoding="utf-8")
        _replace_stale(folder, "index-", index_root)
    return index_root, letters

"""Finding the letter files of a corpus folder, with content hashes for incremental indexing."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LETTER_SUFFIXES = (".md", ".markdown")
NOT_LETTERS = {"readme.md", "index.md"}


class CorpusMissing(FileNotFoundError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"no corpus folder at {path}: pass --corpus or set LETTERS_CORPUS to the folder "
            "that holds letters/"
        )


@dataclass(frozen=True)
class CorpusFile:
    location: str  # the file's path as a string (a Path is made only when needed)
    relative: str  # path relative to the corpus root: the file's identity in the index
    mtime_ns: int
    size: int

    @property
    def path(self) -> Path:
        return Path(self.location)

    def digest(self) -> str:
        """SHA-256 of the content ("" when unreadable: the loader will say why)."""
        return _hash(self.location)


def letters_dir(corpus: Path) -> Path:
    """``corpus/letters`` when it exists (the documented layout), else the folder itself."""
    nested = corpus / "letters"
    return nested if nested.is_dir() else corpus


def scan_corpus(corpus: str | Path) -> list[CorpusFile]:
    """All letter files under the corpus, sorted by path, with modification time and size.

    os.scandir rather than pathlib: an update of a large archive is mostly this walk.
    """
    root = Path(corpus)
    if not root.is_dir():
        raise CorpusMissing(root)
    files: list[CorpusFile] = []
    prefix = len(str(root)) + 1
    pending = [str(letters_dir(root))]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif _is_letter(entry.name) and entry.is_file():
                    stat = entry.stat()
                    relative = entry.path[prefix:]
                    files.append(CorpusFile(entry.path, relative, stat.st_mtime_ns, stat.st_size))
    files.sort(key=lambda f: f.relative)
    return files


class NotInCorpus(ValueError):
    """A file named for indexing that is not a letter file of the corpus."""


def named_files(
    corpus: str | Path, paths: Iterable[str | Path]
) -> tuple[list[CorpusFile], set[str]]:
    """The named letter files as :func:`scan_corpus` would list them, and the corpus-relative
    paths of those that no longer exist (deleted letters).

    Paths may be absolute or relative to the working directory; each must lie in the corpus and
    name a letter file.
    """
    root = Path(corpus)
    if not root.is_dir():
        raise CorpusMissing(root)
    base = root.resolve()
    files: dict[str, CorpusFile] = {}
    missing: set[str] = set()
    for given in paths:
        path = Path(given).absolute()
        try:
            relative = (path.parent.resolve() / path.name).relative_to(base).as_posix()
        except ValueError:
            raise NotInCorpus(
                f"{given} is not inside the corpus folder {root}: name files of the corpus, "
                "or pass --corpus"
            ) from None
        if not _is_letter(path.name):
            raise NotInCorpus(f"{given} is not a letter file (*.md or *.markdown, not README.md)")
        try:
            stat = path.stat()
        except FileNotFoundError:
            missing.add(relative)
            continue
        if not path.is_file():
            raise NotInCorpus(f"{given} is not a file")
        files[relative] = CorpusFile(str(path), relative, stat.st_mtime_ns, stat.st_size)
    return sorted(files.values(), key=lambda f: f.relative), missing


def _is_letter(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(LETTER_SUFFIXES) and lower not in NOT_LETTERS


def _hash(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""  # unreadable: the loader reports why
    return digest.hexdigest()

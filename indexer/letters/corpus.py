"""Finding the letter files of a corpus folder, with content hashes for incremental indexing."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Refused:
    """A corpus entry that is not read because it leads out of the corpus folder."""

    location: str
    relative: str  # as the index names files: its entry (if any) is removed
    reason: str


@dataclass
class CorpusScan:
    """The letter files found, the entries refused, and (for named files) the deleted ones."""

    files: list[CorpusFile] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)


def walk_corpus(corpus: str | Path) -> CorpusScan:
    """All letter files under the corpus, sorted by path, with modification time and size,
    and every link that leads out of the corpus folder (refused, never followed or read).

    Links inside the corpus are followed; a folder already walked (through its real path or
    another link) is not walked again, so loops end and no file is found twice that way.
    os.scandir rather than pathlib: an update of a large archive is mostly this walk.
    """
    root = Path(corpus)
    if not root.is_dir():
        raise CorpusMissing(root)
    real_root = os.path.realpath(root)
    scan = CorpusScan()
    prefix = len(str(root)) + 1
    start = str(letters_dir(root))
    real_start = os.path.realpath(start)
    if not _inside(real_start, real_root):
        scan.refused.append(_outside(start, "", real_start, real_root, folder=True))
        return scan
    pending: list[tuple[str, str]] = [(start, real_start)]
    links: list[tuple[str, str]] = []
    visited = {real_start}
    while pending or links:
        if not pending:  # real folders first: a link never claims files found in place
            path, real = links.pop()
            if real in visited:
                continue
            visited.add(real)
            pending.append((path, real))
        folder, real_folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    is_dir = entry.is_dir()
                    if not _inside(real, real_root):
                        if is_dir or _is_letter(entry.name):
                            scan.refused.append(
                                _outside(entry.path, entry.path[prefix:], real, real_root, is_dir)
                            )
                        continue
                    if is_dir:
                        links.append((entry.path, real))
                        continue
                elif entry.is_dir(follow_symlinks=False):
                    real = os.path.join(real_folder, entry.name)
                    if real not in visited:
                        visited.add(real)
                        pending.append((entry.path, real))
                    continue
                if _is_letter(entry.name) and entry.is_file():
                    stat = entry.stat()
                    relative = entry.path[prefix:]
                    scan.files.append(
                        CorpusFile(entry.path, relative, stat.st_mtime_ns, stat.st_size)
                    )
    scan.files.sort(key=lambda f: f.relative)
    scan.refused.sort(key=lambda r: r.location)
    return scan


class NotInCorpus(ValueError):
    """A file named for indexing that is not a letter file of the corpus."""


def named_files(corpus: str | Path, paths: Iterable[str | Path]) -> CorpusScan:
    """The named letter files as :func:`walk_corpus` would list them, those refused because
    they link out of the corpus, and the corpus-relative paths of those that no longer exist
    (deleted letters).

    Paths may be absolute or relative to the working directory; each must lie in the corpus and
    name a letter file.
    """
    root = Path(corpus)
    if not root.is_dir():
        raise CorpusMissing(root)
    base = root.resolve()
    files: dict[str, CorpusFile] = {}
    scan = CorpusScan()
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
            scan.missing.add(relative)
            continue
        real = os.path.realpath(path)
        if not _inside(real, str(base)):
            scan.refused.append(
                _outside(str(root / relative), relative, real, str(base), path.is_dir())
            )
            continue
        if not path.is_file():
            raise NotInCorpus(f"{given} is not a file")
        files[relative] = CorpusFile(str(path), relative, stat.st_mtime_ns, stat.st_size)
    scan.files = sorted(files.values(), key=lambda f: f.relative)
    return scan


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _outside(location: str, relative: str, real: str, real_root: str, folder: bool) -> Refused:
    kind = "a folder" if folder else "a file"
    reason = (
        f"links to {kind} outside the corpus ({real} is not under {real_root}); "
        "not read: copy the letter into the corpus instead"
    )
    return Refused(location, relative, reason)


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

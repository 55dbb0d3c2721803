"""Finding the letter files of a corpus folder, with content hashes for incremental indexing."""

from __future__ import annotations

import hashlib
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
    path: Path
    relative: str  # path relative to the corpus root: the file's identity in the index
    mtime_ns: int
    size: int

    def digest(self) -> str:
        """SHA-256 of the content ("" when unreadable: the loader will say why)."""
        return _hash(self.path)


def letters_dir(corpus: Path) -> Path:
    """``corpus/letters`` when it exists (the documented layout), else the folder itself."""
    nested = corpus / "letters"
    return nested if nested.is_dir() else corpus


def scan_corpus(corpus: str | Path) -> list[CorpusFile]:
    """All letter files under the corpus, sorted by path, with modification time and size."""
    root = Path(corpus)
    if not root.is_dir():
        raise CorpusMissing(root)
    files = []
    for path in sorted(letters_dir(root).rglob("*")):
        if not path.is_file() or path.suffix.lower() not in LETTER_SUFFIXES:
            continue
        if path.name.lower() in NOT_LETTERS or any(
            p.startswith(".") for p in path.relative_to(root).parts
        ):
            continue
        stat = path.stat()
        files.append(CorpusFile(path, str(path.relative_to(root)), stat.st_mtime_ns, stat.st_size))
    return files


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""  # unreadable: the loader reports why
    return digest.hexdigest()

"""What the letters already in a corpus folder are, for ``letters import``'s duplicate check:
each file's ``source`` and its body without whitespace, read once per file and kept while the
file is unchanged (importing thousands of files reads each existing one once)."""

from __future__ import annotations

import os
from pathlib import Path

from indexer.letters.corpus import LETTER_SUFFIXES, NOT_LETTERS, letters_dir
from indexer.letters.letter import LetterError, read_text, split_front_matter

# (file path) -> ((mtime_ns, size), source, body without whitespace): importing many files
# into one folder reads each existing file once, not once per imported file.
_FINGERPRINTS: dict[str, tuple[tuple[int, int], str, str]] = {}


def body_key(body: str) -> str:
    """A body without its whitespace: the same letter, however it was wrapped."""
    return "".join(body.split())


def fingerprints(target_dir: Path) -> dict[str, tuple[str, str]]:
    """``source`` and whitespace-free body of every letter file under the folder, by path."""
    found: dict[str, tuple[str, str]] = {}
    top = letters_dir(target_dir)
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            lower = name.lower()
            if name.startswith(".") or lower in NOT_LETTERS:
                continue
            if not lower.endswith(LETTER_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stamp = (stat.st_mtime_ns, stat.st_size)
            cached = _FINGERPRINTS.get(path)
            if cached is None or cached[0] != stamp:
                try:
                    text = read_text(Path(path))[1]
                except LetterError:
                    continue
                source, body = _source_and_body(Path(path), text)
                cached = (stamp, source, body_key(body))
                _FINGERPRINTS[path] = cached
            found[os.path.relpath(path, target_dir)] = cached[1:]
    return found


def _source_and_body(path: Path, text: str) -> tuple[str, str]:
    """The front matter's ``source`` and the body, leniently (a broken header has no source)."""
    try:
        meta, body = split_front_matter(path, text)
    except LetterError:
        return "", text
    source = meta.get("source")
    return (str(source) if source else ""), body

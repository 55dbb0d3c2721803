"""``letters import``: turn letters without front matter into corpus files for a person to review.

Plain text and Markdown: the extracted metadata becomes YAML front matter; what could not be
found is listed so the reviewer knows what to fill in. A file whose body is already in the
corpus is not added again.

TEI (``.xml``): the metadata comes from the TEI header and the body from the transcription
(:mod:`indexer.formats.tei`). A TEI file whose ``source`` (file name and edition identifiers)
is already in the corpus is not added again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.corpus import LETTER_SUFFIXES, NOT_LETTERS, letters_dir
from indexer.extract import extract_metadata
from indexer.letter import LetterError, read_text, slugify, split_front_matter

TEI_SUFFIXES = (".xml", ".tei")

FIELD_ORDER = (
    "id",
    "title",
    "type",
    "date",
    "date_from",
    "date_to",
    "place",
    "language",
    "senders",
    "signatories",
    "recipients",
    "reference",
    "source",
    "summary",
    "notes",
)


@dataclass
class ImportResult:
    source: Path
    found: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    written: Path | None = None
    duplicate_of: str | None = None


def import_file(path: str | Path, into: str | Path) -> ImportResult:
    """Write ``into/<id>.md`` with extracted front matter; raises LetterError if unreadable.

    ``.xml`` (and ``.tei``) files are read as TEI, everything else as plain text or Markdown.
    """
    source, target_dir = Path(path), Path(into)
    if source.suffix.lower() in TEI_SUFFIXES:
        return _import_tei(source, target_dir)
    _data, text, _encoding = read_text(source)
    meta, body = split_front_matter(source, text)
    body = body.strip() + "\n"
    result = ImportResult(source=source)
    duplicate = _existing_copy(body, target_dir)
    if duplicate:
        result.duplicate_of = duplicate
        return result
    extraction = extract_metadata(body)
    found = {k: v for k, v in extraction.fields.items() if k not in meta}
    result.found = found
    result.missing = [m for m in extraction.missing if m not in meta]
    front: dict[str, Any] = {**found, **meta}
    front.setdefault("title", source.stem.replace("_", " "))
    front.setdefault("type", "letter")
    front.setdefault("language", "en")
    front.setdefault("source", f"Imported from {source.name}")
    front.setdefault("id", _new_id(front, source))
    letter_id = _unique_id(str(front["id"]), target_dir)
    front["id"] = letter_id
    result.written = _write(target_dir, front, body)
    return result


def _import_tei(source: Path, target_dir: Path) -> ImportResult:
    from indexer.formats.tei import read_tei

    letter = read_tei(source)
    result = ImportResult(source=source)
    duplicate = _existing_copy(None, target_dir, source=letter.source)
    if duplicate:
        result.duplicate_of = duplicate
        return result
    front = dict(letter.front)
    result.found = {
        k: front[k]
        for k in ("title", "date", "date_from", "date_to", "place", "senders", "recipients")
        if k in front
    }
    result.missing = [m for m in letter.missing if m not in ("title", "language")]
    front["id"] = _unique_id(str(front["id"]), target_dir)
    result.written = _write(target_dir, front, letter.body)
    return result


def _write(target_dir: Path, front: dict[str, Any], body: str) -> Path:
    ordered = {k: front[k] for k in FIELD_ORDER if k in front}
    ordered.update({k: v for k, v in front.items() if k not in ordered})
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{front['id']}.md"
    header = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)
    target.write_text(f"---\n{header}---\n\n{body}", encoding="utf-8")
    return target


def _new_id(front: dict[str, Any], source: Path) -> str:
    date = str(front.get("date", ""))
    senders = front.get("senders") or []
    sender = slugify(str(senders[0]))[:30] if senders else ""
    parts = [p for p in (date, sender, slugify(source.stem)[:60]) if p]
    return slugify("-".join(parts))


def _unique_id(letter_id: str, target_dir: Path) -> str:
    candidate, n = letter_id, 2
    while (target_dir / f"{candidate}.md").exists():
        candidate, n = f"{letter_id}-{n}", n + 1
    return candidate


def _existing_copy(body: str | None, target_dir: Path, source: str | None = None) -> str | None:
    """The corpus file that already holds this body (compared without whitespace) or, for
    formats with a stable identity, this ``source``; None if there is none."""
    if not target_dir.is_dir():
        return None
    wanted = "".join(body.split()) if body is not None else None
    for relative, (other_source, other_body) in _fingerprints(target_dir).items():
        if wanted is not None and other_body == wanted:
            return relative
        if source and other_source == source:
            return relative
    return None


# (file path) -> ((mtime_ns, size), source, body without whitespace): importing many files
# into one folder reads each existing file once, not once per imported file.
_FINGERPRINTS: dict[str, tuple[tuple[int, int], str, str]] = {}
_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)
_FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _fingerprints(target_dir: Path) -> dict[str, tuple[str, str]]:
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
                source, body = _source_and_body(text)
                cached = (stamp, source, "".join(body.split()))
                _FINGERPRINTS[path] = cached
            found[os.path.relpath(path, target_dir)] = cached[1:]
    return found


def _source_and_body(text: str) -> tuple[str, str]:
    """The front matter's ``source`` and the body, leniently (a broken header has no source)."""
    if not text.startswith("---\n"):
        return "", text
    end = _FRONT_MATTER_END.search(text, 4)
    if end is None:
        return "", text
    try:
        meta = yaml.load(text[4 : end.start()], Loader=_FAST_YAML)
    except yaml.YAMLError:
        meta = None
    source = meta.get("source") if isinstance(meta, dict) else None
    return (str(source) if source else ""), text[end.end() :]

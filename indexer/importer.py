"""``letters import``: turn letters without front matter into corpus files for a person to review.

The extracted metadata becomes YAML front matter; what could not be found is listed so the
reviewer knows what to fill in. A file whose body is already in the corpus is not added again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.corpus import scan_corpus
from indexer.extract import extract_metadata
from indexer.letter import LetterError, read_text, slugify, split_front_matter

FIELD_ORDER = (
    "id",
    "title",
    "type",
    "date",
    "place",
    "language",
    "senders",
    "signatories",
    "recipients",
    "reference",
    "source",
)


@dataclass
class ImportResult:
    source: Path
    found: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    written: Path | None = None
    duplicate_of: str | None = None


def import_file(path: str | Path, into: str | Path) -> ImportResult:
    """Write ``into/<id>.md`` with extracted front matter; raises LetterError if unreadable."""
    source, target_dir = Path(path), Path(into)
    _data, text = read_text(source)
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
    ordered = {k: front[k] for k in FIELD_ORDER if k in front}
    ordered.update({k: v for k, v in front.items() if k not in ordered})
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{letter_id}.md"
    header = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)
    target.write_text(f"---\n{header}---\n\n{body}", encoding="utf-8")
    result.written = target
    return result


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


def _existing_copy(body: str, target_dir: Path) -> str | None:
    """The corpus file that already holds this body, if any (compared without whitespace)."""
    if not target_dir.is_dir():
        return None
    wanted = "".join(body.split())
    for f in scan_corpus(target_dir):
        try:
            _data, text = read_text(f.path)
            _meta, other = split_front_matter(f.path, text)
        except LetterError:
            continue
        if "".join(other.split()) == wanted:
            return f.relative
    return None

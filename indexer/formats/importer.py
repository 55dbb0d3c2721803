"""``letters import``: turn letters without front matter into corpus files for a person to review.

Plain text and Markdown: the extracted metadata becomes YAML front matter; what could not be
found is listed so the reviewer knows what to fill in. A file whose body is already in the
corpus is not added again.

TEI (``.xml``): the metadata comes from the TEI header and the body from the transcription
(:mod:`indexer.formats.tei`). A TEI file whose ``source`` (file name and edition identifiers)
is already in the corpus is not added again.

E-mail (``.eml``, and ``.mbox`` with one corpus file per message), HTML (``.html``, ``.htm``),
PDF (``.pdf``, its text layer) and Word (``.docx``): the format's own metadata (headers,
document properties) comes first, the text's metadata fills the rest
(:mod:`indexer.formats.converted` and the readers next to it). A letter whose body, or whose
e-mail Message-ID, is already in the corpus is not added again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.formats.converted import Converted
from indexer.letters.corpus import LETTER_SUFFIXES, NOT_LETTERS, letters_dir
from indexer.letters.extract import extract_metadata
from indexer.letters.letter import LetterError, read_text, slugify, split_front_matter

TEI_SUFFIXES = (".xml", ".tei")
CONVERTED_SUFFIXES = (".eml", ".mbox", ".html", ".htm", ".pdf", ".docx")
IMPORTED_FIELDS = (
    "title", "date", "place", "senders", "signatories", "recipients", "cc", "reference"
)  # fmt: skip

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
    "cc",
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
    # a mailbox: one result per message (the fields above then sum them up for the CLI)
    parts: list[ImportResult] = field(default_factory=list)


def import_file(path: str | Path, into: str | Path) -> ImportResult:
    """Write ``into/<id>.md`` with extracted front matter; raises LetterError if unreadable.

    ``.xml`` (and ``.tei``) files are read as TEI; ``.eml``, ``.mbox``, ``.html``/``.htm``,
    ``.pdf`` and ``.docx`` are converted (see :func:`_import_converted`); everything else is
    read as plain text or Markdown. A ``.mbox`` makes one file per message: ``parts``.
    """
    source, target_dir = Path(path), Path(into)
    suffix = source.suffix.lower()
    if suffix in TEI_SUFFIXES:
        return _import_tei(source, target_dir)
    if suffix == ".mbox":
        return _import_mbox(source, target_dir)
    if suffix in CONVERTED_SUFFIXES:
        return _import_converted(source, _read_converted(source), target_dir)
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


def _read_converted(source: Path) -> Converted:
    suffix = source.suffix.lower()
    if suffix == ".eml":
        from indexer.formats.email_letters import read_eml

        return read_eml(source)
    if suffix in (".html", ".htm"):
        from indexer.formats.html_letters import read_html

        return read_html(source)
    if suffix == ".pdf":
        from indexer.formats.pdf_letters import read_pdf

        return read_pdf(source)
    from indexer.formats.docx_letters import read_docx

    return read_docx(source)


def _import_mbox(source: Path, target_dir: Path) -> ImportResult:
    """One corpus file per message; the mailbox's result sums them up for the CLI."""
    from indexer.formats.email_letters import read_mbox

    parts = [_import_converted(source, letter, target_dir) for letter in read_mbox(source)]
    result = ImportResult(source=source, parts=parts)
    new = [p for p in parts if p.written]
    if not new:
        result.duplicate_of = ", ".join(str(p.duplicate_of) for p in parts)
        return result
    result.written = new[0].written
    result.found = {
        "messages": f"{len(parts)} ({len(new)} new, {len(parts) - len(new)} already there)",
        "files": [str(p.written) for p in new],
    }
    missing: dict[str, None] = {}
    for part in new:
        missing.update(dict.fromkeys(part.missing))
    result.missing = list(missing)
    return result


def _import_converted(source: Path, letter: Converted, target_dir: Path) -> ImportResult:
    """Front matter from the format's metadata, then the text's, then the format's fallbacks."""
    result = ImportResult(source=source)
    duplicate = _existing_copy(letter.body, target_dir, source=letter.identity)
    if duplicate:
        result.duplicate_of = duplicate
        return result
    extraction = extract_metadata(letter.body)
    front: dict[str, Any] = {**letter.fallback, **extraction.fields, **letter.meta}
    for name in ("senders", "cc", "signatories", "recipients"):  # the text adds to headers
        if letter.meta.get(name) and extraction.fields.get(name):
            merge = _merge_people if name in ("signatories", "recipients") else _merge_names
            front[name] = merge(letter.meta[name], extraction.fields[name])
    result.found = {k: front[k] for k in IMPORTED_FIELDS if front.get(k)}
    result.missing = [m for m in extraction.missing if not front.get(m)]
    front.setdefault("title", letter.name)
    front["type"] = "letter"
    front.setdefault("language", "en")
    front["source"] = letter.source
    from_headers = [k for k in IMPORTED_FIELDS if k in letter.meta]
    from_text = [k for k in IMPORTED_FIELDS if k in extraction.fields and k not in letter.meta]
    from_file = [
        k
        for k in IMPORTED_FIELDS
        if k in front and k in letter.fallback and k not in from_headers and k not in from_text
    ]
    notes = f"Imported from the {letter.kind} {source.name} with 'letters import'; review it."
    for label, names in (
        ("From the " + letter.kind + "'s own metadata", from_headers),
        ("From the text", from_text),
        ("From the file's properties (the text does not say)", from_file),
    ):
        if names:
            notes += f" {label}: {', '.join(names)}."
    if letter.notes:
        notes += " Body: " + "; ".join(letter.notes) + "."
    front["notes"] = notes
    front["id"] = _unique_id(_new_id(front, Path(letter.name)), target_dir)
    result.written = _write(target_dir, front, letter.body)
    return result


def _merge_names(first: list[str], more: list[str]) -> list[str]:
    known = {n.lower() for n in first}
    return list(first) + [n for n in more if n.lower() not in known]


def _merge_people(first: list[dict[str, str]], more: list[dict[str, str]]) -> list[dict[str, str]]:
    """People from the headers, each completed with the role the text gives the same name."""
    merged = [dict(p) for p in first]
    for person in more:
        same = next((m for m in merged if m["name"].lower() == person["name"].lower()), None)
        if same is None:
            merged.append(dict(person))
        elif person.get("role") and not same.get("role"):
            same["role"] = person["role"]
    return merged


def _write(target_dir: Path, front: dict[str, Any], body: str) -> Path:
    ordered = {k: front[k] for k in FIELD_ORDER if k in front}
    ordered.update({k: v for k, v in front.items() if k not in ordered})
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{front['id']}.md"
    header = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)
    try:  # "x": never through an existing name, not even a dangling link out of the corpus
        with target.open("x", encoding="utf-8") as handle:
            handle.write(f"---\n{header}---\n\n{body}")
    except FileExistsError as exc:
        raise LetterError(target, "a file of that name appeared meanwhile; import again") from exc
    return target


def _new_id(front: dict[str, Any], source: Path) -> str:
    date = str(front.get("date", ""))
    senders = front.get("senders") or []
    sender = slugify(str(senders[0]))[:30] if senders else ""
    parts = [p for p in (date, sender, slugify(source.stem)[:60]) if p]
    return slugify("-".join(parts))


def _unique_id(letter_id: str, target_dir: Path) -> str:
    candidate, n = letter_id, 2
    while os.path.lexists(target_dir / f"{candidate}.md"):  # a dangling link is taken too
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
                source, body = _source_and_body(Path(path), text)
                cached = (stamp, source, "".join(body.split()))
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

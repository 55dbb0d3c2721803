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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import yaml

from indexer.formats.converted import Converted
from indexer.formats.fingerprints import body_key, fingerprints
from indexer.formats.mojibake import MOJIBAKE_NOTE, repair_mojibake
from indexer.letters.corpus import LETTER_SUFFIXES
from indexer.letters.extract import extract_metadata
from indexer.letters.language import DETECTED, detect_language
from indexer.letters.letter import (
    ID_PATTERN,
    LetterError,
    read_text,
    slugify,
    split_front_matter,
)

if TYPE_CHECKING:
    from indexer.formats.tei import ImportedLetter

TEI_SUFFIXES = (".xml", ".tei")
CONVERTED_SUFFIXES = (".eml", ".mbox", ".html", ".htm", ".pdf", ".docx")
TEXT_SUFFIXES = (".txt", ".text", *LETTER_SUFFIXES)
IMPORT_SUFFIXES = TEI_SUFFIXES + CONVERTED_SUFFIXES + TEXT_SUFFIXES
# files of a folder that describe it rather than hold a letter
_NOT_LETTER_STEMS = ("readme", "license", "licence", "copying", "changelog", "index", "notice")
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
    "destination",
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


def letter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files to import: each file given, and in each folder (recursively, sorted, hidden
    entries skipped) the files of a known format, except a folder's README, LICENSE …."""
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                lower = name.lower()
                if name.startswith(".") or not lower.endswith(IMPORT_SUFFIXES):
                    continue
                if lower.split(".")[0].split("-")[0] in _NOT_LETTER_STEMS:
                    continue
                yield Path(folder) / name


def import_file(path: str | Path, into: str | Path) -> ImportResult:
    """Import one file into the folder ``into`` (see :meth:`Importer.import_file`)."""
    return Importer(into).import_file(path)


class Importer:
    """Imports into one folder; what the folder holds is read once, so importing thousands of
    files checks each against the others without reading the folder again."""

    def __init__(self, into: str | Path) -> None:
        self.target_dir = Path(into)
        self._sources: dict[str, str] | None = None
        self._bodies: dict[str, str] = {}
        self._written: set[str] = set()  # file names this importer wrote

    def import_file(self, path: str | Path) -> ImportResult:
        """Write ``into/<id>.md`` with extracted front matter; raises LetterError if unreadable.

        ``.xml`` (and ``.tei``) files are read as TEI; ``.eml``, ``.mbox``, ``.html``/``.htm``,
        ``.pdf`` and ``.docx`` are converted (see :func:`_import_converted`); everything else
        is read as plain text or Markdown. A ``.mbox`` makes one file per message: ``parts``.
        """
        source = Path(path)
        suffix = source.suffix.lower()
        if suffix in TEI_SUFFIXES:
            return _import_tei(source, self)
        if suffix == ".mbox":
            return _import_mbox(source, self)
        if suffix in CONVERTED_SUFFIXES:
            return _import_converted(source, _read_converted(source), self)
        return _import_text(source, self)

    def duplicate(self, body: str | None, source: str | None = None) -> str | None:
        """The corpus file that already holds this body (compared without whitespace) or, for
        formats with a stable identity, this ``source``; None if there is none."""
        if self._sources is None:
            self._sources = {}
            if self.target_dir.is_dir():
                for relative, (other_source, other_body) in fingerprints(self.target_dir).items():
                    self._remember(relative, other_source, other_body)
        key = body_key(body) if body is not None else None
        if key is not None and key in self._bodies:
            return self._bodies[key]
        return self._sources.get(source) if source else None

    def exported(self, url: str) -> str | None:
        """The corpus file of a letter this archive exported (a CMIF ``@ref`` ending in
        ``/letters/<id>`` whose ``<id>.md`` is in the folder), so that re-importing the
        archive's own CMIF adds no records of letters it holds."""
        marker = url.rfind("/letters/")
        name = unquote(url[marker + len("/letters/") :]) if marker >= 0 else ""
        file_name = f"{name}.md"
        if not ID_PATTERN.match(name) or file_name in self._written:
            return None  # a record written just now may have taken the id: not the same letter
        return file_name if (self.target_dir / file_name).is_file() else None

    def write(self, front: dict[str, Any], body: str) -> Path:
        """Write the letter under a free id and remember it for the next duplicate check."""
        front["id"] = _unique_id(str(front["id"]), self.target_dir)
        target = _write(self.target_dir, front, body)
        self._written.add(target.name)
        relative = os.path.relpath(target, self.target_dir)
        self._remember(relative, str(front.get("source") or ""), body_key(body))
        return target

    def _remember(self, relative: str, source: str, body: str) -> None:
        assert self._sources is not None
        if source:
            self._sources.setdefault(source, relative)
        self._bodies.setdefault(body, relative)


def _import_text(source: Path, importer: Importer) -> ImportResult:
    _data, text, _encoding = read_text(source)
    meta, body = split_front_matter(source, text)
    body, repaired = repair_mojibake(body.strip() + "\n")
    result = ImportResult(source=source)
    duplicate = importer.duplicate(body)
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
    detected = "" if meta.get("language") else detect_language(body)
    if detected:
        front["language"] = detected
        result.found["language"] = f"{detected} ({DETECTED})"
    front.setdefault("source", f"Imported from {source.name}")
    if "notes" not in meta:
        notes = [MOJIBAKE_NOTE] if repaired else []
        notes += [f"Language {detected}: {DETECTED}."] if detected else []
        if notes:
            front["notes"] = " ".join(notes)
    front.setdefault("id", _new_id(front, source))
    front = {k: v for k, v in front.items() if v is not None}
    result.written = importer.write(front, body)
    return result


def _import_tei(source: Path, importer: Importer) -> ImportResult:
    """A TEI letter, or every record of a CMIF file (one result per record, as a mailbox)."""
    from indexer.formats.cmif_import import is_cmif, read_cmif_letters
    from indexer.formats.tei import parse_xml, read_tei_root, tei_root

    root = tei_root(source, parse_xml(source))
    if not is_cmif(root):
        return _import_tei_letter(source, read_tei_root(source, root), importer)
    parts = [_import_tei_letter(source, r, importer) for r in read_cmif_letters(source, root)]
    return _summed(source, parts, "records")


def _import_tei_letter(source: Path, letter: ImportedLetter, importer: Importer) -> ImportResult:
    result = ImportResult(source=source)
    duplicate = importer.duplicate(None, source=letter.source) or importer.exported(
        str(letter.front.get("url") or "")
    )
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
    result.written = importer.write(front, letter.body)
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


def _import_mbox(source: Path, importer: Importer) -> ImportResult:
    """One corpus file per message; the mailbox's result sums them up for the CLI."""
    from indexer.formats.email_letters import read_mbox

    parts = [_import_converted(source, letter, importer) for letter in read_mbox(source)]
    return _summed(source, parts, "messages")


def _summed(source: Path, parts: list[ImportResult], what: str) -> ImportResult:
    """One result for a file of several letters (a mailbox, a CMIF file), with its parts."""
    result = ImportResult(source=source, parts=parts)
    new = [p for p in parts if p.written]
    if not new:
        names = [str(p.duplicate_of) for p in parts]
        many = f"{len(names)} files, the first {names[0]}" if len(names) > 3 else ""
        result.duplicate_of = many or ", ".join(names) or "(no letters)"
        return result
    result.written = new[0].written
    result.found = {
        what: f"{len(parts)} ({len(new)} new, {len(parts) - len(new)} already there)",
        "files": [str(p.written) for p in new],
    }
    missing: dict[str, None] = {}
    for part in new:
        missing.update(dict.fromkeys(part.missing))
    result.missing = list(missing)
    return result


def _import_converted(source: Path, letter: Converted, importer: Importer) -> ImportResult:
    """Front matter from the format's metadata, then the text's, then the format's fallbacks."""
    result = ImportResult(source=source)
    duplicate = importer.duplicate(letter.body, source=letter.identity)
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
    detected = "" if front.get("language") else detect_language(letter.body)
    if detected:  # the format did not say: never a default, only what the text shows
        front["language"] = detected
        result.found["language"] = f"{detected} ({DETECTED})"
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
    if detected:
        notes += f" Language {detected}: {DETECTED}."
    front["notes"] = notes
    front["id"] = _new_id(front, Path(letter.name))
    result.written = importer.write(front, letter.body)
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

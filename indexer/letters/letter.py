"""The letter model: reading a corpus file (YAML front matter + Markdown body) into a Letter.

Every problem with a file becomes a :class:`LetterError` that names the file and the reason,
so the indexer can report it and go on with the other files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from indexer.letters.dates import first_day, last_day, partial_date
from indexer.letters.encoding import UndetectableEncoding, decode, fallback_warning
from indexer.letters.extract import extract_metadata
from indexer.letters.language import read_languages
from indexer.letters.passages import Passage, render

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
LIST_FIELDS = ("senders", "cc", "subjects")
MAPPING_FIELDS = ("keys",)
PEOPLE_FIELDS = ("signatories", "recipients")
TEXT_FIELDS = (
    "id",
    "title",
    "type",
    "place",
    "destination",
    "language",
    "reference",
    "source",
    "summary",
    "notes",
    "url",
    "edition_id",
    "previous",
    "next",
    "readings",
)
DATE_FIELDS = ("date", "date_from", "date_to")
KNOWN_FIELDS = frozenset(TEXT_FIELDS + DATE_FIELDS + LIST_FIELDS + PEOPLE_FIELDS + MAPPING_FIELDS)
#: a letter without body text is a record of one when it names at least one of these
RECORD_FIELDS = ("senders", "signatories", "recipients", "date", "date_from", "date_to")
#: identity keys that hold no identity (a database's empty value written out)
_NO_KEY = re.compile(r"^[-_#/:=\s]*$|(?:^|[-_#/:=])(?:none|null|nan|undefined|unknown)$", re.I)
EXTRACTABLE = ("date", "place", "senders", "signatories", "recipients", "title", "reference")
MAX_FILE_BYTES = 8 * 1024 * 1024  # a letter is text: far below this; more is a mistake


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that leaves dates as text, so our own date check gives the message."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class LetterError(ValueError):
    """A corpus file that cannot be read as a letter; ``str()`` names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""

    def label(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


@dataclass
class Letter:
    """A letter with curated (or extracted) metadata and its numbered passages."""

    id: str
    title: str
    body: str
    type: str = "letter"
    date: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    place: str = ""  # where it was written
    destination: str = ""  # where it was received (TEI: the received action's placeName)
    language: str = ""
    senders: list[str] = field(default_factory=list)
    signatories: list[Person] = field(default_factory=list)
    recipients: list[Person] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reference: str = ""
    source: str = ""
    summary: str = ""
    notes: str = ""
    subjects: list[str] = field(default_factory=list)  # keywords, textClass terms
    keys: dict[str, str] = field(default_factory=dict)  # person or place name -> identity key
    url: str = ""  # the letter in its edition (CMIF correspDesc/@ref)
    edition_id: str = ""  # the letter's id in its edition, which correspContext points to
    previous: str = ""  # correspContext: the previous letter (an id or address)
    next: str = ""  # correspContext: the next letter
    readings: str = ""  # readings not shown (abbr, sic, orig of a choice), searchable
    path: str = ""
    content_hash: str = ""
    extracted: list[str] = field(default_factory=list)
    encoding: str = "utf-8"  # of the file; a legacy code page is worth telling the archivist
    passages: list[Passage] = field(default_factory=list)
    html: str = ""  # the body as sanitised HTML, its passages anchored id="p<n>"

    @property
    def years(self) -> list[int]:
        """Every year the letter's date (or date range) touches, for the year facet."""
        if not self.date_from or not self.date_to:
            return []
        first, last = int(self.date_from[:4]), int(self.date_to[:4])
        return list(range(first, last + 1)) if last - first <= 50 else []

    @property
    def transcribed(self) -> bool:
        """Whether the archive holds the letter's text, not only a record of it."""
        return bool(self.passages)

    def key(self, name: str) -> str:
        """The identity key of a person or place named in the metadata ('' if none)."""
        return self.keys.get(name, "")

    def warnings(self) -> list[str]:
        """Problems that do not stop the letter from being indexed, each naming the file."""
        note = fallback_warning(self.encoding)
        return [f"{self.path}: {note}"] if note else []

    def metadata(self) -> dict[str, Any]:
        """Front-matter shaped metadata (no body, no passages), as JSON-ready values."""
        data = asdict(self)
        for key in ("body", "passages", "html", "content_hash", "extracted", "encoding"):
            data.pop(key)
        return data


def _with_languages(passages: list[Passage], languages: list[str]) -> list[Passage]:
    """The passages, each written in another language than the letter's marked with it."""
    pairs = zip(passages, languages, strict=True)
    return [replace(p, language=own) if own else p for p, own in pairs]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    """A letter file's bytes, refusing unreadable, oversized and empty files with a reason."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LetterError(path, f"file is too large ({size} bytes; limit {MAX_FILE_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        raise LetterError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise LetterError(path, "empty file")
    return data


def read_text(path: Path) -> tuple[bytes, str, str]:
    """Read a letter file as text: (bytes, text, encoding), or a reason a person can act on."""
    data = read_bytes(path)
    if b"\x00" in data[:8192]:
        raise LetterError(path, "binary file (contains NUL bytes), not a Markdown letter")
    try:
        text, encoding = decode(data)
    except UndetectableEncoding as exc:
        raise LetterError(path, str(exc)) from exc
    return data, text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    """Separate YAML front matter (between ``---`` lines) from the Markdown body."""
    if not text.startswith("---\n"):
        return {}, text
    end = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if end is None:
        raise LetterError(path, "front matter is not closed: add a line '---' after it")
    raw, body = text[4 : 4 + end.start()], text[4 + end.end() :]
    try:
        meta = yaml.load(raw, Loader=_FrontMatterLoader)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise LetterError(path, f"front matter is not valid YAML{where}: {problem}") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise LetterError(path, "front matter must be a mapping of field: value")
    return meta, body.lstrip("\n")


def load_letter(path: str | Path, root: str | Path | None = None) -> Letter:
    """Read and validate one corpus file; missing metadata is extracted from the text."""
    path = Path(path)
    data, text, encoding = read_text(path)
    meta, body = split_front_matter(path, text)
    unknown = sorted(str(k) for k in meta if k not in KNOWN_FIELDS)
    if unknown:
        raise LetterError(
            path,
            f"unknown front-matter field(s): {', '.join(unknown)} "
            f"(known: {', '.join(sorted(KNOWN_FIELDS))})",
        )
    values = _validated(path, meta)
    if not body.strip() and not any(values.get(name) for name in RECORD_FIELDS):
        raise LetterError(
            path, "the letter has no body text and no sender, recipient or date to record"
        )
    extracted: list[str] = []
    missing = [name for name in EXTRACTABLE if not values.get(name)]
    if "date" in missing and values.get("date_from"):
        missing.remove("date")
    if missing:
        found = extract_metadata(body).fields
        for name in missing:
            if found.get(name):
                values[name] = _coerce(path, name, found[name])
                extracted.append(name)
    values.setdefault("id", slugify(path.stem))
    values.setdefault("title", _first_line(body) if body.strip() else _record_title(values))
    _set_date_range(path, values)
    relative = str(path.relative_to(root)) if root else str(path)
    rendered = render(body)
    stated = values.get("language") or ""
    language, own = read_languages([p.text for p in rendered.passages], stated)
    values["language"] = language
    if language and not stated:
        extracted.append("language")
    return Letter(
        **values,
        body=body,
        path=relative,
        content_hash=content_hash(data),
        extracted=extracted,
        encoding=encoding,
        passages=_with_languages(rendered.passages, own),
        html=rendered.html,
    )


def _validated(path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in meta.items():
        if value is None or value == "" or value == []:
            continue
        values[name] = _coerce(path, name, value)
    if "id" in values and not ID_PATTERN.match(values["id"]):
        raise LetterError(
            path, f"id {values['id']!r} must be lowercase letters, digits and hyphens"
        )
    return values


def _coerce(path: Path, name: str, value: Any) -> Any:
    """Check one field's type and normalise it; wrong types are named with what was expected."""
    if name in DATE_FIELDS:
        return _iso_date(path, name, value)
    if name in TEXT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise LetterError(path, f"field '{name}' must be text, not {_kind(value)}")
        return str(value).strip()
    if name in LIST_FIELDS:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise LetterError(path, f"field '{name}' must be a list of names")
        return [i.strip() for i in items if i.strip()]
    if name in MAPPING_FIELDS:
        return _keys(path, name, value)
    if name in PEOPLE_FIELDS:
        items = [value] if isinstance(value, str | dict) else value
        if not isinstance(items, list):
            raise LetterError(path, f"field '{name}' must be a list of {{name, role}}")
        return [_person(path, name, item) for item in items]
    raise LetterError(path, f"unknown field '{name}'")


def _person(path: Path, name: str, item: Any) -> Person:
    if isinstance(item, str):
        return Person(item.strip())
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        extra = set(item) - {"name", "role"}
        if extra:
            raise LetterError(path, f"'{name}' entries take name and role, not {sorted(extra)}")
        role = item.get("role") or ""
        if not isinstance(role, str):
            raise LetterError(path, f"the role of {item['name']!r} in '{name}' must be text")
        return Person(item["name"].strip(), role.strip())
    raise LetterError(path, f"each entry of '{name}' needs a name (and optionally a role)")


def _keys(path: Path, name: str, value: Any) -> dict[str, str]:
    """name -> identity key; keys that stand for no identity ("…-None") are dropped."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int) for k, v in value.items()
    ):
        raise LetterError(path, f"field '{name}' must be a mapping of name: key")
    pairs = ((str(k).strip(), str(v).strip()) for k, v in value.items())
    return {k: v for k, v in pairs if k and not _NO_KEY.search(v)}


def _record_title(values: dict[str, Any]) -> str:
    """ "Sender to Recipient" for a record of a letter whose text the archive does not hold."""
    senders = values.get("senders") or [p.name for p in values.get("signatories") or []]
    recipients = [p.name for p in values.get("recipients") or []]
    text = " and ".join(senders) or "Unknown"
    return f"{text} to {' and '.join(recipients) or 'unknown'}"


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(type(value), "a value")


def _iso_date(path: Path, name: str, value: Any) -> str:
    """Accept YYYY-MM-DD (string or YAML date), YYYY-MM or YYYY; reject impossible dates."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return partial_date(str(value), f"field '{name}'")
    except ValueError as exc:
        raise LetterError(path, str(exc)) from exc


def _set_date_range(path: Path, values: dict[str, Any]) -> None:
    """Derive date_from/date_to (full days) from date, or from a partial date or range."""
    date, start, end = values.get("date"), values.get("date_from"), values.get("date_to")
    if date and (start or end):
        raise LetterError(path, "give either 'date' or 'date_from'/'date_to', not both")
    if date:
        start = end = date
    first, last = start or end, end or start
    if not first or not last:
        return
    start, end = first_day(first), last_day(last)
    if start > end:
        raise LetterError(path, f"date_from {start} is after date_to {end}")
    if date and len(date) < 10:  # a partial date is really a range
        values.pop("date")
    values["date_from"], values["date_to"] = start, end


def _first_line(body: str) -> str:
    for line in body.splitlines():
        clean = re.sub(r"[*_#>`\[\]]|\(https?://\S+\)", "", line).strip()
        if clean:
            return clean[:200]
    return "Untitled letter"


def slugify(text: str) -> str:
    """A stable ASCII id from a file name or title."""
    from indexer.letters.text import fold

    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:120] or "letter"

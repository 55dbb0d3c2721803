"""Reading a TEI letter into corpus front matter and a Markdown body.

Metadata comes from the TEI header: the correspondents, place and date from ``correspDesc``
or ``particDesc`` in any of their common encodings (:mod:`indexer.formats.tei_parties`), the
date never more precise than the edition knows (:mod:`indexer.formats.tei_dates`), the letter's
own title in ``titleStmt`` (not the series' title; else "Sender to Recipient, Place, Date"),
the language in ``langUsage`` or ``@xml:lang`` (else detected from the text), a summary note in
``notesStmt``, and the edition and original's identifiers for ``source``. Mojibake (UTF-8 once
decoded with the wrong encoding) is repaired throughout, and the notes say so.

The body follows the transcription: one Markdown paragraph per TEI paragraph (``p``, ``ab``,
``opener``, ``closer``, ``postscript`` …, and ``seg`` of those types), each ``lb`` a hard line
break, whitespace normalised, editorial ``note`` elements as Markdown footnotes. An ``ab``
(anonymous block) has no paragraphs of its own, so it is split at its page breaks; a page break
inside a ``p`` does not split it. Markdown syntax characters in the text are escaped, so the
number of passages is exactly the number of paragraphs written (plus the footnotes).

Parsing uses :mod:`xml.etree.ElementTree`, which never fetches external entities; a DOCTYPE
that declares entities is refused as well (no entity expansion, no "billion laughs").
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.formats.mojibake import MOJIBAKE_NOTE, has_mojibake, repair_mojibake
from indexer.formats.tei_body import tei_body
from indexer.formats.tei_dates import date_fields, iso_date
from indexer.formats.tei_parties import read_parties
from indexer.formats.tei_record import edition_id, edition_url, neighbours, subjects
from indexer.formats.xml_reader import TEI_NS, XML_NS, first_text, local_name, parse_xml, text_of
from indexer.letters.language import detect_language
from indexer.letters.letter import LetterError, slugify

__all__ = [
    "TEI_NS",
    "XML_NS",
    "ImportedLetter",
    "date_value",
    "describe",
    "iso_date",
    "letter_id",
    "parse_xml",
    "read_tei",
    "read_tei_root",
    "summary_of",
    "tei_root",
]


XML_LANG = f"{{{XML_NS}}}lang"


LANGUAGE_CODES = {
    "eng": "en", "gle": "ga", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr",
    "rus": "ru", "ita": "it", "spa": "es", "lat": "la", "wel": "cy", "cym": "cy",
}  # fmt: skip


@dataclass
class ImportedLetter:
    """A letter read from another format: front matter (as for YAML) and a Markdown body."""

    front: dict[str, Any]
    body: str
    missing: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        """Where it came from: the identity used to recognise a second import of the file."""
        return str(self.front.get("source", ""))


def tei_root(path: Path, root: ET.Element) -> ET.Element:
    """The TEI document element, or a LetterError saying what the file is instead."""
    if root.tag in ("TEI", "TEI.2"):
        return root
    if root.tag == "teiCorpus":
        count = len(root.findall("TEI"))
        raise LetterError(
            path, f"a teiCorpus of {count} documents: import one TEI document per letter"
        )
    raise LetterError(path, f"not a TEI document (the root element is <{local_name(root.tag)}>)")


def date_value(iso: str) -> Any:
    """Full dates as ``datetime.date`` (written unquoted in YAML), partial ones as text."""
    return dt.date.fromisoformat(iso) if len(iso) == 10 else iso


def _language(root: ET.Element, header: ET.Element | None) -> str:
    """The language the TEI states: ``langUsage``, else ``@xml:lang`` of text, body or root."""
    code = ""
    if header is not None:
        for language in header.iterfind("profileDesc/langUsage/language"):
            code = language.get("ident") or ""
            if code:
                break
    text = root.find("text")
    body = text.find("body") if text is not None else None
    for element in (text, body, root):
        if not code and element is not None:
            code = element.get(XML_LANG) or ""
    code = code.strip().lower().split("-")[0]
    return LANGUAGE_CODES.get(code, code)


def _title(header: ET.Element | None) -> str:
    """The letter's own title: the main title, else one that is not the series' or a subtitle."""
    main = first_text(header, "fileDesc/titleStmt/title[@type='main']")
    if main or header is None:
        return main
    series = {text_of(t) for t in header.iterfind("fileDesc/seriesStmt/title")}
    for element in header.iterfind("fileDesc/titleStmt/title"):
        kind, level = element.get("type") or "", element.get("level") or ""
        text = text_of(element)
        if text and text not in series and kind not in _NOT_OWN and level not in ("s", "j"):
            return text
    return ""


_NOT_OWN = frozenset(["sub", "series", "alt", "short", "desc", "edition", "collection"])


def _source(path: Path, header: ET.Element | None) -> str:
    """The TEI file and the edition it belongs to, with identifiers where the header has them."""
    parts = [f"TEI file {path.name}"]
    if header is None:
        return parts[0]
    edition = first_text(
        header, "fileDesc/seriesStmt/title", "fileDesc/titleStmt/title[@type='sub']"
    )
    publication = header.find("fileDesc/publicationStmt")
    imprint = ", ".join(
        t
        for t in (
            first_text(publication, "publisher", "distributor", "authority"),
            first_text(publication, "date"),
        )
        if t
    )
    if edition:
        parts.append(f"from the edition {edition}" + (f" ({imprint})" if imprint else ""))
    elif imprint:
        parts.append(f"published by {imprint}")
    idno = first_text(publication, "idno[@type='URI']", "idno[@type='url']", "idno") or first_text(
        header, "fileDesc/sourceDesc//msIdentifier/idno"
    )
    text = " ".join(parts) + (f", {idno}" if idno else "")
    ms = header.find("fileDesc/sourceDesc/msDesc/msIdentifier")
    original = ", ".join(
        t for t in (first_text(ms, n) for n in ("repository", "collection", "idno[@type]")) if t
    )
    return f"{text}; original: {original}" if original else text


_CLEANUPS = {
    "paragraphs": "one paragraph per TEI paragraph or block (p, ab, closer, postscript …)",
    "pb": "an anonymous block (ab) split into paragraphs at its page breaks",
    "lb": "TEI line breaks (lb) kept as hard line breaks",
    "emphasis": "underlined, italic and bold text as Markdown emphasis",
    "del": "deleted text marked with <del>",
    "notes": "editorial notes as Markdown footnotes",
    "choice": "of alternative readings (choice), the expanded, corrected or regularised one",
    "joined": "words broken across lines (lb break='no') joined",
    "language": "the TEI names no language: it is detected from the text",
    "mojibake": MOJIBAKE_NOTE[:1].lower() + MOJIBAKE_NOTE[1:-1],
}


def read_tei(path: str | Path) -> ImportedLetter:
    """Read a TEI letter; raises LetterError (naming the file) when that is impossible."""
    path = Path(path)
    return read_tei_root(path, tei_root(path, parse_xml(path)))


def read_tei_root(path: Path, root: ET.Element) -> ImportedLetter:
    """A TEI letter from its parsed document (``tei_root``)."""
    repaired = _repair_mojibake(root)
    body, cleanups, hidden = tei_body(path, root)
    header = root.find("teiHeader")
    title = _title(header)
    parties = read_parties(header, title)
    senders, recipients = parties.senders, parties.recipients
    if not body and not (senders or recipients):
        raise LetterError(path, "the TEI <text> is empty: there is no letter text to import")

    front: dict[str, Any] = {}
    problems: list[str] = list(parties.notes)
    dates: dict[str, str] = {}
    for element in parties.dates:
        dates, notes = date_fields(element)
        problems += notes
        if dates:
            break
    place = parties.place
    language = _language(root, header)
    detected = "" if language else detect_language(body, default="")

    front["title"] = title or describe(senders, recipients, place, dates) or path.stem
    front["type"] = "letter"
    front.update({k: date_value(v) for k, v in dates.items()})
    if place:
        front["place"] = place
    if parties.destination:
        front["destination"] = parties.destination
    if language or detected:
        front["language"] = language or detected
    if senders:
        front["senders"] = [name for _kind, name in senders]
    persons = [{"name": name} for kind, name in senders if kind == "person"]
    if persons:
        front["signatories"] = persons
    if recipients:
        front["recipients"] = [{"name": name} for _kind, name in recipients]
    _record(front, root, header, parties.keys, hidden)
    front["source"] = _source(path, header)
    summary = first_text(header, "fileDesc/notesStmt/note[@type='summary']", "profileDesc/abstract")
    front["summary"] = summary or summary_of(senders, recipients, dates)
    if detected:
        cleanups.add("language")
    if repaired:
        cleanups.add("mojibake")
    front["notes"] = _notes(path, cleanups, problems, bool(summary))
    front["id"] = letter_id(front, path)

    missing = [
        name
        for name, present in (
            ("date", dates),
            ("place", place),
            ("senders", senders),
            ("recipients", recipients),
            ("title", title),
            ("language", language),
        )
        if not present
    ]
    return ImportedLetter(front=front, body=body, missing=missing)


def _record(
    front: dict[str, Any],
    root: ET.Element,
    header: ET.Element | None,
    keys: dict[str, str],
    hidden: list[str],
) -> None:
    """Subjects, identity keys, the letter's place in its edition and its hidden readings."""
    named = {*front.get("senders", ()), *(p["name"] for p in front.get("recipients", ()))}
    named.add(front.get("place", ""))
    kept = {name: key for name, key in keys.items() if name in named}
    corresp = header.find(".//correspDesc") if header is not None else None
    previous, following = neighbours(corresp)
    fields = {
        "subjects": subjects(header),
        "keys": kept,
        "url": edition_url(header),
        "edition_id": edition_id(root),
        "previous": previous,
        "next": following,
        "readings": " ".join(hidden),
    }
    front.update({name: value for name, value in fields.items() if value})


def _repair_mojibake(root: ET.Element) -> bool:
    """Undo mojibake in every text and attribute of the document; whether there was any."""
    if not has_mojibake(" ".join(root.itertext())):
        return False
    for element in root.iter():
        element.text = repair_mojibake(element.text)[0] if element.text else element.text
        element.tail = repair_mojibake(element.tail)[0] if element.tail else element.tail
        for key, value in element.attrib.items():
            element.set(key, repair_mojibake(value)[0])
    return True


def describe(
    senders: list[tuple[str, str]],
    recipients: list[tuple[str, str]],
    place: str = "",
    dates: dict[str, str] | None = None,
) -> str:
    """ "Sender to Recipient, Place, Date" for a letter whose TEI has no title of its own."""
    if not senders and not recipients:
        return ""
    text = " and ".join(n for _k, n in senders) or "Unknown"
    text += " to " + (" and ".join(n for _k, n in recipients) or "unknown")
    dates = dates or {}
    when = dates.get("date") or "–".join(
        d for d in (dates.get("date_from"), dates.get("date_to")) if d
    )
    return ", ".join(t for t in (text, place, when) if t)


def summary_of(
    senders: list[tuple[str, str]], recipients: list[tuple[str, str]], dates: dict[str, str]
) -> str:
    text = "Letter"
    if senders:
        text += " from " + " and ".join(n for _k, n in senders)
    if recipients:
        text += " to " + " and ".join(n for _k, n in recipients)
    if "date" in dates:
        text += f", dated {dates['date']}"
    elif dates:
        text += f", written between {dates.get('date_from', '…')} and {dates.get('date_to', '…')}"
    return text + "."


def _notes(path: Path, cleanups: set[str], problems: list[str], has_summary: bool) -> str:
    text = f"Imported from the TEI file {path.name} with 'letters import'; review it."
    if problems:
        text += " " + "; ".join(p[:1].upper() + p[1:] for p in problems) + "."
    if not has_summary:
        text += " The TEI has no summary; the summary is generated from the metadata."
    used = [description for key, description in _CLEANUPS.items() if key in cleanups]
    if used:
        text += " Body: " + "; ".join(used) + "; whitespace normalised and empty lines dropped."
    return text


def letter_id(front: dict[str, Any], path: Path) -> str:
    date = str(front.get("date") or front.get("date_from") or front.get("date_to") or "")
    senders = front.get("senders") or []
    recipients = front.get("recipients") or []
    parts = [date]
    if senders:
        parts.append(slugify(str(senders[0]))[:40])
    if recipients:
        parts.append("to-" + slugify(str(recipients[0]["name"]))[:40])
    if not senders and not recipients:
        parts.append(slugify(path.stem)[:60])
    return slugify("-".join(p for p in parts if p))

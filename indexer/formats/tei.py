"""Reading a TEI letter into corpus front matter and a Markdown body.

Metadata comes from the TEI header: ``correspDesc`` (the ``sent`` action's persons and
organisations, date and place; the ``received`` action's addressees), the title in
``titleStmt``, the language in ``langUsage`` (or ``@xml:lang``), a summary note in
``notesStmt``, and the edition and original's identifiers for ``source``.

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
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.formats.tei_body import tei_body
from indexer.formats.xml_reader import TEI_NS, XML_NS, first_text, local_name, parse_xml, text_of
from indexer.letters.dates import first_day, last_day, partial_date
from indexer.letters.letter import LetterError, slugify

__all__ = ["TEI_NS", "XML_NS", "ImportedLetter", "iso_date", "parse_xml", "read_tei"]


XML_LANG = f"{{{XML_NS}}}lang"


NAME_TAGS = ("persName", "orgName", "name", "rs")


LANGUAGE_CODES = {
    "eng": "en", "gle": "ga", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr",
    "rus": "ru", "ita": "it", "spa": "es", "lat": "la", "wel": "cy", "cym": "cy",
}  # fmt: skip


_ISO_DATE = re.compile(
    r"(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


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


def _tei_root(path: Path, root: ET.Element) -> ET.Element:
    if root.tag in ("TEI", "TEI.2"):
        return root
    if root.tag == "teiCorpus":
        count = len(root.findall("TEI"))
        raise LetterError(
            path, f"a teiCorpus of {count} documents: import one TEI document per letter"
        )
    raise LetterError(path, f"not a TEI document (the root element is <{local_name(root.tag)}>)")


def iso_date(value: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time part is dropped), if a real date."""
    match = _ISO_DATE.fullmatch((value or "").strip())
    if not match:
        return None
    try:
        return partial_date(match.group("date"))
    except ValueError:
        return None


def _date_value(iso: str) -> Any:
    """Full dates as ``datetime.date`` (written unquoted in YAML), partial ones as text."""
    return dt.date.fromisoformat(iso) if len(iso) == 10 else iso


def date_fields(element: ET.Element) -> tuple[dict[str, str], str]:
    """A TEI ``date`` as front-matter date fields, or a problem to note when unreadable."""
    when = element.get("when") or element.get("when-iso")
    start = element.get("notBefore") or element.get("notBefore-iso")
    start = start or element.get("from") or element.get("from-iso")
    end = element.get("notAfter") or element.get("notAfter-iso")
    end = end or element.get("to") or element.get("to-iso")
    if when:
        date = iso_date(when)
        return ({"date": date}, "") if date else ({}, f"the date {when!r} is not an ISO date")
    if start or end:
        lo, hi = iso_date(start), iso_date(end)
        if (start and not lo) or (end and not hi):
            return {}, f"the date range {start!r}–{end!r} is not made of ISO dates"
        if lo and hi and first_day(lo) > last_day(hi):
            return {}, f"the date range {start!r}–{end!r} ends before it starts"
        values = {"date_from": lo, "date_to": hi}
        return {k: v for k, v in values.items() if v}, ""
    text = text_of(element)
    if not text:
        return {}, ""
    date = iso_date(text)
    return ({"date": date}, "") if date else ({}, f"the date {text!r} is not an ISO date")


def _names(actions: list[ET.Element]) -> list[tuple[str, str]]:
    """(kind, name) of the parties of correspondence actions; kind is 'person' or 'org'."""
    found: dict[str, str] = {}
    for action in actions:
        for child in action:
            if child.tag not in NAME_TAGS:
                continue
            name = text_of(child)
            if not name:
                continue
            person = child.tag == "persName" or (
                child.tag in ("name", "rs") and child.get("type") == "person"
            )
            found.setdefault(name, "person" if person else "org")
    return [(kind, name) for name, kind in found.items()]


def _language(root: ET.Element, header: ET.Element | None) -> str:
    code = ""
    if header is not None:
        for language in header.iterfind("profileDesc/langUsage/language"):
            code = language.get("ident") or ""
            if code:
                break
    if not code:
        text = root.find("text")
        code = (text.get(XML_LANG) if text is not None else None) or root.get(XML_LANG) or ""
    code = code.strip().lower().split("-")[0]
    return LANGUAGE_CODES.get(code, code)


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
}


def read_tei(path: str | Path) -> ImportedLetter:
    """Read a TEI letter; raises LetterError (naming the file) when that is impossible."""
    path = Path(path)
    root = _tei_root(path, parse_xml(path))
    body, cleanups = tei_body(path, root)
    header = root.find("teiHeader")
    corresp = None
    if header is not None:
        corresp = header.find("profileDesc/correspDesc")
        if corresp is None:
            corresp = header.find(".//correspDesc")
    actions = corresp.findall("correspAction") if corresp is not None else []
    sent = [a for a in actions if a.get("type") == "sent"]
    received = [a for a in actions if a.get("type") == "received"]
    senders = _names(sent)
    recipients = _names(received)

    front: dict[str, Any] = {}
    problems: list[str] = []
    title = first_text(header, "fileDesc/titleStmt/title[@type='main']", "fileDesc/titleStmt/title")
    dates: dict[str, str] = {}
    for action in sent:
        for element in action.findall("date"):
            dates, problem = date_fields(element)
            if problem:
                problems.append(problem)
            if dates:
                break
        if dates:
            break
    place = next((t for a in sent for t in [first_text(a, "placeName")] if t), "")
    language = _language(root, header)

    front["title"] = title or _describe(senders, recipients) or path.stem
    front["type"] = "letter"
    front.update({k: _date_value(v) for k, v in dates.items()})
    if place:
        front["place"] = place
    front["language"] = language or "en"
    if senders:
        front["senders"] = [name for _kind, name in senders]
    persons = [{"name": name} for kind, name in senders if kind == "person"]
    if persons:
        front["signatories"] = persons
    if recipients:
        front["recipients"] = [{"name": name} for _kind, name in recipients]
    front["source"] = _source(path, header)
    summary = first_text(header, "fileDesc/notesStmt/note[@type='summary']", "profileDesc/abstract")
    front["summary"] = summary or _summary(senders, recipients, dates)
    front["notes"] = _notes(path, cleanups, problems, bool(summary))
    front["id"] = _new_id(front, path)

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


def _describe(senders: list[tuple[str, str]], recipients: list[tuple[str, str]]) -> str:
    text = "Letter"
    if senders:
        text += " from " + " and ".join(n for _k, n in senders)
    if recipients:
        text += " to " + " and ".join(n for _k, n in recipients)
    return text if text != "Letter" else ""


def _summary(
    senders: list[tuple[str, str]], recipients: list[tuple[str, str]], dates: dict[str, str]
) -> str:
    text = _describe(senders, recipients) or "Letter"
    if "date" in dates:
        text += f", dated {dates['date']}"
    elif dates:
        text += f", written between {dates.get('date_from', '…')} and {dates.get('date_to', '…')}"
    return text + "."


def _notes(path: Path, cleanups: set[str], problems: list[str], has_summary: bool) -> str:
    text = f"Imported from the TEI file {path.name} with 'letters import'; review it."
    if problems:
        text += " " + "; ".join(p[:1].upper() + p[1:] for p in problems) + ", so it is left out."
    if not has_summary:
        text += " The TEI has no summary; the summary is generated from the metadata."
    used = [description for key, description in _CLEANUPS.items() if key in cleanups]
    if used:
        text += " Body: " + "; ".join(used) + "; whitespace normalised and empty lines dropped."
    return text


def _new_id(front: dict[str, Any], path: Path) -> str:
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

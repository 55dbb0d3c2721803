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
from xml.parsers.expat import ExpatError, ParserCreate, errors

from indexer.dates import first_day, last_day
from indexer.letter import LetterError, read_bytes, slugify

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"

# sentinels used while the body is rendered, resolved when paragraphs are assembled
_LB, _PB = "\x01", "\x02"
_EM_OPEN, _EM_CLOSE, _STRONG_OPEN, _STRONG_CLOSE = "\x03", "\x04", "\x05", "\x06"
_SENTINELS = _LB + _PB + _EM_OPEN + _EM_CLOSE + _STRONG_OPEN + _STRONG_CLOSE

BLOCK_ELEMENTS = frozenset(
    [
        "p",
        "ab",
        "head",
        "opener",
        "closer",
        "postscript",
        "salute",
        "signed",
        "dateline",
        "byline",
        "address",
        "lg",
        "item",
        "row",
        "argument",
        "epigraph",
        "trailer",
        "docTitle",
        "titlePart",
    ]
)
BLOCK_SEGS = frozenset(["head", "opener", "closer", "postscript", "salute", "signed", "dateline"])
SKIPPED = frozenset(
    ["fw", "figure", "graphic", "facsimile", "interp", "interpGrp", "index", "milestone", "anchor"]
)
ALTERNATIVES = {"corr", "reg", "expan"}  # inside <choice>, the text as written wins
NAME_TAGS = ("persName", "orgName", "name", "rs")
LANGUAGE_CODES = {
    "eng": "en", "gle": "ga", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr",
    "rus": "ru", "ita": "it", "spa": "es", "lat": "la", "wel": "cy", "cym": "cy",
}  # fmt: skip
_ISO_DATE = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?"
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


class _Refused(Exception):
    """Raised from inside the XML parser for input we do not parse (entity declarations)."""


# -- parsing -----------------------------------------------------------------------------------


def parse_xml(path: str | Path) -> ET.Element:
    """Parse an XML file safely; any problem becomes a LetterError naming the file.

    TEI-namespace tags lose their namespace (``{…tei…}persName`` becomes ``persName``), so TEI
    with and without the namespace read the same.
    """
    path = Path(path)
    data = read_bytes(path)
    try:
        root = _parse_bytes(data)
    except _Refused as exc:
        raise LetterError(path, str(exc)) from None
    except ExpatError as exc:
        reason = errors.messages.get(exc.code, "syntax error") if exc.code else "syntax error"
        raise LetterError(
            path, f"not well-formed XML ({reason}) at line {exc.lineno}, column {exc.offset + 1}"
        ) from None
    prefix = f"{{{TEI_NS}}}"
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(prefix):
            element.tag = element.tag[len(prefix) :]
    return root


def _parse_bytes(data: bytes) -> ET.Element:
    """Expat into an ElementTree, refusing entity declarations and external entities."""
    builder = ET.TreeBuilder()
    parser = ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def name(raw: str) -> str:
        return "{" + raw if "}" in raw else raw

    def refuse_entities(*_args: object) -> None:
        raise _Refused(
            "the DOCTYPE declares entities, which are not accepted (risk of entity "
            "expansion attacks); remove the declarations"
        )

    def refuse_external(*_args: object) -> int:
        raise _Refused("the document refers to an external entity, which is not accepted")

    parser.StartElementHandler = lambda tag, attrs: builder.start(
        name(tag), {name(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_external
    parser.Parse(data, True)
    return builder.close()


def _tei_root(path: Path, root: ET.Element) -> ET.Element:
    if root.tag in ("TEI", "TEI.2"):
        return root
    if root.tag == "teiCorpus":
        count = len(root.findall("TEI"))
        raise LetterError(
            path, f"a teiCorpus of {count} documents: import one TEI document per letter"
        )
    raise LetterError(path, f"not a TEI document (the root element is <{_local(root.tag)}>)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element | None) -> str:
    """The element's text content with whitespace normalised ('' for None)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _first_text(root: ET.Element | None, *paths: str) -> str:
    if root is None:
        return ""
    for path in paths:
        for element in root.iterfind(path):
            text = _text(element)
            if text:
                return text
    return ""


# -- metadata ----------------------------------------------------------------------------------


def iso_date(value: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time part is dropped), if a real date."""
    match = _ISO_DATE.fullmatch((value or "").strip())
    if not match:
        return None
    year, month, day = match.group("y", "m", "d")
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return "-".join(p for p in (year, month, day) if p)


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
    text = _text(element)
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
            name = _text(child)
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
    edition = _first_text(
        header, "fileDesc/seriesStmt/title", "fileDesc/titleStmt/title[@type='sub']"
    )
    publication = header.find("fileDesc/publicationStmt")
    imprint = ", ".join(
        t
        for t in (
            _first_text(publication, "publisher", "distributor", "authority"),
            _first_text(publication, "date"),
        )
        if t
    )
    if edition:
        parts.append(f"from the edition {edition}" + (f" ({imprint})" if imprint else ""))
    elif imprint:
        parts.append(f"published by {imprint}")
    idno = _first_text(
        publication, "idno[@type='URI']", "idno[@type='url']", "idno"
    ) or _first_text(header, "fileDesc/sourceDesc//msIdentifier/idno")
    text = " ".join(parts) + (f", {idno}" if idno else "")
    ms = header.find("fileDesc/sourceDesc/msDesc/msIdentifier")
    original = ", ".join(
        t for t in (_first_text(ms, n) for n in ("repository", "collection", "idno[@type]")) if t
    )
    return f"{text}; original: {original}" if original else text


# -- body --------------------------------------------------------------------------------------


@dataclass
class _Context:
    block: str | None = None  # the enclosing block element (None at container level)
    emphasis: bool = False
    in_choice: bool = False


class _BodyWriter:
    """Render the TEI text to Markdown paragraphs and footnotes, noting what was done."""

    def __init__(self) -> None:
        self.footnotes: list[str] = []
        self.done: set[str] = set()

    def inner(self, element: ET.Element, ctx: _Context) -> str:
        parts = [self.escape(element.text)]
        for child in element:
            parts.append(self.element(child, ctx))
            parts.append(self.escape(child.tail))
        return "".join(parts)

    def element(self, el: ET.Element, ctx: _Context) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        rend = (el.get("rend") or el.get("rendition") or "").lower()
        if tag in SKIPPED or not tag or (ctx.in_choice and tag in ALTERNATIVES):
            return ""
        if tag == "lb":
            self.done.add("lb")
            hyphen = "hyphen" in rend or el.get("type") == "hyphenated"
            return ("-" if hyphen else "") + _LB
        if tag == "cb":
            return _LB
        if tag == "pb":
            if ctx.block in (None, "ab"):
                self.done.add("pb")
                return _PB
            return ""
        if tag == "note":
            return self.note(el, ctx)
        kind = el.get("type", "")
        if tag in BLOCK_ELEMENTS or (tag == "seg" and kind in BLOCK_SEGS):
            return _PB + self.inner(el, _Context(block=tag)) + _PB
        if tag == "choice":
            return self.inner(el, _Context(ctx.block, ctx.emphasis, in_choice=True))
        if tag == "del" or (tag == "seg" and kind == "del"):
            self.done.add("del")
            return self.wrap(self.inner(el, ctx), "<del>", "</del>")
        if tag == "gap":
            return "\\[…\\]"
        if tag == "supplied":
            return "\\[" + self.inner(el, ctx) + "\\]"
        if tag == "space":
            return " "
        if tag in ("hi", "emph", "foreign", "title", "term"):
            return self.highlight(el, tag, rend, ctx)
        if tag in ("ref", "ptr"):
            return self.link(el, tag, ctx)
        return self.inner(el, ctx)

    def highlight(self, el: ET.Element, tag: str, rend: str, ctx: _Context) -> str:
        strong = any(w in rend for w in ("bold", "strong")) or rend == "b"
        emphasis = tag == "emph" or any(w in rend for w in ("italic", "underline", "ital"))
        emphasis = emphasis or rend in ("i", "u")
        if ctx.emphasis or not (strong or emphasis):
            return self.inner(el, ctx)
        text = self.inner(el, _Context(ctx.block, True, ctx.in_choice))
        self.done.add("emphasis")
        if strong:
            return self.wrap(text, _STRONG_OPEN, _STRONG_CLOSE)
        return self.wrap(text, _EM_OPEN, _EM_CLOSE)

    def link(self, el: ET.Element, tag: str, ctx: _Context) -> str:
        target = (el.get("target") or "").strip()
        usable = re.fullmatch(r"https?://[^\s()<>]+", target) is not None
        text = self.inner(el, ctx)
        if not usable:
            return text
        if tag == "ptr" or not text.strip():
            return f"<{target}>"
        return self.wrap(text, "[", f"]({target})")

    @staticmethod
    def wrap(text: str, opening: str, closing: str) -> str:
        """Put markup around the text, leaving surrounding whitespace and line breaks outside."""
        if _PB in text:
            return text
        core = text.strip(" \t\n\r" + _LB)
        if not core.strip():
            return text
        start = text.index(core)
        return text[:start] + opening + core + closing + text[start + len(core) :]

    def note(self, el: ET.Element, ctx: _Context) -> str:
        content = self.inner(el, _Context(block="note"))
        lines = [
            " ".join(line.split()) for line in re.split(f"[{_LB}{_PB}]", content) if line.strip()
        ]
        if not lines:
            return ""
        self.done.add("notes")
        self.footnotes.append("  \n    ".join(_line_start(_markup(line)) for line in lines))
        return f"[^{len(self.footnotes)}]"

    @staticmethod
    def escape(text: str | None) -> str:
        """Text as Markdown that renders as written (line starts are handled later)."""
        if not text:
            return ""
        text = re.sub(f"[{_SENTINELS}]", "", text)
        text = text.replace("\\", "\\\\")
        text = re.sub(r"([`*_\[\]|])", r"\\\1", text)
        text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
        return text.replace("<", "&lt;")


def _markup(line: str) -> str:
    """Resolve the emphasis sentinels of one line (adjacent emphasis merged)."""
    line = line.replace(_EM_CLOSE + _EM_OPEN, "").replace(_STRONG_CLOSE + _STRONG_OPEN, "")
    line = line.replace(_EM_OPEN, "*").replace(_EM_CLOSE, "*")
    return line.replace(_STRONG_OPEN, "**").replace(_STRONG_CLOSE, "**")


def _line_start(line: str) -> str:
    """Escape what would start a list, heading, quote, rule or setext underline."""
    number = re.match(r"\d+(?=[.)](\s|$))", line)
    if number:
        return line[: number.end()] + "\\" + line[number.end() :]
    if line[:1] in ("#", ">", "+", "-"):
        return "\\" + line
    if line[:1] == "=":
        return "&#61;" + line[1:]
    return line


def _paragraphs(raw: str) -> list[str]:
    paragraphs: list[str] = []
    for chunk in raw.split(_PB):
        chunk = chunk.replace(_EM_CLOSE + _EM_OPEN, "").replace(_STRONG_CLOSE + _STRONG_OPEN, "")
        lines = [" ".join(line.split()) for line in chunk.split(_LB)]
        lines = [_line_start(_markup(line)) for line in lines if line]
        if not lines:
            continue
        text = "  \n".join(lines)
        if re.fullmatch(r"(\[\^\d+\]\s*)+", text) and paragraphs:  # a note between blocks
            paragraphs[-1] += text.replace(" ", "")
        else:
            paragraphs.append(text)
    return paragraphs


def tei_body(path: Path, root: ET.Element) -> tuple[str, set[str]]:
    """The Markdown body of a TEI document and the clean-ups used (for the notes)."""
    text = root.find("text")
    if text is None:
        raise LetterError(path, "the TEI has no <text> element: there is no letter text to import")
    writer = _BodyWriter()
    try:
        paragraphs = _paragraphs(writer.inner(text, _Context()))
    except RecursionError:
        raise LetterError(path, "the TEI <text> is nested too deeply to convert") from None
    if not paragraphs:
        raise LetterError(path, "the TEI <text> is empty: there is no letter text to import")
    if len(paragraphs) > 1:
        writer.done.add("paragraphs")
    notes = [f"[^{n}]: {note}" for n, note in enumerate(writer.footnotes, 1)]
    return "\n\n".join(paragraphs + notes) + "\n", writer.done


_CLEANUPS = {
    "paragraphs": "one paragraph per TEI paragraph or block (p, ab, closer, postscript …)",
    "pb": "an anonymous block (ab) split into paragraphs at its page breaks",
    "lb": "TEI line breaks (lb) kept as hard line breaks",
    "emphasis": "underlined, italic and bold text as Markdown emphasis",
    "del": "deleted text marked with <del>",
    "notes": "editorial notes as Markdown footnotes",
}


# -- the letter --------------------------------------------------------------------------------


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
    title = _first_text(
        header, "fileDesc/titleStmt/title[@type='main']", "fileDesc/titleStmt/title"
    )
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
    place = next((t for a in sent for t in [_first_text(a, "placeName")] if t), "")
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
    summary = _first_text(
        header, "fileDesc/notesStmt/note[@type='summary']", "profileDesc/abstract"
    )
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

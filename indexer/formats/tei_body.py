"""The text of a TEI letter as Markdown paragraphs (line breaks, emphasis, links, notes)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from indexer.letters.letter import LetterError

_LB, _PB = "\x01", "\x02"


_EM_OPEN, _EM_CLOSE, _STRONG_OPEN, _STRONG_CLOSE = "\x03", "\x04", "\x05", "\x06"


_JOIN = "\x07"  # a line break inside a word (lb break="no"): the two halves are joined


_SENTINELS = _LB + _PB + _EM_OPEN + _EM_CLOSE + _STRONG_OPEN + _STRONG_CLOSE + _JOIN


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


CONTAINERS = frozenset({
    "div", "div1", "div2", "div3", "div4", "front", "body", "back", "group", "floatingText",
    "list", "table", "lg", "quote", "q", "sp",
})  # fmt: skip  # never glue the text of one to the next


LINES = frozenset(["l", "addrLine"])  # each on a line of its own


SKIPPED = frozenset({
    "fw", "figure", "graphic", "facsimile", "interp", "interpGrp", "index", "milestone", "anchor",
    # registers and apparatus: the edition's, not the letter's text
    "listPerson", "listPlace", "listOrg", "listEvent", "listNym", "listRelation", "listObject",
    "listBibl", "standOff", "teiHeader", "listWit", "listApp", "spanGrp",
})  # fmt: skip
REGISTER_DIVS = frozenset({
    "index", "indexes", "register", "registers", "apparatus", "bibliography", "persons", "places",
    "commentary", "annotations", "notes", "endnotes", "sources",
})  # fmt: skip


READINGS = ("expan", "corr", "reg", "lem")  # of a choice (or app), the reading shown


@dataclass
class _Context:
    block: str | None = None  # the enclosing block element (None at container level)
    emphasis: bool = False


class _BodyWriter:
    """Render the TEI text to Markdown paragraphs and footnotes, noting what was done."""

    def __init__(self) -> None:
        self.footnotes: list[str] = []
        self.done: set[str] = set()
        self.hidden: list[str] = []  # the readings of choices not shown, to be searchable

    def inner(self, element: ET.Element, ctx: _Context) -> str:
        parts = [self.escape(element.text)]
        for child in element:
            parts.append(self.element(child, ctx))
            parts.append(self.escape(child.tail))
        return "".join(parts)

    def element(self, el: ET.Element, ctx: _Context) -> str:
        tag = el.tag if isinstance(el.tag, str) else ""
        rend = (el.get("rend") or el.get("rendition") or "").lower()
        if tag in SKIPPED or not tag:
            return ""
        if tag == "lb":
            hyphen = "hyphen" in rend or el.get("type") == "hyphenated"
            if el.get("break") == "no":
                self.done.add("joined")
                return ("-" if hyphen else "") + _JOIN
            self.done.add("lb")
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
        if tag in CONTAINERS:
            if tag.startswith("div") and kind.lower() in REGISTER_DIVS:
                return ""
            return _PB + self.inner(el, ctx) + _PB
        if tag in LINES:
            return _LB + self.inner(el, ctx) + _LB
        if tag == "cell":
            return " " + self.inner(el, ctx) + " "
        if tag in BLOCK_ELEMENTS or (tag == "seg" and kind in BLOCK_SEGS):
            return _PB + self.inner(el, _Context(block=tag)) + _PB
        if tag in ("choice", "app"):
            return self.reading(el, ctx)
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

    def reading(self, el: ET.Element, ctx: _Context) -> str:
        """One reading of a choice: expanded, corrected or regularised, else the first."""
        children = [c for c in el if isinstance(c.tag, str)]
        if not children:
            return ""
        chosen = next((c for t in READINGS for c in children if c.tag == t), children[0])
        if len(children) > 1:
            self.done.add("choice")
        for other in children:
            words = " ".join("".join(other.itertext()).split())
            if other is not chosen and words:
                self.hidden.append(words)
        return self.element(chosen, ctx)

    def highlight(self, el: ET.Element, tag: str, rend: str, ctx: _Context) -> str:
        strong = any(w in rend for w in ("bold", "strong")) or rend == "b"
        emphasis = tag == "emph" or any(w in rend for w in ("italic", "underline", "ital"))
        emphasis = emphasis or rend in ("i", "u")
        if ctx.emphasis or not (strong or emphasis):
            return self.inner(el, ctx)
        text = self.inner(el, _Context(ctx.block, True))
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
    raw = re.sub(f"\\s*{_JOIN}\\s*", "", raw)
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


def tei_body(path: Path, root: ET.Element) -> tuple[str, set[str], list[str]]:
    """The Markdown body of a TEI document ('' when the text is empty), the clean-ups used
    (for the notes) and the readings of its choices that the body does not show."""
    text = root.find("text")
    if text is None:
        raise LetterError(path, "the TEI has no <text> element: there is no letter text to import")
    writer = _BodyWriter()
    try:
        paragraphs = _paragraphs(writer.inner(text, _Context()))
    except RecursionError:
        raise LetterError(path, "the TEI <text> is nested too deeply to convert") from None
    if not paragraphs:
        return "", writer.done, []
    if len(paragraphs) > 1:
        writer.done.add("paragraphs")
    notes = [f"[^{n}]: {note}" for n, note in enumerate(writer.footnotes, 1)]
    hidden = list(dict.fromkeys(writer.hidden))
    return "\n\n".join(paragraphs + notes) + "\n", writer.done, hidden

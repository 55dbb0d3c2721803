"""Split a letter body into numbered passages, from the same Markdown parse that renders it.

The indexer and the web page must agree on what ¶4 is, so numbering happens once, at index
time: :func:`render` parses the Markdown, numbers every top-level block (each list item and
each footnote on its own), stamps ``id="p<n>"`` on the element and returns the passages' plain
text beside the sanitised HTML. The index stores both; the letter page shows the stored HTML
and never parses the Markdown again, so its ``#p<n>`` is the passage a search hit names.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, ETX, STX

from indexer.letters.safehtml import PASSAGE_CLASS, new_stamp, sanitize

#: Extensions used for every letter; changing them can renumber passages.
MARKDOWN_EXTENSIONS = ["footnotes", "sane_lists", "tables"]

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "div"}
_LIST_TAGS = {"ul", "ol"}
_STASH_RE = re.compile(f"{STX}wzxhzdk:(\\d+){ETX}")
_ESCAPE_RE = re.compile(f"{STX}(\\d+){ETX}")
_CHAR_REF_RE = re.compile(r"&#(\d{1,7});")  # Markdown spells autolinked e-mail addresses so
_LEFTOVER_RE = re.compile(f"{STX}[^{ETX}]*{ETX}")
_SPACES_RE = re.compile(r"[ \t\r\f\v]+")
_ACTIVE_CONTENT_RE = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|\Z)", re.I | re.S)
_MAX_NESTING = 200  # deeper trees (pathological input) are flattened to their text


@dataclass(frozen=True)
class Passage:
    """One citable unit of a letter: ¶n, what kind of block it is, and its plain text."""

    n: int
    kind: str
    text: str
    language: str = ""  # its own language, where it is not the letter's (a quoted statement)


@dataclass(frozen=True)
class Rendered:
    """A body's sanitised HTML (passages anchored ``id="p<n>"``) and its numbered passages."""

    html: str
    passages: list[Passage]


class _PassageNumberer(Treeprocessor):
    """Number top-level blocks, list items and footnotes; collect their plain text."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.passages: list[Passage] = []
        self.stamp = ""  # set for each rendering: only stamped anchors survive sanitising

    def run(self, root: ET.Element) -> None:
        self.passages = []
        for block in list(root):
            if block.tag in _LIST_TAGS:
                for item in block.findall("li"):
                    self._number(item, "li")
            elif block.tag == "div" and "footnote" in block.get("class", "").split():
                for item in block.iter("li"):
                    self._number(item, "footnote")
            elif block.tag in _BLOCK_TAGS:
                self._number(block, block.tag)

    def _number(self, element: ET.Element, kind: str) -> None:
        text = self._plain_text(element)
        if not text:
            return
        n = len(self.passages) + 1
        target = element
        if element.get("id"):  # footnote items keep their own id; mark their first paragraph
            target = next(iter(element), element)
            if target.get("id"):
                target = element
        if target.tag == "p" and len(target) == 0 and _STASH_RE.fullmatch(target.text or ""):
            target.tag = "div"  # a raw HTML block: a <p> around it would end where it starts
        if target is element or not target.get("id"):
            target.set("id", f"{self.stamp}p{n}")
        target.set("class", f"{target.get('class', '')} {self.stamp}{PASSAGE_CLASS}".strip())
        target.set("data-n", f"{self.stamp}{n}")
        self.passages.append(Passage(n=n, kind=kind, text=text))

    def _plain_text(self, element: ET.Element) -> str:
        parts: list[str] = []
        self._collect(element, parts, 0)
        text = "".join(parts)
        lines = (_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
        return "\n".join(line for line in lines if line)

    def _collect(self, element: ET.Element, parts: list[str], depth: int) -> None:
        cls = element.get("class", "")
        if "footnote-backref" in cls or (element.get("id") or "").startswith("fnref"):
            parts.append(self._unstash(element.tail or ""))
            return
        if element.tag == "br":
            parts.append("\n")
        parts.append(self._unstash(element.text or ""))
        for child in element:
            if depth < _MAX_NESTING:
                self._collect(child, parts, depth + 1)
            else:
                parts.append(self._unstash("".join(child.itertext())))
        if element.tag in {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}:
            parts.append("\n")
        parts.append(self._unstash(element.tail or ""))

    def _unstash(self, text: str) -> str:
        """Replace Markdown's placeholders (raw HTML, entities, escapes) with plain text."""
        if STX not in text and AMP_SUBSTITUTE not in text:
            return text

        def raw(match: re.Match[str]) -> str:
            index = int(match.group(1))
            blocks = self.md.htmlStash.rawHtmlBlocks
            if index >= len(blocks):
                return ""
            fragment = str(blocks[index])
            return html.unescape(nh3.clean(fragment, tags=set()))

        text = _STASH_RE.sub(raw, text)
        text = _ESCAPE_RE.sub(lambda m: chr(int(m.group(1))), text)
        text = _CHAR_REF_RE.sub(_char, text.replace(AMP_SUBSTITUTE, "&"))
        return _LEFTOVER_RE.sub("", text)


def _char(match: re.Match[str]) -> str:
    code = int(match.group(1))
    return chr(code) if 0 < code <= 0x10FFFF else match.group(0)


class _PassageExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.numberer = _PassageNumberer(md)
        # after footnotes (19, 15) and inline patterns (20), before prettify (10)
        md.treeprocessors.register(self.numberer, "passage-numbers", 12)


def render(body: str) -> Rendered:
    """Render a letter body to sanitised HTML with ``id="p<n>"`` anchors, and its passages."""
    body = _ACTIVE_CONTENT_RE.sub("", body)  # scripts and styles are never letter text
    if not body.strip():  # Markdown returns early, leaving the last letter's passages behind
        return Rendered(html="", passages=[])
    md, extension = _converter()
    stamp = extension.numberer.stamp = new_stamp()
    try:
        output = md.reset().convert(body)
    except RecursionError:  # pathological nesting: keep every paragraph as plain text
        _local.__dict__.clear()  # a converter interrupted mid-parse is not reused
        return _plain_rendering(body)
    return Rendered(html=sanitize(output, stamp), passages=list(extension.numberer.passages))


_local = threading.local()


def _converter() -> tuple[markdown.Markdown, _PassageExtension]:
    """One Markdown converter per thread, reset between letters (building one is costly)."""
    if not hasattr(_local, "md"):
        extension = _PassageExtension()
        _local.extension = extension
        _local.md = markdown.Markdown(
            extensions=[*MARKDOWN_EXTENSIONS, extension], output_format="html"
        )
    return _local.md, _local.extension


def _plain_rendering(body: str) -> Rendered:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
    passages = [Passage(n=i, kind="p", text=b) for i, b in enumerate(blocks, 1)]
    output = "\n".join(
        f'<p id="p{p.n}" class="{PASSAGE_CLASS}" data-n="{p.n}">{html.escape(p.text)}</p>'
        for p in passages
    )
    return Rendered(html=output, passages=passages)

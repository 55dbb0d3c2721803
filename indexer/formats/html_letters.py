"""Reading an HTML letter (``.html``, ``.htm``) into a Markdown body with the stdlib parser.

The title comes from ``<title>`` (else the first ``<h1>``). Paragraphs come from ``<p>``,
``<li>`` (as list items), headings (as Markdown headings) and the other block elements; ``<br>``
is a hard line break. ``script``, ``style`` and the rest of ``<head>`` are dropped, and so are
Markdown syntax characters at the start of a line (escaped), so the text stays text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from indexer.formats.converted import Converted, paragraphs_to_body
from indexer.letters.letter import LetterError, read_bytes

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = frozenset(
    [
        "p",
        "li",
        "div",
        "blockquote",
        "pre",
        "address",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "dd",
        "dt",
        "td",
        "th",
        "tr",
        "table",
        "ul",
        "ol",
        "dl",
        "figure",
        "figcaption",
        "form",
        "fieldset",
        "hr",
        "body",
        "html",
        "center",
    ]
) | set(HEADINGS)
DROPPED = frozenset(
    ["script", "style", "head", "noscript", "template", "svg", "object", "iframe", "select"]
)
_BREAK = "\x01"
_MARKDOWN_START = re.compile(r"^(\s*)([#>+*-])(?=\s|$)")


class _LetterParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.title_parts: list[str] = []
        self.h1 = ""
        self.current: list[str] = []
        self.prefix = ""
        self.dropped = 0
        self.in_title = False
        self.heading = 0

    def flush(self) -> None:
        text = "".join(self.current)
        lines = [" ".join(line.split()) for line in text.split(_BREAK)]
        lines = [_escape(line) for line in lines if line]
        if lines:
            if self.heading == 1 and not self.h1:
                self.h1 = " ".join(lines)
            paragraph = "  \n".join(lines)
            self.paragraphs.append(self.prefix + paragraph)
        self.current = []
        self.prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
            return
        if tag in DROPPED:
            self.dropped += 1
            return
        if self.dropped:
            return
        if tag == "br":
            self.current.append(_BREAK)
        elif tag in BLOCKS:
            self.flush()
            if tag in HEADINGS:
                self.heading = HEADINGS[tag]
                self.prefix = "#" * self.heading + " "
            elif tag == "li":
                self.prefix = "- "

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.dropped:
            self.current.append(_BREAK)
        elif tag in BLOCKS and not self.dropped:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if tag in DROPPED:
            self.dropped = max(0, self.dropped - 1)
            return
        if self.dropped:
            return
        if tag in BLOCKS:
            prefix = self.prefix
            self.flush()
            if tag in HEADINGS or prefix.startswith("#"):
                self.heading = 0

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.dropped:
            self.current.append(data)


def _escape(line: str) -> str:
    return _MARKDOWN_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def html_paragraphs(html: str) -> tuple[str, list[str], str]:
    """(title, Markdown paragraphs, first h1) of an HTML text."""
    parser = _LetterParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    title = " ".join("".join(parser.title_parts).split())
    return title, parser.paragraphs, parser.h1


def html_to_text(html: str) -> str:
    """An HTML text (e.g. an e-mail's HTML part) as a Markdown body."""
    return paragraphs_to_body(html_paragraphs(html)[1])


def read_html(path: str | Path) -> Converted:
    """Read an HTML letter; raises LetterError (naming the file) when there is no text."""
    path = Path(path)
    data = read_bytes(path)
    if b"\x00" in data[:8192]:
        raise LetterError(path, "binary file (contains NUL bytes), not an HTML letter")
    text = _decode(data)
    if not re.search(r"<\s*[a-zA-Z!]", text):
        raise LetterError(path, "not an HTML document (no HTML tags)")
    title, paragraphs, h1 = html_paragraphs(text)
    body = paragraphs_to_body(paragraphs)
    if not body:
        raise LetterError(path, "the HTML has no text to import")
    meta = {"title": title or h1} if (title or h1) else {}
    return Converted(
        body=body,
        kind="HTML file",
        name=title or h1 or path.stem,
        meta=meta,
        source=f"Imported from the HTML file {path.name}",
        notes=[
            "paragraphs, list items and headings of the HTML as Markdown; scripts, styles "
            "and the page head dropped"
        ],
    )


def _decode(data: bytes) -> str:
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", data[:4096], re.I)
    encodings = ["utf-8-sig"] + ([declared.group(1).decode("ascii")] if declared else [])
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")

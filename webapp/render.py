"""A letter body as safe HTML: Markdown (``passages.render``), nh3, then annotations.

After sanitising, one pass over the HTML (stdlib ``HTMLParser``) adds what the page needs to
every numbered passage: a ¶ link in the margin (``<a class="pn" href="#p4">``), the passage's
plain-text citation (shown by CSS when the passage is the ``:target``), and ``<mark>`` around
the words of a query. Text is re-escaped on output; only our own markup is added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from markupsafe import Markup

from indexer.letters.passages import render
from webapp.highlight import Marker

BLOCK_TAGS = {"p", "div", "blockquote", "pre", "hr", "br"}
TAGS = {
    *BLOCK_TAGS, "a", "em", "strong", "ul", "ol", "li", "code", "h1", "h2", "h3", "h4", "h5",
    "h6", "sup", "sub", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "class", "data-n"},
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
CLASSES = {"passage", "footnote", "footnote-ref", "footnote-backref"}
URL_SCHEMES = {"http", "https", "mailto"}
_ID_RE = re.compile(r"p\d{1,6}|fn(?:ref\d*)?:[\w-]{1,100}")
_NUMBER_RE = re.compile(r"\d{1,6}")
VOID = {"br", "hr", "img", "wbr", "col", "input", "meta", "link", "source", "area"}
CELLS = {"td", "th"}


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """Only the ids, classes and numbers the renderer makes; letters cannot add their own."""
    if name == "id":
        return value if _ID_RE.fullmatch(value) else None
    if name == "class":
        kept = [c for c in value.split() if c in CLASSES]
        return " ".join(kept) or None
    if name in {"data-n", "colspan", "rowspan", "start"}:
        return value if _NUMBER_RE.fullmatch(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style"},
    attributes=ATTRIBUTES,
    attribute_filter=_attribute_filter,
    link_rel="nofollow noopener",
    url_schemes=URL_SCHEMES,
)


def sanitize(unsafe_html: str) -> str:
    return _CLEANER.clean(unsafe_html)


@dataclass
class RenderedLetter:
    html: Markup
    marked: list[int] = field(default_factory=list)  # passage numbers with a mark, in order
    marks: int = 0


def render_letter(
    body: str,
    marker: Marker,
    citation: Callable[[int], str],
    csl_url: Callable[[int], str] | None = None,
) -> RenderedLetter:
    """Sanitised letter HTML with ¶ links, citations and marks; never trusts the body."""
    annotator = _Annotator(marker, citation, csl_url)
    annotator.feed(sanitize(render(body).html))
    annotator.close()
    return RenderedLetter(
        html=Markup("".join(annotator.out)),  # sanitised, re-escaped, our own tags
        marked=list(dict.fromkeys(annotator.marked)),
        marks=annotator.marks,
    )


class _Annotator(HTMLParser):
    def __init__(
        self,
        marker: Marker,
        citation: Callable[[int], str],
        csl_url: Callable[[int], str] | None = None,
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.citation = citation
        self.csl_url = csl_url
        self.out: list[str] = []
        self.stack: list[tuple[str, int | None]] = []  # open tags, with the passage they open
        self.pending: int | None = None  # a table passage waits for its first cell
        self.marked: list[int] = []
        self.marks = 0
        self.expected = 1  # the next passage number the renderer stamped

    def _passage(self) -> int | None:
        return next((n for _tag, n in reversed(self.stack) if n is not None), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        n = self._claim_passage(attrs)
        if n is None:  # only the renderer's own passages keep passage ids, classes, numbers
            attrs = _without_passage_attributes(attrs)
        self.out.append(_start_tag(tag, attrs))
        if tag in VOID:
            return
        self.stack.append((tag, n))
        if n is not None:
            if tag == "table":
                self.pending = n
            else:
                self.out.append(self._margin(n))
        elif tag in CELLS and self.pending is not None:
            self.out.append(self._margin(self.pending))
            self.pending = None

    def _claim_passage(self, attrs: list[tuple[str, str | None]]) -> int | None:
        """The passage this element is, if it is the next one the renderer numbered."""
        values = dict(attrs)
        n = self.expected
        if (
            values.get("data-n") == str(n)
            and values.get("id") == f"p{n}"
            and "passage" in (values.get("class") or "").split()
        ):
            self.expected += 1
            return n
        return None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not any(open_tag == tag for open_tag, _n in self.stack):
            return  # a stray end tag (nh3 output has none; be safe anyway)
        while self.stack:
            open_tag, n = self.stack.pop()
            if n is not None and open_tag != "table":
                self.out.append(self._cite(n))
            self.out.append(f"</{open_tag}>")
            if n is not None and open_tag == "table":  # shown after the table when targeted
                self.out.append(self._cite(n, "div"))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        spans = self.marker.spans(data) if self.marker else []
        if not spans:
            self.out.append(html.escape(data, quote=False))
            return
        cursor = 0
        for start, end in spans:
            self.out.append(html.escape(data[cursor:start], quote=False))
            self.out.append(f"<mark>{html.escape(data[start:end], quote=False)}</mark>")
            cursor = end
        self.out.append(html.escape(data[cursor:], quote=False))
        self.marks += len(spans)
        n = self._passage()
        if n is not None:
            self.marked.append(n)

    def close(self) -> None:
        super().close()
        while self.stack:
            self.handle_endtag(self.stack[-1][0])

    @staticmethod
    def _margin(n: int) -> str:
        label = f"¶{n}: link to this passage"
        return f'<a class="pn" href="#p{n}" data-n="{n}" aria-label="{label}"></a>'

    def _cite(self, n: int, tag: str = "span") -> str:
        text = html.escape(self.citation(n))
        csl = ""
        if self.csl_url is not None:
            href = html.escape(self.csl_url(n))
            csl = f' <a class="cite-csl" href="{href}">CSL-JSON</a>'
        return (
            f'<{tag} class="cite-box"><span class="cite-label">Cite ¶{n}:</span> '
            f'<span class="cite-text">{text}</span>{csl}</{tag}>'
        )


def _without_passage_attributes(
    attrs: list[tuple[str, str | None]],
) -> list[tuple[str, str | None]]:
    kept: list[tuple[str, str | None]] = []
    for name, value in attrs:
        if name == "data-n" or (name == "id" and re.fullmatch(r"p\d+", value or "")):
            continue
        if name == "class":
            value = " ".join(c for c in (value or "").split() if c != "passage")
            if not value:
                continue
        kept.append((name, value))
    return kept


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [tag] + [
        name if value is None else f'{name}="{html.escape(value, quote=True)}"'
        for name, value in attrs
    ]
    return f"<{' '.join(parts)}>"

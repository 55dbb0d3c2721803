"""A letter's stored HTML, annotated for its page.

The index stores each letter's body rendered once, sanitised, with its passages anchored
``id="p<n>"`` (``indexer.letters.passages``), so the page shows the passages a search matched
and never parses the Markdown itself. It sanitises that HTML again (it comes from storage), and
one pass over it (stdlib ``HTMLParser``) adds what the page needs to every numbered passage: a
¶ link in the margin (``<a class="pn" href="#p4">``), the passage's plain-text citation (shown
by CSS when the passage is the ``:target``), and ``<mark id="m<k>">`` around the words of a
query (the k-th match, for moving between matches). Text is re-escaped on output; only our own
markup is added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask_babel import gettext as _
from markupsafe import Markup

from indexer.letters.safehtml import sanitize
from webapp.highlight import Marker
from webapp.uilanguage import current

VOID = {"br", "hr", "img", "wbr", "col", "input", "meta", "link", "source", "area"}
CELLS = {"td", "th"}


@dataclass(frozen=True)
class AlsoIn:
    """Where a passage's text recurs: another letter's passage, and how much of it is shared."""

    title: str
    n: int
    url: str
    share: int  # percent of the shorter passage's wording


@dataclass
class RenderedLetter:
    html: Markup
    marked: list[int] = field(default_factory=list)  # passage numbers with a mark, in order
    marks: int = 0


def render_letter(
    stored_html: str,
    marker: Marker,
    citation: Callable[[int], str],
    csl_url: Callable[[int], str] | None = None,
    also_in: Mapping[int, list[AlsoIn]] | None = None,
) -> RenderedLetter:
    """The letter's stored HTML, sanitised, with ¶ links, citations, marks and, for passages
    that recur in other letters, where ("also in")."""
    annotator = _Annotator(marker, citation, csl_url, also_in or {})
    annotator.feed(sanitize(stored_html))
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
        also_in: Mapping[int, list[AlsoIn]] | None = None,
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.citation = citation
        self.csl_url = csl_url
        self.also_in = also_in or {}
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
        else:  # the letter's words, never the interface's (``translate``, HTML's own attribute)
            attrs = [*attrs, ("translate", "no")]
            if n in self.marker.languages:  # a passage in another language says which
                attrs = [*attrs, ("lang", self.marker.languages[n])]
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
                self.out.append(self._also_in(n))
                self.out.append(self._cite(n))
            self.out.append(f"</{open_tag}>")
            if n is not None and open_tag == "table":  # shown after the table when targeted
                self.out.append(self._also_in(n, "div"))
                self.out.append(self._cite(n, "div"))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        spans = self.marker.spans(data, self._passage()) if self.marker else []
        if not spans:
            self.out.append(html.escape(data, quote=False))
            return
        cursor = 0
        for start, end in spans:
            self.marks += 1  # numbered in reading order: #m<k> links to the k-th match
            self.out.append(html.escape(data[cursor:start], quote=False))
            marked = html.escape(data[start:end], quote=False)
            self.out.append(f'<mark id="m{self.marks}">{marked}</mark>')
            cursor = end
        self.out.append(html.escape(data[cursor:], quote=False))
        n = self._passage()
        if n is not None:
            self.marked.append(n)

    def close(self) -> None:
        super().close()
        while self.stack:
            self.handle_endtag(self.stack[-1][0])

    @staticmethod
    def _margin(n: int) -> str:
        label = html.escape(_("¶%(n)s: link to this passage", n=n))
        return f'<a class="pn" href="#p{n}" data-n="{n}" aria-label="{label}"{_ui()}></a>'

    def _also_in(self, n: int, tag: str = "span") -> str:
        places = self.also_in.get(n)
        if not places:
            return ""
        links = "; ".join(
            f'<a href="{html.escape(p.url)}" translate="no">{html.escape(p.title)}, ¶{p.n}</a> '
            f"({html.escape(_('%(share)s%% shared', share=p.share))})"
            for p in places
        )
        label = html.escape(_("Also in:"))
        return (
            f'<{tag} class="also-in"{_ui()}><span class="also-in-label">{label}</span> '
            f"{links}</{tag}>"
        )

    def _cite(self, n: int, tag: str = "span") -> str:
        text = html.escape(self.citation(n))
        csl = ""
        if self.csl_url is not None:
            href = html.escape(self.csl_url(n))
            csl = f' <a class="cite-csl" href="{href}">CSL-JSON</a>'
        label = html.escape(_("Cite ¶%(n)s:", n=n))
        return (
            f'<{tag} class="cite-box"{_ui()}><span class="cite-label">{label}</span> '
            f'<span class="cite-text" translate="no">{text}</span>{csl}</{tag}>'
        )


def _ui() -> str:
    """The attributes of the interface's own words inside a letter's text: the page's
    language, and translatable (the passage around them is neither)."""
    return f' lang="{current()}" translate="yes"'


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

"""A small DOM for reading the web app's pages in tests, and helpers that fetch them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient

from indexer.links import ArchiveLinks
from indexer.request import SearchRequest

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source", "area"}


# -- a small DOM for reading pages ----------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def visible_text(self) -> str:
        """Text without the visually hidden helpers for screen readers."""
        parts = [
            c if isinstance(c, str) else c.visible_text()
            for c in self.children
            if isinstance(c, str) or "visually-hidden" not in c.classes
        ]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, selector: str) -> list[Node]:
        """``tag``, ``.class``, ``#id``, ``[attr]`` and combinations; a space: a descendant."""
        nodes = [self]
        for part in selector.split():
            nodes = [d for n in nodes for d in n.iter() if d is not n and _matches(d, part)]
            nodes = list({id(n): n for n in nodes}.values())
        return nodes

    def find(self, selector: str) -> Node:
        found = self.find_all(selector)
        assert found, f"nothing matches {selector!r}"
        return found[0]


def _matches(node: Node, part: str) -> bool:
    tag, rest = re.fullmatch(r"([\w-]*)(.*)", part).groups()  # type: ignore[union-attr]
    if tag and node.tag != tag:
        return False
    for kind, name in re.findall(r"([.#\[])([\w-]+)\]?", rest):
        if kind == "." and name not in node.classes:
            return False
        if kind == "#" and node.attrs.get("id") != name:
            return False
        if kind == "[" and name not in node.attrs:
            return False
    return True


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: bytes | str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


# -- fixtures ---------------------------------------------------------------------------------


def get_page(client: FlaskClient, url: str, status: int = 200) -> Node:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:500])
    assert response.mimetype == "text/html"
    return parse(response.data)


def api(client: FlaskClient, url: str) -> dict:  # type: ignore[type-arg]
    response = client.get(url)
    assert response.status_code == 200, response.data
    return response.get_json()


def search_json(session, params: dict[str, list[str]]) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return session.search(SearchRequest.from_params(params)).to_json(ArchiveLinks())


def hit_ids(page: Node) -> list[str]:
    return [a.attrs["href"].split("?")[0].rsplit("/", 1)[1] for a in page.find_all(".hit-title a")]


def facets_on(page: Node) -> dict[str, dict[str, tuple[int, bool]]]:
    """Each facet's values as the page shows them: value -> (count, selected)."""
    shown: dict[str, dict[str, tuple[int, bool]]] = {}
    for section in page.find_all("aside section.facet"):
        name = section.attrs.get("id", "").removeprefix("facet-")
        if not name:
            continue
        shown[name] = {
            item.attrs["data-value"]: (
                int(item.find(".facet-count").text()),
                "is-selected" in item.classes,
            )
            for item in section.find_all("li.facet-item")
        }
    return shown


def facets_in_json(data: dict) -> dict[str, dict[str, tuple[int, bool]]]:  # type: ignore[type-arg]
    return {
        name: {v["value"]: (v["count"], v["selected"]) for v in values}
        for name, values in data["facets"].items()
        if values
    }


def toggle_link(page: Node, facet: str, value: str) -> str:
    for item in page.find_all(f"#facet-{facet} li.facet-item"):
        if item.attrs["data-value"] == value:
            return item.find("a").attrs["href"]
    raise AssertionError(f"no {facet} value {value!r} on the page")


# -- pages in the browser -----------------------------------------------------------------------

DESKTOP = {"width": 1366, "height": 900}


def watch(page: Any) -> list[str]:
    """Collect script errors, console errors (CSP violations among them) and dialogs."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )

    def on_dialog(dialog: Any) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return problems

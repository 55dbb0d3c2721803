"""Every page of the interface in Russian and Kazakh shows no English of its own.

Each page is rendered in each language, and every text a person reads or hears (text nodes and
the ``aria-label``, ``title``, ``placeholder`` and ``alt`` attributes) is collected, except the
letters' words, names and what the person typed: the regions the templates mark with HTML's
``translate="no"``, code examples (``<code>``, ``<kbd>``), and words marked as another language
(``lang``: the language switch's "English", a German example). What is left must hold no word
in Latin script but the names of formats and programs. The same pages in English are the
control: they must fail the same check, or the check would prove nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.pagedom import Node, parse
from webapp import create_app

#: Latin-script words an interface in Cyrillic may show: formats and programs, by their names
NAMES = {"JSON", "CSV", "CMIF", "CSL", "GEXF", "Gephi", "Atom", "Zotero", "API", "Ctrl"}
SKIPPED = {"script", "style", "code", "kbd", "template"}
SPOKEN = ("aria-label", "title", "placeholder", "alt")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def interface_texts(node: Node, page_language: str) -> Iterator[str]:
    """The texts of the page that are the interface's own, in the page's language."""

    def walk(node: Node, language: str, translate: bool) -> Iterator[str]:
        language = node.attrs.get("lang", language)
        translate = {"no": False, "yes": True}.get(node.attrs.get("translate", ""), translate)
        if node.tag in SKIPPED or not translate or language != page_language:
            return
        yield from (node.attrs[a] for a in SPOKEN if node.attrs.get(a))
        for child in node.children:
            if isinstance(child, str):
                yield child
            else:
                yield from walk(child, language, translate)

    html = next(n for n in node.iter() if n.tag == "html")
    yield from walk(html, html.attrs.get("lang", ""), True)


def data_texts(page: Node) -> list[str]:
    """The texts of the regions marked as data (names, titles, the query), longest first: an
    interface text may quote them ("Amin Eleusinov (leave these letters out)", an
    ``aria-label``), and those words are no English of the interface."""
    found = {n.text() for n in page.iter() if n.attrs.get("translate") == "no"}
    return sorted((t for t in found if LATIN_WORD.search(t)), key=len, reverse=True)


def english_left(page: Node, language: str, site_name: str = "", typed: str = "") -> list[str]:
    """Each interface text with a Latin-script word that is neither from the data nor a
    format's name (``site_name``: the archive's configured name, and ``typed``, the query the
    person typed, are data too)."""
    data = [*data_texts(page), *(t for t in (site_name, typed) if t)]
    left = set()
    for text in interface_texts(page, language):
        text = re.sub(r"\s+", " ", text).strip()
        bare = text
        for quoted in data:
            bare = bare.replace(quoted, " ")
        if any(w not in NAMES for w in LATIN_WORD.findall(bare)):
            left.add(text)
    return sorted(left)


@pytest.fixture(scope="module")
def addresses(app: Flask) -> dict[str, tuple[str, int]]:
    return addresses_of(app, "strike")


def addresses_of(app: Flask, word: str) -> dict[str, tuple[str, int]]:
    """Every kind of page, found from the pages themselves: name -> (address, status)."""
    client = app.test_client()

    def first(path: str, pattern: str) -> str:
        found = re.search(pattern, client.get(path).get_data(as_text=True))
        assert found, (path, pattern)
        return found.group(1)

    letter = first(f"/search?q={word}", r'class="hit" data-id="([^"]+)"')
    return {
        "search": (f"/search?q={word}", 200),
        "browse": ("/", 200),
        "no results": ("/search?q=zzqqxxyy", 200),
        "filtered": (f"/search?q={word}&type=letter&-sender=LO+Norway&from=1900", 200),
        "letter": (f"/letters/{letter}?q={word}", 200),
        "people": ("/people", 200),
        "person": (first("/people", r'href="(/people/[^"?]+)"'), 200),
        "places": ("/places", 200),
        "place": (first("/places", r'href="(/places/[^"?]+)"'), 200),
        "kwic": (f"/kwic?q={word}", 200),
        "batch": (f"/batch?queries={word}%0AITUC%0Azzqqxxyy", 200),
        "working set": (f"/set?id={letter}&id=no-such-letter", 200),
        "empty working set": ("/set", 200),
        "network": ("/network", 200),
        "help": ("/help", 200),
        "404": ("/letters/no-such-letter", 404),
        "400 search": (f"/search?q={word}&from=2024-13&to=2021", 400),
        "400 page": ("/people?sort=sideways", 400),
        "400 places": ("/places?page=0", 400),
        "400 kwic": (f"/kwic?q={word}&order=sideways", 400),
        "400 working set": ("/set?" + "&".join(f"id=x{i}" for i in range(501)), 400),
    }


def typed(address: str) -> str:
    """The query of an address, as the person typed it."""
    return parse_qs(urlsplit(address).query).get("q", [""])[0]


def page_in(client: FlaskClient, language: str, address: str, status: int) -> Node:
    client.set_cookie("lang", language)
    response = client.get(address)
    assert response.status_code == status, (address, response.data[:300])
    return parse(response.data)


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize(
    "name",
    ["search", "browse", "no results", "filtered", "letter", "people", "person", "places",
     "place", "kwic", "batch", "working set", "empty working set", "network", "help", "404",
     "400 search", "400 page", "400 places", "400 kwic", "400 working set"],
)  # fmt: skip
def test_no_english_is_left_on_the_page(
    app: Flask, addresses: dict[str, tuple[str, int]], language: str, name: str
) -> None:
    address, status = addresses[name]
    page = page_in(app.test_client(), language, address, status)
    assert next(n for n in page.iter() if n.tag == "html").attrs["lang"] == language
    assert english_left(page, language, app.config["SITE_NAME"], typed(address)) == []


@pytest.mark.parametrize("name", ["search", "letter", "person", "help", "400 search"])
def test_the_check_finds_the_english_of_an_english_page(
    app: Flask, addresses: dict[str, tuple[str, int]], name: str
) -> None:
    address, status = addresses[name]
    page = page_in(app.test_client(), "en", address, status)
    assert len(english_left(page, "en", app.config["SITE_NAME"])) > 10


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_no_english_is_left_on_the_pages_of_an_edition_we_did_not_write(
    letters1916_index: Path, language: str
) -> None:
    """letters1916: 478 letters of 1916 Ireland, other names, types, places and dates."""
    app = create_app({"TESTING": True, "INDEX_PATH": str(letters1916_index)})
    left = {}
    for name, (address, status) in addresses_of(app, "dublin").items():
        page = page_in(app.test_client(), language, address, status)
        left[name] = english_left(page, language, app.config["SITE_NAME"], typed(address))
    assert left == {name: [] for name in left}

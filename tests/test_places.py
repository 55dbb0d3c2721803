"""Places: the place of writing and of arrival as facets, ``place:``/``destination:`` queries,
the TEI import of the received action's place, ``/places`` and ``/places/<key>``. Counts are
checked against the searches the pages link to and against the TEI files themselves."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from indexer.formats.importer import import_file
from indexer.letters.letter import load_letter
from indexer.letters.places import gather_places, place_key
from indexer.letters.text import fold
from indexer.request import SearchRequest
from tests.corpora import LETTERS1916, SHARED
from tests.pagedom import api, get_page, query_of
from webapp import create_app

SHARED_TEI = SHARED / "corpora" / "tei-correspondence" / "correspDesc-examples"
TEI = "{http://www.tei-c.org/ns/1.0}"
CASTLE = "Dublin Castle, Dublin, Ireland"


@pytest.fixture(scope="module")
def client1916(letters1916_index: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX_PATH": str(letters1916_index)}).test_client()


@pytest.fixture(scope="module")
def records1916(letters1916_index: Path) -> Iterator[list[dict[str, Any]]]:
    with Archive(letters1916_index).session() as session:
        pages = session.search_all(SearchRequest())
        yield [session.letter(h.id).metadata() for p in pages for h in p.hits]  # type: ignore[union-attr]


def total(client: FlaskClient, url: str) -> int:
    return int(api(client, "/api/search?" + urlsplit(url).query)["total"])


def number(text: str) -> int:
    """The number a cell or link starts with ("11 letters written at …" -> 11)."""
    found = re.match(r"\d+", text.strip())
    assert found, text
    return int(found.group())


def received_place(path: Path) -> str:
    """The received action's placeName of a TEI file, read here without the importer."""
    root = ET.parse(path).getroot()
    for action in root.iter(f"{TEI}correspAction"):
        if action.get("type") == "received":
            for place in action.iter(f"{TEI}placeName"):
                return " ".join("".join(place.itertext()).split())
    return ""


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Dublin Castle, Dublin, Ireland.", "dublin-castle-dublin-ireland"),
        ("Dublin Castle, Dublin, Ireland", "dublin-castle-dublin-ireland"),
        ("Zürich", "zurich"),
        ("St. Mary's, 81 Haddington Road", "st-marys-81-haddington-road"),
        ("Москва", "москва"),
        ("zurich", "zurich"),  # a key is its own key
        (" , ", ""),
    ],
)
def test_one_key_per_place(name: str, key: str) -> None:
    assert place_key(name) == key


def test_gathering_merges_the_spellings_of_a_place() -> None:
    places = gather_places({"Zürich": 3, "Zurich": 1, "Bern": 2}, {"zurich.": 4, "": 5})
    assert set(places) == {"zurich", "bern"}
    zurich = places["zurich"]
    assert (zurich.letters_written, zurich.letters_received, zurich.letters) == (4, 4, 8)
    assert zurich.names == ["zurich.", "Zurich", "Zürich"]  # the usual name first
    assert zurich.name == "zurich."


def test_the_received_place_comes_from_the_tei(records1916: list[dict[str, Any]]) -> None:
    by_source = {r["source"].split()[2]: r for r in records1916}  # "TEI file item__0117.xml …"
    files = sorted(LETTERS1916.glob("*.xml"))
    checked = 0
    for path in files:
        record = by_source.get(path.name)
        if record is None:
            continue
        assert record["destination"] == received_place(path), path.name
        checked += 1
    assert checked == len(files)
    assert sum(1 for r in records1916 if r["destination"]) > 300


@pytest.mark.parametrize(
    ("example", "written", "received"),
    [
        ("example01_basic.xml", "Vertus", "Caen"),
        ("example03_more-than-one-addressee.xml", "Capo di Sorrento", "Montagnola"),
        ("example04_more-than-one-sender.xml", "Prague", "Graz"),
        ("example07_anthology-of-letters.xml", "Berlin", "Paris"),
        ("example13_correspDesc-pointing-to-participDesc.xml", "Cracovia", "Naples"),
    ],
)
def test_tei_examples_give_both_places(
    tmp_path: Path, example: str, written: str, received: str
) -> None:
    """The TEI Correspondence SIG's examples: the sent and the received action's places."""
    path = SHARED_TEI / example
    result = import_file(path, tmp_path / "letters")
    letter = load_letter(Path(result.written), tmp_path)
    assert (letter.place, letter.destination) == (written, received)


def test_place_and_destination_facets_and_queries(
    client1916: FlaskClient, records1916: list[dict[str, Any]]
) -> None:
    data = api(client1916, "/api/search?per_page=1")
    for facet, field in (("place", "place"), ("destination", "destination")):
        expected = Counter(r[field] for r in records1916 if r[field])
        shown = {v["value"]: v["count"] for v in data["facets"][facet]}
        assert shown == {value: expected[value] for value in shown}
        assert len(shown) == min(100, len(expected))  # the most frequent hundred
        left = [n for value, n in expected.items() if value not in shown]
        assert min(shown.values()) >= max(left, default=0)
    chosen = api(client1916, f"/api/search?destination={CASTLE}&per_page=100")
    assert chosen["total"] == sum(r["destination"] == CASTLE for r in records1916)
    assert total(client1916, '/search?q=destination:"Dublin Castle"') >= chosen["total"]
    france = sum(r["place"] == "France" for r in records1916)
    assert total(client1916, "/search?place=France") == france
    assert total(client1916, "/search?q=place:France") >= france


def test_the_places_list(client1916: FlaskClient, records1916: list[dict[str, Any]]) -> None:
    page = get_page(client1916, "/places")
    rows = page.find_all(".places-table tbody tr")
    places = gather_places(
        Counter(r["place"] for r in records1916 if r["place"]),
        Counter(r["destination"] for r in records1916 if r["destination"]),
    )
    assert page.find(".result-count").text() == f"{len(places)} places"
    letters = [sum(number(cell.text()) for cell in r.find_all("td")) for r in rows]
    assert letters == sorted(letters, reverse=True)
    top = max(places.values(), key=lambda p: p.letters)
    assert rows[0].find("a.place-link").attrs["href"] == f"/places/{top.key}"
    for row in rows[:8]:
        for cell in row.find_all("td"):
            for link in cell.find_all("a"):
                assert total(client1916, link.attrs["href"]) == number(link.text())
    by_name = get_page(client1916, "/places?sort=name&q=dublin")
    names = [a.text() for a in by_name.find_all("a.place-link")]
    assert names and all("dublin" in n.lower() for n in names)
    assert names == sorted(names, key=fold)  # accents and case aside


def test_a_place_page(client1916: FlaskClient, records1916: list[dict[str, Any]]) -> None:
    page = get_page(client1916, "/places/dublin-castle-dublin-ireland")
    assert page.find("h1").text() == CASTLE
    assert f"{CASTLE}." in page.find(".place-names").text()
    received = sum(place_key(r["destination"]) == place_key(CASTLE) for r in records1916)
    heading = page.find("#received-heading a")
    assert heading.text() == f"{received} letters"
    spellings = {r["destination"] for r in records1916
                 if place_key(r["destination"]) == place_key(CASTLE)}  # fmt: skip
    assert len(spellings) >= 3  # with and without a comma or a full stop
    assert query_of(heading.attrs["href"])["destination"] == sorted(spellings)
    assert total(client1916, heading.attrs["href"]) == received
    side = page.find_all("section.place-side")[-1]
    counted = side.find_all(".counted li")
    assert counted
    for item in counted:
        count = number(item.find(".facet-count").text())
        assert total(client1916, item.find("a").attrs["href"]) == count
    for bar in side.find_all(".histogram a.bar"):
        assert total(client1916, bar.attrs["href"]) == int(bar.find(".bar-count").text())
    assert len(side.find_all(".place-letters li")) == min(10, received)


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/places/nowhere-at-all", 404, "There is no place with the key “nowhere-at-all”."),
        ("/places?sort=size", 400, "sort must be one of letters, name, not 'size'"),
        ("/places?page=0", 400, "'page' must be between 1 and 10000, not 0"),
        ("/places?where=x", 400, "unknown parameter 'where'; known parameters: page, q, sort"),
        ("/places?q=" + "x" * 301, 400, "'q' is too long (at most 300 characters)"),
    ],
)
def test_bad_place_addresses(client1916: FlaskClient, url: str, status: int, message: str) -> None:
    page = get_page(client1916, url, status)
    assert page.find(".error-message").text() == message


def test_another_spelling_of_a_key_redirects(client1916: FlaskClient) -> None:
    response = client1916.get("/places/Dublin%20Castle,%20Dublin,%20Ireland.")
    assert response.status_code == 301
    assert response.headers["Location"] == "/places/dublin-castle-dublin-ireland"


def test_letter_pages_link_their_places(client1916: FlaskClient, records1916) -> None:  # type: ignore[no-untyped-def]
    record = next(r for r in records1916 if r["place"] and r["destination"])
    page = get_page(client1916, f"/letters/{record['id']}")
    rows = {row.find("dt").text(): row.find("dd a").attrs["href"]
            for row in page.find_all(".meta-row") if row.find_all("dd a")}  # fmt: skip
    assert rows["Place"] == f"/places/{place_key(record['place'])}"
    assert rows["Received at"] == f"/places/{place_key(record['destination'])}"
    get_page(client1916, rows["Received at"])


def test_place_names_are_escaped(corpus_copy: Path, tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> & Town'
    letter = corpus_copy / "letters" / "2021-02-09-lo-norway-trade-union-rights-violations.md"
    text = letter.read_text().replace("place: Oslo", f"place: '{hostile}'", 1)
    assert hostile in text
    letter.write_text(text)
    index = tmp_path / "index"
    assert not LetterIndex(index).rebuild(corpus_copy).errors
    client = create_app({"TESTING": True, "INDEX_PATH": str(index)}).test_client()
    for url in ("/places", f"/places/{place_key(hostile)}", "/search"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html, url

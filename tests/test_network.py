"""The correspondence network (``/network``, ``.json``, ``.gexf``) and the people pages through
the web app: GEXF read by networkx with the nodes and edges the letters' metadata gives (seed
letters and letters1916), every edge and count a link to exactly its letters, bad parameters
named, names escaped."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import networkx as nx
import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from indexer.request import SearchRequest
from tests.conftest import CORPUS, IDS
from tests.pagedom import api, get_page, parse
from tests.people_expect import Expected, Keys, expected, stored_letters
from tests.test_http import SETTINGS, VALUES
from webapp import create_app


def read_gexf(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/gexf+xml"
    return nx.read_gexf(io.BytesIO(response.data))


def assert_graph_is(graph: Any, truth: Expected) -> None:
    assert graph.is_directed()
    assert {n: int(graph.nodes[n]["letters"]) for n in graph.nodes} == dict(truth.nodes)
    assert {(a, b): d["weight"] for a, b, d in graph.edges(data=True)} == dict(truth.edges)


def total(client: FlaskClient, url: str) -> int:
    """The number of letters a search page's URL finds (through the JSON API)."""
    return int(api(client, "/api/search?" + urlsplit(url).query)["total"])


# -- the seed letters ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def truth(index_root: Path) -> Expected:
    return expected(stored_letters(index_root), Keys(CORPUS))


def test_seed_network_as_gexf(client: FlaskClient, truth: Expected) -> None:
    graph = read_gexf(client, "/network.gexf")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (9, 8)
    assert_graph_is(graph, truth)
    assert graph.nodes["ituc"]["label"] == "International Trade Union Confederation"
    assert graph.nodes["ituc"]["url"] == "http://localhost/people/ituc"


def test_network_of_a_search_holds_only_its_letters(client: FlaskClient, index_root: Path) -> None:
    found = api(client, "/api/search?q=strike&year=2024&per_page=100")
    ids = {hit["id"] for hit in found["hits"]}
    letters = [r for r in stored_letters(index_root) if r["id"] in ids]
    assert_graph_is(
        read_gexf(client, "/network.gexf?q=strike&year=2024"), expected(letters, Keys(CORPUS))
    )
    data = api(client, "/network.json?q=strike&year=2024")
    assert data["letters"] == len(ids)


def test_network_json_and_page_agree_and_link_to_the_letters(client: FlaskClient) -> None:
    data = api(client, "/network.json")
    page = get_page(client, "/network")
    rows = page.find_all("#network-pairs tbody tr")
    assert [int(r.find_all("td")[2].text()) for r in rows] == [e["letters"] for e in data["edges"]]
    for edge, row in zip(data["edges"], rows, strict=True):
        link = row.find("a.edge-link").attrs["href"]
        assert link == edge["url"]
        assert total(client, link) == edge["letters"], link
    for node in data["nodes"]:
        assert get_page(client, node["url"]).find("h1").text() == node["name"]


def test_network_page_without_letters_says_so(client: FlaskClient) -> None:
    page = get_page(client, "/network?q=nosuchwordanywhere")
    assert "No letter of this search has both a writer and an addressee." in page.text()
    assert api(client, "/network.json?q=nosuchwordanywhere")["edges"] == []


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/network?between=a&between=b&between=c", "between"),
        ("/network?year=19x6", "year"),
        ("/network?colour=red", "colour"),
    ],
)
def test_bad_network_parameters_are_named(client: FlaskClient, url: str, param: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert param in parse(response.data).find(".problems").text()
    as_json = client.get(url.replace("/network", "/network.json"))
    assert as_json.status_code == 400 and param in as_json.get_json()["error"]
    assert client.get(url.replace("/network", "/network.gexf")).status_code == 400


def test_a_person_page_links_counts_to_exactly_their_letters(client: FlaskClient) -> None:
    page = get_page(client, "/people/ituc")
    assert page.find("h1").text() == "International Trade Union Confederation"
    rows = {
        r.find("th").text(): (int(r.find("td").text()), r.find("a").attrs["href"])
        for r in page.find_all("table.person-table")[0].find_all("tbody tr")
    }
    assert {k: n for k, (n, _u) in rows.items()} == {"Sent": 3, "Copied to": 1, "Mentioned in": 4}
    for title, (count, url) in rows.items():
        assert total(client, url) == count, title
    wrote = page.find_all("#wrote-to tbody tr")
    assert [r.find("th").text() for r in wrote] == ["Kassym-Jomart Tokayev"]
    letters = wrote[0].find_all("td")[0].find("a").attrs["href"]
    between = wrote[0].find("a.between-link").attrs["href"]
    assert total(client, letters) == 2 == total(client, between)
    bars = page.find_all(".timeline a")
    assert [(b.find(".timeline-year").text(), total(client, b.attrs["href"])) for b in bars] == [
        ("2021", 2), ("2024", 2)
    ]  # fmt: skip


def test_names_on_search_hits_and_letter_pages_open_person_pages(client: FlaskClient) -> None:
    search = get_page(client, "/search?q=strike")
    links = [a.attrs["href"] for a in search.find_all(".hit-people a")]
    assert "/people/ituc" in links and "/people/tokayev" in links
    for link in set(links):
        assert client.get(link).status_code == 200, link
    letter = get_page(client, f"/letters/{IDS['joint-2021']}")
    header = [a.attrs["href"] for a in letter.find_all(".letter-people a")]
    assert header == ["/people/ituc", "/people/industriall", "/people/tokayev"]
    about = {a.attrs["href"] for a in letter.find_all("a.person-page-link")}
    assert {"/people/sharan-burrow", "/people/valter-sanches", "/people/ilo"} <= about


def test_people_list_pages_sorts_and_finds(client: FlaskClient, truth: Expected) -> None:
    first = get_page(client, "/people")
    names = [r.find("th").text() for r in first.find_all(".people-list tbody tr")]
    assert len(names) == len(truth.letters)  # everyone the seed letters name, on one page
    by_name = get_page(client, "/people?sort=name")
    sorted_names = [r.find("th").text() for r in by_name.find_all(".people-list tbody tr")]
    assert sorted_names == sorted(names, key=str.casefold)
    found = get_page(client, "/people?q=burrow")
    assert [r.find("th").text() for r in found.find_all(".people-list tbody tr")] == [
        "Sharan Burrow"
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/people?sort=age", "sort must be one of"),
        ("/people?page=0", "'page' must be a whole number"),
        ("/people?page=abc", "'page' must be a whole number"),
        ("/people?colour=red", "unknown parameter 'colour'"),
        ("/people?q=" + "x" * 1001, "'q' is too long"),
    ],
)
def test_bad_people_parameters_are_named(client: FlaskClient, url: str, message: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert message in parse(response.data).find(".error-message").text()


def test_the_people_api_is_the_command_lines_json(client: FlaskClient, index_root: Path) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import cli

    def command(*args: str) -> Any:
        result = CliRunner().invoke(cli, ["people", *args, "--json", "--index", str(index_root)])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    assert api(client, "/api/people?sort=name&page=1") == command("--sort", "name")
    assert api(client, "/api/people?q=trade") == command("--search", "trade")
    assert api(client, "/api/people/ituc") == command("ituc")
    missing = client.get("/api/people/nobody")
    assert missing.status_code == 404 and "nobody" in missing.get_json()["error"]
    bad = client.get("/api/people?sort=age")
    assert bad.status_code == 400 and "sort" in bad.get_json()["error"]


def test_an_unknown_person_is_a_404_that_names_it(client: FlaskClient) -> None:
    response = client.get("/people/no-such-person")
    assert response.status_code == 404
    assert "no-such-person" in response.get_data(as_text=True)
    assert client.get("/people/" + "x" * 2000).status_code == 404


def test_hostile_names_are_escaped(corpus_copy: Path, tmp_path: Path) -> None:
    hostile = '<img src=x onerror="alert(1)">'
    letter = corpus_copy / "letters" / f"{IDS['lo-2021']}.md"
    text = letter.read_text(encoding="utf-8")
    text = text.replace("senders:\n", f"senders:\n  - '{hostile}'\n", 1)
    letter.write_text(text, encoding="utf-8")
    root = tmp_path / "index"
    assert not LetterIndex(root).rebuild(corpus_copy).errors
    client = create_app({"TESTING": True, "INDEX_PATH": str(root)}).test_client()
    key = "img-src-x-onerror-alert-1"
    for url in (f"/people/{key}", "/network", "/people", f"/letters/{IDS['lo-2021']}"):
        body = client.get(url).get_data(as_text=True)
        assert hostile not in body and "&lt;img src=x" in body, url
    assert any(n["name"] == hostile for n in api(client, "/network.json")["nodes"])
    graph = read_gexf(client, "/network.gexf")
    assert graph.nodes[key]["label"] == hostile  # escaped in the XML, read back as written


def test_a_spent_budget_gives_a_partial_network_that_says_so(index_root: Path) -> None:
    """(The whole archive's network is kept once complete, so this one is of a search.)"""
    with Archive(index_root, search_seconds=1e-9).session() as session:
        network = session.network(SearchRequest(q="strike"))  # the whole archive's is kept
        assert network.timed_out
        assert network.edges == []


# -- letters1916 ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def letters1916(letters1916_index: Path) -> tuple[FlaskClient, Path]:
    """The app on the index of all 478 letters1916 letters (built once: tests/corpora.py)."""
    client = create_app({"TESTING": True, "INDEX_PATH": str(letters1916_index)}).test_client()
    return client, letters1916_index


def test_letters1916_network_as_gexf(letters1916: tuple[FlaskClient, Path]) -> None:
    client, root = letters1916
    truth = expected(stored_letters(root), Keys(Path("/nonexistent")))
    graph = read_gexf(client, "/network.gexf")
    assert graph.number_of_nodes() == len(truth.nodes) > 300
    assert graph.number_of_edges() == len(truth.edges) > 300
    assert_graph_is(graph, truth)


def test_letters1916_edges_link_to_their_letters(letters1916: tuple[FlaskClient, Path]) -> None:
    client, _root = letters1916
    data = api(client, "/network.json")
    for edge in data["edges"][:25] + data["edges"][-5:]:
        assert total(client, edge["url"]) == edge["letters"], edge


def test_letters1916_person_pages_agree_with_the_metadata(
    letters1916: tuple[FlaskClient, Path],
) -> None:
    client, root = letters1916
    truth = expected(stored_letters(root), Keys(Path("/nonexistent")))
    busiest = sorted(truth.letters, key=lambda k: (-truth.letters[k], k))[:10]
    for key in busiest:
        page = get_page(client, f"/people/{key}")
        summary = page.find(".person-summary a")
        assert summary.text().startswith(f"{truth.letters[key]} letter"), key
        assert total(client, summary.attrs["href"]) == truth.letters[key], key


# -- any parameters ----------------------------------------------------------------------------

PEOPLE_KEYS = ["between", "between", "writer", "addressee", "q", "sort", "page", "year", "x"]
PEOPLE_PARAMS = st.lists(st.tuples(st.sampled_from(PEOPLE_KEYS), VALUES), max_size=5)


@settings(max_examples=300, **SETTINGS)
@given(
    path=st.sampled_from(["/network", "/network.json", "/network.gexf", "/people", "/search"]),
    params=PEOPLE_PARAMS,
)
def test_any_people_parameters_are_answered(
    client: FlaskClient, path: str, params: list[tuple[str, str]]
) -> None:
    url = f"{path}?{urlencode(params)}"
    response = client.get(url)
    assert response.status_code in {200, 400}, (url, response.status_code)
    assert b"Traceback" not in response.data
    if path == "/network.json":
        assert ("error" in response.get_json()) == (response.status_code == 400), url


@settings(max_examples=200, **SETTINGS)
@given(key=st.one_of(VALUES, st.sampled_from(["ituc", "atle-hoie", "ITUC", "Atle Høie"])))
def test_any_person_key_is_answered(client: FlaskClient, key: str) -> None:
    url = "/people/" + quote(key, safe="")
    response = client.get(url)
    assert response.status_code in {200, 404, 308}, (url, response.status_code)
    assert b"Traceback" not in response.data


def test_people_chips_name_the_people_and_remove_the_filter(client: FlaskClient) -> None:
    page = get_page(client, "/search?between=ituc&between=tokayev&q=strike")
    chips = {c.find(".chip-label").text(): c.attrs["href"] for c in page.find_all("a.chip")}
    label = "International Trade Union Confederation and Kassym-Jomart Tokayev"
    assert label in chips
    assert chips[label] == "/search?q=strike"

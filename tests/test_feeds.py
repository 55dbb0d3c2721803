"""The Atom feed, OpenSearch description, exports and CSL-JSON citations of webapp/feeds.py,
checked against what the JSON API answers for the same search."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from indexer.archive import Archive
from indexer.request import BadRequest, SearchRequest
from tests.conftest import IDS, INDUSTRIALL
from tests.pagedom import parse
from tests.test_bad_parameters import BAD
from webapp import create_app
from webapp.security import CONTENT_SECURITY_POLICY

ATOM = "{http://www.w3.org/2005/Atom}"
OS = "{http://a9.com/-/spec/opensearch/1.1/}"
TEI = "{http://www.tei-c.org/ns/1.0}"
BASE = "http://localhost"

SEARCHES = [{}, {"q": ["strike"]}, {"sender": [INDUSTRIALL]}, {"q": ["nothing-matches-this"]},
            {"from": ["2024"], "q": ["strike"]}]  # fmt: skip
ENDPOINTS = ["/feed.atom", "/export.csv", "/export.json", "/export.cmif.xml"]


def get(client: FlaskClient, url: str, mimetype: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:500])
    assert response.mimetype == mimetype
    assert response.mimetype_params.get("charset", "utf-8") == "utf-8"
    return response.data


def download(client: FlaskClient, path: str, params: dict, mimetype: str) -> bytes:  # type: ignore[type-arg]
    """An export of a search: a download named letters-….<extension of path>."""
    response = client.get(f"{path}?" + urlencode(params, doseq=True))
    assert response.status_code == 200, (path, response.data[:500])
    assert response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=letters-")
    assert disposition.endswith(path.removeprefix("/export"))
    return response.data


def api_json(client: FlaskClient, params: dict, **extra: str) -> dict:  # type: ignore[type-arg]
    response = client.get("/api/search?" + urlencode({**params, **extra}, doseq=True))
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def api_ids(client: FlaskClient, params: dict) -> list[str]:  # type: ignore[type-arg]
    return [h["id"] for h in api_json(client, params, sort="newest", per_page="50")["hits"]]


# -- Atom -------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", SEARCHES)
def test_the_feed_lists_the_newest_letters_of_the_search(client: FlaskClient, params) -> None:  # type: ignore[no-untyped-def]
    query = urlencode(params, doseq=True)
    feed = ET.fromstring(get(client, f"/feed.atom?{query}", "application/atom+xml"))
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    ids = api_ids(client, params)
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"{BASE}/letters/{i}" for i in ids]
    assert feed.findtext(f"{ATOM}title", "").startswith("Letters archive: ")
    assert feed.findtext(f"{ATOM}updated")
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"].startswith(f"{BASE}/feed.atom")
    assert links["alternate"].startswith(f"{BASE}/search")
    assert "sort=newest" in links["alternate"]
    published = [e.findtext(f"{ATOM}published", "") for e in entries]
    assert published == sorted(published, reverse=True)
    arrivals = [e.findtext(f"{ATOM}updated", "") for e in entries]
    assert feed.findtext(f"{ATOM}updated") == max(arrivals, default=feed.findtext(f"{ATOM}updated"))
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")  # type: ignore[union-attr]
        assert entry.findtext(f"{ATOM}summary")
        assert entry.findall(f"{ATOM}author/{ATOM}name")


def test_feed_entries_carry_dates_authors_and_summaries(client: FlaskClient, session) -> None:  # type: ignore[no-untyped-def]
    feed = ET.fromstring(get(client, "/feed.atom", "application/atom+xml"))
    entries = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    for letter_id in IDS.values():
        meta = session.letter(letter_id).metadata()
        entry = entries[f"{BASE}/letters/{letter_id}"]
        day = meta.get("date") or meta.get("date_to")
        assert entry.findtext(f"{ATOM}published") == f"{day}T00:00:00Z"
        assert entry.findtext(f"{ATOM}updated") == meta["arrived"]
        authors = [a.text for a in entry.findall(f"{ATOM}author/{ATOM}name")]
        assert authors == meta["senders"]
        if meta.get("summary"):
            assert entry.findtext(f"{ATOM}summary") == " ".join(meta["summary"].split())


def test_the_feed_escapes_a_hostile_query(client: FlaskClient) -> None:
    hostile = "<script>alert('x')</script> & ]]> \x00\x07 \"quoted\""
    data = get(client, "/feed.atom?" + urlencode({"q": hostile}), "application/atom+xml")
    assert b"<script>" not in data
    feed = ET.fromstring(data)  # well-formed despite the control characters
    title = feed.findtext(f"{ATOM}title", "")
    assert "<script>alert('x')</script> & ]]>" in title


def test_the_feed_ignores_sort_and_paging(client: FlaskClient) -> None:
    plain = ET.fromstring(get(client, "/feed.atom?q=strike", "application/atom+xml"))
    other = ET.fromstring(
        get(client, "/feed.atom?q=strike&sort=oldest&page=3&per_page=1", "application/atom+xml")
    )
    ids = [e.findtext(f"{ATOM}id") for e in plain.findall(f"{ATOM}entry")]
    assert ids == [e.findtext(f"{ATOM}id") for e in other.findall(f"{ATOM}entry")]


def test_base_url_from_the_config(index_root: Path) -> None:
    app = create_app({"TESTING": True, "INDEX_PATH": str(index_root),
                      "BASE_URL": "https://letters.example.org/archive/"})  # fmt: skip
    client = app.test_client()
    feed = ET.fromstring(get(client, "/feed.atom", "application/atom+xml"))
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id", "").startswith("https://letters.example.org/archive/")
    rows = list(csv.DictReader(io.StringIO(get(client, "/export.csv", "text/csv").decode())))
    assert all(r["url"].startswith("https://letters.example.org/archive/letters/") for r in rows)


# -- OpenSearch -----------------------------------------------------------------------------


def test_opensearch_description(client: FlaskClient) -> None:
    data = get(client, "/opensearch.xml", "application/opensearchdescription+xml")
    root = ET.fromstring(data)
    assert root.tag == f"{OS}OpenSearchDescription"
    assert root.findtext(f"{OS}ShortName")
    assert len(root.findtext(f"{OS}ShortName", "")) <= 16
    templates = {url.get("type"): url.get("template") for url in root.findall(f"{OS}Url")}
    assert templates["text/html"] == f"{BASE}/search?q={{searchTerms}}"
    assert templates["application/atom+xml"] == f"{BASE}/feed.atom?q={{searchTerms}}"


# -- exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", SEARCHES)
def test_csv_export_has_one_row_per_letter(client: FlaskClient, params) -> None:  # type: ignore[no-untyped-def]
    data = download(client, "/export.csv", params, "text/csv")
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header, *rows = list(reader)
    assert header[0] == "id" and "url" in header
    expected = api_json(client, params, per_page="100")
    assert len(rows) == expected["total"]
    assert [r[0] for r in rows] == [h["id"] for h in expected["hits"]]


@pytest.mark.parametrize("params", SEARCHES)
def test_json_export_equals_the_api_hits(client: FlaskClient, params) -> None:  # type: ignore[no-untyped-def]
    """The same hits, with absolute links (a downloaded file is read away from the site)."""
    data = json.loads(download(client, "/export.json", params, "application/json"))
    expected = api_json(client, params, per_page="100")
    for hit in expected["hits"]:
        hit["url"] = "http://localhost" + hit["url"]
        for passage in hit["passages"]:
            passage["url"] = "http://localhost" + passage["url"]
    assert data["hits"] == expected["hits"]
    assert data["total"] == expected["total"] == len(data["hits"])


def test_exports_collect_every_page(client: FlaskClient) -> None:
    """page and per_page do not limit an export: all pages are in it."""
    data = json.loads(get(client, "/export.json?per_page=1&page=2", "application/json"))
    assert len(data["hits"]) == data["total"] == len(IDS)


@pytest.mark.parametrize("params", SEARCHES)
def test_cmif_export_is_tei_with_one_corresp_desc_per_letter(client: FlaskClient, params) -> None:  # type: ignore[no-untyped-def]
    root = ET.fromstring(download(client, "/export.cmif.xml", params, "application/tei+xml"))
    assert root.tag == f"{TEI}TEI"
    descs = root.findall(f"{TEI}teiHeader/{TEI}profileDesc/{TEI}correspDesc")
    expected = api_json(client, params, per_page="100")
    assert [d.get("ref") for d in descs] == [f"{BASE}{h['url']}" for h in expected["hits"]]


# -- citations ------------------------------------------------------------------------------


def test_cite_json_is_csl_json(client: FlaskClient) -> None:
    letter_id = IDS["lo-2021"]
    response = client.get(f"/letters/{letter_id}/cite.json")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.citationstyles.csl+json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    (item,) = json.loads(response.data)
    assert item["type"] == "personal_communication"
    assert item["id"] == letter_id
    assert item["URL"] == f"{BASE}/letters/{letter_id}"
    assert item["author"] == [{"literal": "Norwegian Confederation of Trade Unions (LO Norway)"}]
    assert item["issued"] == {"date-parts": [[2021, 2, 9]]}


def test_cite_json_of_a_passage(client: FlaskClient) -> None:
    letter_id = IDS["lo-2021"]
    (item,) = json.loads(get(client, f"/letters/{letter_id}/cite.json?passage=3",
                             "application/vnd.citationstyles.csl+json"))  # fmt: skip
    assert item["URL"] == f"{BASE}/letters/{letter_id}#p3"
    assert item["id"] == f"{letter_id}#p3"


@pytest.mark.parametrize("query", ["passage=abc", "passage=0", "passage=9999", "passage=-1",
                                   "colour=red", "passage=" + "9" * 20])  # fmt: skip
def test_cite_json_bad_parameters_are_400(client: FlaskClient, query: str) -> None:
    response = client.get(f"/letters/{IDS['lo-2021']}/cite.json?{query}")
    assert response.status_code == 400
    assert parse(response.data).find(".error-message").text()


def test_cite_json_of_an_unknown_letter_is_404(client: FlaskClient) -> None:
    assert client.get("/letters/no-such-letter/cite.json").status_code == 404
    assert client.get("/letters/" + "x" * 400 + "/cite.json").status_code == 404


# -- errors and headers -------------------------------------------------------------------------


@pytest.mark.parametrize("params", BAD)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_bad_parameters_are_400_with_the_api_message(client, endpoint: str, params) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadRequest) as caught:
        SearchRequest.from_params(params)
    response = client.get(f"{endpoint}?" + urlencode(params, doseq=True))
    assert response.status_code == 400
    assert parse(response.data).find(".error-message").text() == str(caught.value)
    api = client.get("/api/search?" + urlencode(params, doseq=True))
    assert api.get_json() == {"error": str(caught.value)}


@pytest.mark.parametrize("q", ['"', "(", "[a TO", "\x00", "*:*", "ü" * 300, "a" * 1000, "%"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_query_causes_a_server_error(client: FlaskClient, endpoint: str, q: str) -> None:
    assert client.get(f"{endpoint}?" + urlencode({"q": q})).status_code == 200


@pytest.mark.parametrize(
    "url",
    [*ENDPOINTS, "/opensearch.xml", f"/letters/{IDS['lo-2021']}/cite.json", "/feed.atom?page=x"],
)
def test_security_headers_apply(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_without_an_index_feeds_are_503(tmp_path: Path) -> None:
    client = create_app({"TESTING": True, "INDEX_PATH": str(tmp_path)}).test_client()
    for url in [*ENDPOINTS, f"/letters/{IDS['lo-2021']}/cite.json"]:
        assert client.get(url).status_code == 503, url
    assert client.get("/opensearch.xml").status_code == 200


# -- links on the pages ---------------------------------------------------------------------


def test_search_page_links_its_feed_and_downloads(client: FlaskClient) -> None:
    params = {"q": ["strike"], "sender": [INDUSTRIALL], "sort": ["oldest"], "page": ["1"]}
    page = parse(client.get("/search?" + urlencode(params, doseq=True)).data)
    alternates = [link for link in page.find_all("head link")
                  if link.attrs.get("type") == "application/atom+xml"]  # fmt: skip
    assert len(alternates) == 1 and alternates[0].attrs["rel"] == "alternate"
    feed_url = alternates[0].attrs["href"]
    assert feed_url.startswith("/feed.atom?")
    follow = [a for a in page.find_all("a") if a.text() == "Follow this search (Atom)"]
    assert [a.attrs["href"] for a in follow] == [feed_url]
    assert client.get(feed_url).status_code == 200
    downloads = {a.text(): a.attrs["href"] for a in page.find_all(".downloads a")}
    assert set(downloads) == {"CSV", "JSON", "CMIF"}
    for text, prefix in (("CSV", "/export.csv?"), ("JSON", "/export.json?"),
                         ("CMIF", "/export.cmif.xml?")):  # fmt: skip
        assert downloads[text].startswith(prefix)
        assert "sort=oldest" in downloads[text]
        assert client.get(downloads[text]).status_code == 200
    assert "Download:" in page.find(".result-tools").text()


def test_every_page_links_the_opensearch_description(client: FlaskClient) -> None:
    for url in ("/", "/help", f"/letters/{IDS['lo-2021']}"):
        page = parse(client.get(url).data)
        links = [link for link in page.find_all("head link") if link.attrs.get("rel") == "search"]
        assert [link.attrs["type"] for link in links] == ["application/opensearchdescription+xml"]
        assert links[0].attrs["href"] == "/opensearch.xml"


def test_letter_page_links_its_csl_json_citation(client: FlaskClient) -> None:
    letter_id = IDS["lo-2021"]
    page = parse(client.get(f"/letters/{letter_id}").data)
    link = page.find(".cite-download a")
    assert link.attrs["href"] == f"/letters/{letter_id}/cite.json"
    assert page.find(".cite-letter .cite-text").text()


def test_a_letter_looks_new_when_it_arrives_or_changes_not_when_the_index_is_rebuilt(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """Atom ``updated`` is when a letter entered or changed in the archive: a rebuild keeps it,
    a changed file renews it, and the feed's own ``updated`` is the latest arrival."""
    archive = Archive(tmp_path / "index")
    archive.rebuild(corpus_copy)

    def arrivals() -> dict[str, str]:
        with archive.session() as session:
            return {i: session.letter(i).record["arrived"] for i in IDS.values()}  # type: ignore[union-attr]

    first = arrivals()
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t) for t in first.values())
    time.sleep(1.1)  # arrivals are stored to the second
    archive.rebuild(corpus_copy)
    assert arrivals() == first
    changed = corpus_copy / "letters" / f"{IDS['lo-2021']}.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA postscript.\n", encoding="utf-8")
    archive.update(corpus_copy, [changed])
    after = arrivals()
    assert after[IDS["lo-2021"]] > first[IDS["lo-2021"]]
    assert {k: v for k, v in after.items() if k != IDS["lo-2021"]} == {
        k: v for k, v in first.items() if k != IDS["lo-2021"]
    }
    app = create_app({"TESTING": True, "INDEX_PATH": str(tmp_path / "index")})
    feed = ET.fromstring(app.test_client().get("/feed.atom").data)
    assert feed.findtext(f"{ATOM}updated") == after[IDS["lo-2021"]]

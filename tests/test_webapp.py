"""The Flask front end on the five seed letters: pages, facets in URLs, the JSON API, errors and
security. Expected values come from the library (``session.search``, ``to_json``), so the pages
are checked to show exactly what the search answered."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.engine.index import LetterIndex
from indexer.request import BadRequest, SearchRequest
from tests.conftest import IDS, INDUSTRIALL, ITUC, LO
from webapp import create_app
from webapp.highlight import Marker, marker_for
from webapp.security import CONTENT_SECURITY_POLICY

REPO = Path(__file__).resolve().parent.parent
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
    return session.search(SearchRequest.from_params(params)).to_json()


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


# -- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/search", "/search?q=strike", "/help", f"/letters/{IDS['ituc-2024']}"],
)
def test_every_page_has_landmarks_and_a_skip_link(client: FlaskClient, url: str) -> None:
    page = get_page(client, url)
    tags = {node.tag for node in page.iter()}
    assert {"header", "nav", "main", "footer"} <= tags
    assert page.find("a.skip-link").attrs["href"] == "#main"
    assert page.find("main").attrs["id"] == "main"
    assert page.find("html").attrs["lang"] == "en"
    for field_input in page.find_all("input"):
        if field_input.attrs.get("type") != "hidden":
            labels = [lab.attrs.get("for") for lab in page.find_all("label")]
            assert field_input.attrs["id"] in labels


def test_search_page_shows_the_query_count_and_hits_in_order(client, session) -> None:  # type: ignore[no-untyped-def]
    expected = search_json(session, {"q": ["right to strike"]})
    page = get_page(client, "/search?q=right+to+strike")
    assert page.find("input#q").attrs["value"] == "right to strike"
    assert page.find(".result-count").text() == f"{expected['total']} letters"
    assert hit_ids(page) == [hit["id"] for hit in expected["hits"]]


def test_each_hit_shows_date_people_type_and_numbered_snippets(client, session) -> None:  # type: ignore[no-untyped-def]
    expected = search_json(session, {"q": ["strike"]})
    page = get_page(client, "/search?q=strike")
    shown = []
    for hit in page.find_all("li.hit"):
        shown.append(
            {
                "title": hit.find(".hit-title").text(),
                "meta": hit.find(".hit-meta").visible_text(),
                "snippets": [(a.find(".snippet-n").text(), a.attrs["href"])
                             for a in hit.find_all("a.snippet")],
            }
        )  # fmt: skip
    wanted = []
    for hit in expected["hits"]:
        date = hit["date"] or f"{hit['date_from']} – {hit['date_to']}"
        people = ", ".join(hit["senders"])
        if hit["recipients"]:
            people += " → " + ", ".join(r["name"] for r in hit["recipients"])
        wanted.append(
            {
                "title": hit["title"],
                "meta": f"{date} · {people} · {hit['type'][:1].upper()}{hit['type'][1:]}",
                "snippets": [(f"¶{p['n']}", p["url"]) for p in hit["passages"][:3]],
            }
        )
    assert shown == wanted
    assert any(" – " in item["meta"] for item in shown)  # the press release's date range
    assert page.find(".snippet-text mark").text().lower().startswith("strik")


def test_without_a_query_the_page_browses_all_letters_newest_first(client, session) -> None:  # type: ignore[no-untyped-def]
    expected = search_json(session, {})
    page = get_page(client, "/")
    assert page.find("h1").text() == "All letters"
    assert hit_ids(page) == [h["id"] for h in expected["hits"]] and len(expected["hits"]) == 5
    dates = [h["date_from"] for h in expected["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert facets_on(page) == facets_in_json(expected)
    assert page.find(".sort a[aria-current]").text() == "Newest first"


def test_help_page_explains_the_query_syntax(client: FlaskClient) -> None:
    text = get_page(client, "/help").find("main").text()
    for needle in ['"right to strike"', " OR ", " NOT ", "(arrest OR detention)", "stri*",
                   "dismisal~", "sender:", "from:", "signatory:", "by:", "recipient:", "to:",
                   "title:", "place:", "ref:", "lang:", "type:", "accents", "stem"]:  # fmt: skip
        assert needle in text, needle


# -- facets, filters, sorting, pages ------------------------------------------------------------


def test_selecting_two_senders_then_removing_one(client, session) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, "/search?q=strike")
    first = toggle_link(page, "sender", ITUC)
    assert query_of(first) == {"q": ["strike"], "sender": [ITUC]}

    page = get_page(client, first)
    second = toggle_link(page, "sender", INDUSTRIALL)
    assert query_of(second) == {"q": ["strike"], "sender": [ITUC, INDUSTRIALL]}

    page = get_page(client, second)
    expected = api(client, "/api/search?" + urlsplit(second).query)
    assert facets_on(page) == facets_in_json(expected)
    assert facets_on(page)["sender"][ITUC][1] and facets_on(page)["sender"][INDUSTRIALL][1]
    assert hit_ids(page) == [h["id"] for h in expected["hits"]]
    chips = {c.find(".chip-label").text(): c.attrs["href"] for c in page.find_all("a.chip")}
    assert set(chips) == {ITUC, INDUSTRIALL}

    removed = toggle_link(page, "sender", ITUC)
    assert removed == chips[ITUC]  # the chip and the facet value remove it alike
    assert query_of(removed) == {"q": ["strike"], "sender": [INDUSTRIALL]}
    page = get_page(client, removed)
    expected = api(client, "/api/search?" + urlsplit(removed).query)
    assert facets_on(page) == facets_in_json(expected)
    assert [c.find(".chip-label").text() for c in page.find_all("a.chip")] == [INDUSTRIALL]


def test_every_facet_value_links_to_its_toggled_search(client, session) -> None:  # type: ignore[no-untyped-def]
    params = {"q": ["strike"], "type": ["letter"], "sort": ["newest"]}
    request = SearchRequest.from_params(params)
    page = get_page(client, "/search?" + urlencode(params, doseq=True))
    links = page.find_all("aside li.facet-item")
    assert links
    for item in links:
        facet = item.find_all("a")[0]
        name = next(n.attrs["id"] for n in page.find_all("aside section.facet")
                    if item in list(n.iter())).removeprefix("facet-")  # fmt: skip
        value = item.attrs["data-value"]
        wanted = request.toggled(name, value).query_string()
        assert facet.attrs["href"] == (f"/search?{wanted}" if wanted else "/search")


def test_many_facet_values_hide_behind_show_more(app: Flask) -> None:
    from indexer.results import FacetCount
    from webapp.viewmodels import facet_groups

    request = SearchRequest.from_params({"sender": ["s11"]})
    counts = [FacetCount(f"s{i:02d}", 20 - i, f"s{i:02d}" == "s11") for i in range(12)]

    @dataclass
    class Result:
        request: SearchRequest
        facets: dict[str, list[FacetCount]]

    (group,) = facet_groups(Result(request, {"sender": counts}), "/search")
    assert [v.value for v in group.visible] == [f"s{i:02d}" for i in range(8)] + ["s11"]
    assert [v.value for v in group.more] == ["s08", "s09", "s10"]
    assert group.selected == 1


def test_show_more_is_a_details_element(client: FlaskClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("webapp.viewmodels.VISIBLE_FACET_VALUES", 2)
    page = get_page(client, "/")
    more = page.find("#facet-signatory details.facet-more")
    assert more.find("summary").text() == "Show 3 more"
    assert len(more.find_all("li.facet-item")) == 3


def test_date_filter_keeps_its_values_and_matches_the_api(client, session) -> None:  # type: ignore[no-untyped-def]
    url = "/search?from=2024&to=2024-01"
    page = get_page(client, url)
    expected = search_json(session, {"from": ["2024"], "to": ["2024-01"]})
    assert hit_ids(page) == [h["id"] for h in expected["hits"]]
    assert IDS["press-2024"] in hit_ids(page)  # its date range overlaps January 2024
    assert page.find("input#from").attrs["value"] == "2024"
    assert page.find("input#to").attrs["value"] == "2024-01"
    chips = {c.find(".chip-title").text(): c.attrs["href"] for c in page.find_all("a.chip")}
    assert query_of(chips["From:"]) == {"to": ["2024-01"]}
    assert query_of(chips["To:"]) == {"from": ["2024"]}


def test_date_form_carries_the_query_and_filters(client: FlaskClient) -> None:
    page = get_page(client, f"/search?q=strike&sender={INDUSTRIALL}&sort=oldest&page=1")
    form = page.find("form.date-form")
    hidden = [(i.attrs["name"], i.attrs["value"]) for i in form.find_all("input")
              if i.attrs.get("type") == "hidden"]  # fmt: skip
    assert hidden == [("q", "strike"), ("sender", INDUSTRIALL), ("sort", "oldest")]
    search_form = page.find("form.search-form")
    hidden = [(i.attrs["name"], i.attrs["value"]) for i in search_form.find_all("input")
              if i.attrs.get("type") == "hidden"]  # fmt: skip
    assert hidden == [("sender", INDUSTRIALL), ("sort", "oldest")]


def test_histogram_has_a_bar_per_year_linking_to_that_year(client, session) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, "/")
    years = {c["value"]: c["count"] for c in search_json(session, {})["facets"]["year"]}
    bars = []
    for item in page.find_all(".histogram li"):
        bar = item.find(".bar")
        bars.append((item.find(".bar-year").text(), bar.tag == "a" and bar.attrs["href"]))
    first, last = min(years), max(years)
    assert [year for year, _ in bars] == [str(y) for y in range(int(first), int(last) + 1)]
    for year, link in bars:
        assert link == (f"/search?year={year}" if years.get(year) else False)
    fills = [next(c for c in n.find(".bar-fill").classes if c.startswith("h-"))
             for n in page.find_all(".histogram li")]  # fmt: skip
    assert fills[0] != "h-0" and fills[-1] == "h-20"


@pytest.mark.parametrize("sort", ["newest", "oldest", "relevance"])
def test_sorting_matches_the_api(client: FlaskClient, sort: str) -> None:
    url = f"/search?q=strike&sort={sort}"
    page = get_page(client, url)
    expected = api(client, "/api" + url)
    assert hit_ids(page) == [h["id"] for h in expected["hits"]]
    current = page.find(".sort a[aria-current]")
    assert query_of(current.attrs["href"]) == {"q": ["strike"], **({"sort": [sort]}
                                               if sort != "relevance" else {})}  # fmt: skip


def test_pagination_links_pages_and_matches_the_api(client: FlaskClient) -> None:
    page = get_page(client, "/search?per_page=2&page=2")
    expected = api(client, "/api/search?per_page=2&page=2")
    assert hit_ids(page) == [h["id"] for h in expected["hits"]] and expected["pages"] == 3
    assert page.find(".result-count").text() == "3–4 of 5 letters"
    nav = page.find("nav.pagination")
    assert query_of(nav.find("a[rel]").attrs["href"]) == {"per_page": ["2"]}  # page 1
    links = {a.visible_text(): a.attrs["href"] for a in nav.find_all("a")}
    assert links == {
        "← Previous": "/search?per_page=2",
        "1": "/search?per_page=2",
        "2": "/search?page=2&per_page=2",
        "3": "/search?page=3&per_page=2",
        "Next →": "/search?page=3&per_page=2",
    }
    assert [a.visible_text() for a in nav.find_all("a[aria-current]")] == ["2"]


def test_a_page_past_the_end_offers_the_first_page(client: FlaskClient) -> None:
    page = get_page(client, "/search?q=strike&page=9")
    assert page.find(".empty h2").text() == "No letters on this page"
    assert page.find(".empty a").attrs["href"] == "/search?q=strike"


def test_suggestion_links_to_the_corrected_search(client: FlaskClient) -> None:
    page = get_page(client, "/search?q=stirke&type=letter")
    link = page.find(".suggestion a")
    assert link.text() == "strike"
    assert query_of(link.attrs["href"]) == {"q": ["strike"], "type": ["letter"]}


@pytest.mark.parametrize("q", ["[a TO", "a~~~", "AND", "strike"])
def test_unreadable_query_says_it_searched_the_words(client: FlaskClient, q: str) -> None:
    fallback = api(client, "/api/search?" + urlencode({"q": q}))["fallback"]
    assert fallback is (q != "strike")
    notices = get_page(client, "/search?" + urlencode({"q": q})).find_all(".notice")
    assert [n.text() for n in notices] == (
        ["Could not understand the query syntax; searched for the words instead."]
        if fallback
        else []
    )


def test_no_results_page_helps(client: FlaskClient) -> None:
    page = get_page(client, "/search?q=xylophone&sender=" + ITUC)
    empty = page.find(".empty")
    assert empty.find("h2").text() == "No letters found"
    hrefs = [a.attrs["href"] for a in empty.find_all("a")]
    assert "/search?q=xylophone" in hrefs and "/help" in hrefs


# -- letter page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(IDS))
def test_letter_page_numbers_every_passage(client, session, key: str) -> None:  # type: ignore[no-untyped-def]
    letter = session.letter(IDS[key])
    page = get_page(client, f"/letters/{IDS[key]}")
    passages = page.find_all(".letter-text .passage")
    assert [(p.attrs["id"], p.attrs["data-n"]) for p in passages] == [
        (f"p{n}", str(n)) for n, _kind, _text in letter.passages
    ]
    for node in passages:
        margin = node.find("a.pn")
        assert margin.attrs["href"] == f"#{node.attrs['id']}"
    assert page.find("h1").text() == letter.record["title"]


def test_letter_metadata_links_to_facet_searches(client, session) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, f"/letters/{IDS['lo-2021']}")
    rows = {
        row.find("dt").text(): [(dd.find_all("a")[0].attrs["href"] if dd.find_all("a") else None)
                                for dd in row.find_all("dd")]
        for row in page.find_all(".meta-row")
    }  # fmt: skip
    assert rows["From"] == ["/search?" + urlencode({"sender": LO})]
    assert rows["Signed by"] == ["/search?signatory=Hans-Christian+Gabrielsen"]
    assert rows["To"] == ["/search?recipient=Kassym-Jomart+Tokayev"]
    assert rows["Type"] == ["/search?type=letter"]
    assert rows["Language"] == ["/search?language=en"]
    assert rows["Date"] == ["/search?from=2021-02-09&to=2021-02-09"]
    roles = [r.text() for r in page.find_all(".meta-row .role")]
    assert "President, LO Norway" in roles
    for links in rows.values():  # every search a metadata value links to finds this letter
        for link in filter(None, links):
            assert IDS["lo-2021"] in [h["id"] for h in api(client, "/api" + link)["hits"]], link
    assert {"CC", "Reference", "Place", "Source"} <= set(rows)


def test_letter_with_a_query_marks_the_words(client, session) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, f"/letters/{IDS['ituc-2024']}?q=strike#p17")
    marks = [m.text().lower() for m in page.find_all(".letter-text mark")]
    assert marks and all(m.startswith("strik") for m in marks)
    marked = {int(a.attrs["href"][2:]) for a in page.find_all(".highlight-note a")}
    hits = search_json(session, {"q": ["strike"]})["hits"]
    snippets = {p["n"] for h in hits if h["id"] == IDS["ituc-2024"] for p in h["passages"]}
    assert snippets <= marked  # every passage the search offered is marked on the page
    for n in marked:
        assert page.find(f"#p{n}").find_all("mark")


def test_negated_and_field_terms_are_not_all_marked(client: FlaskClient) -> None:
    page = get_page(client, f"/letters/{IDS['ituc-2024']}?q=workers+NOT+strike")
    marks = {m.text().lower() for m in page.find_all(".letter-text mark")}
    assert marks and all(m.startswith("worker") for m in marks)


@pytest.mark.parametrize("key", sorted(IDS))
def test_previous_and_next_letters_by_date(client, session, key: str) -> None:  # type: ignore[no-untyped-def]
    before, after = session.neighbours(IDS[key])
    page = get_page(client, f"/letters/{IDS[key]}?q=strike")
    links = {a.attrs["rel"]: a.attrs["href"] for a in page.find_all(".prev-next a")}
    expected = {
        rel: f"/letters/{other.id}?q=strike"
        for rel, other in (("prev", before), ("next", after))
        if other is not None
    }
    assert links == expected


def test_back_link_returns_to_the_search(client: FlaskClient) -> None:
    search = f"/search?q=strike&sender={ITUC}&sort=oldest"
    page = get_page(client, search)
    letter_url = page.find(".hit-title a").attrs["href"]
    assert query_of(letter_url) == {"q": ["strike"], "sender": [ITUC], "sort": ["oldest"]}
    back = get_page(client, letter_url).find(".breadcrumbs a")
    assert back.text() == "← Back to the search results"
    assert query_of(back.attrs["href"]) == query_of(search)
    plain = get_page(client, f"/letters/{IDS['lo-2021']}?page=abc").find(".breadcrumbs a")
    assert plain.attrs["href"] == "/search"  # a broken context is dropped, not an error


def test_each_passage_has_a_citation(client, session) -> None:  # type: ignore[no-untyped-def]
    letter = session.letter(IDS["industriall-2024"])
    page = get_page(client, f"/letters/{IDS['industriall-2024']}")
    node = page.find("#p8")
    cite = node.find(".cite-box .cite-text").text()
    url = f"http://localhost/letters/{IDS['industriall-2024']}"
    assert cite == f"{INDUSTRIALL}, “{letter.record['title']}”, 10 January 2024, ¶8. {url}#p8"
    whole = page.find(".cite-letter .cite-text").text()
    assert whole == f"{INDUSTRIALL}, “{letter.record['title']}”, 10 January 2024. {url}"


# -- JSON API ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ["right to strike"]},
        {"q": ["strike"], "sender": [ITUC, INDUSTRIALL], "sort": ["oldest"]},
        {"from": ["2021"], "to": ["2021-02"], "per_page": ["1"], "page": ["2"]},
        {"q": ["stirke"]},
    ],
)
def test_api_search_is_the_libraries_json(client, session, params) -> None:  # type: ignore[no-untyped-def]
    data = api(client, "/api/search?" + urlencode(params, doseq=True))
    assert data == search_json(session, params)
    assert list(data) == list(search_json(session, params))


@pytest.mark.parametrize("key", sorted(IDS))
def test_api_letter_gives_metadata_and_numbered_passages(client, session, key: str) -> None:  # type: ignore[no-untyped-def]
    letter = session.letter(IDS[key])
    data = api(client, f"/api/letters/{IDS[key]}")
    assert data == {
        **letter.metadata(),
        "passages": [{"n": n, "kind": kind, "text": text} for n, kind, text in letter.passages],
    }


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/letters/no-such-letter",
        "/letters/..%2f..%2fetc%2fpasswd",
        "/letters/../../etc/passwd",
        "/letters/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/letters/" + "a" * 400,
        "/static/..%2f__init__.py",
        "/no-such-page",
    ],
)
def test_unknown_pages_are_a_404_page(client: FlaskClient, url: str) -> None:
    page = get_page(client, url, status=404)
    assert page.find("h1").text() == "Not found"
    assert "root:" not in page.text()


@pytest.mark.parametrize(
    "url", ["/api/letters/no-such-letter", "/api/letters/..%2f..%2fetc%2fpasswd", "/api/nothing"]
)
def test_unknown_api_urls_are_404_json(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert list(response.get_json()) == ["error"]


def test_unknown_letter_says_which(client: FlaskClient) -> None:
    page = get_page(client, "/letters/no-such-letter", status=404)
    assert "no-such-letter" in page.find(".error-message").text()


BAD = [
    {"page": ["abc"]},
    {"per_page": ["1000"]},
    {"from": ["2021-13"]},
    {"sort": ["bogus"]},
    {"colour": ["red"]},
    {"year": ["21"]},
    {"from": ["2024"], "to": ["2021"]},
    {"q": ["x" * 1001]},
]


@pytest.mark.parametrize("params", BAD)
@pytest.mark.parametrize("prefix", ["", "/api"])
def test_bad_parameters_are_400_with_the_message(client, params, prefix: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadRequest) as caught:
        SearchRequest.from_params(params)
    response = client.get(f"{prefix}/search?" + urlencode(params, doseq=True))
    assert response.status_code == 400
    if prefix:
        assert response.get_json() == {"error": str(caught.value)}
    else:
        assert parse(response.data).find(".error-message").text() == str(caught.value)


def test_without_an_index_pages_say_how_to_build_it(tmp_path: Path) -> None:
    client = create_app({"TESTING": True, "INDEX_PATH": str(tmp_path)}).test_client()
    for url in ("/", "/search?q=strike", f"/letters/{IDS['lo-2021']}"):
        page = get_page(client, url, status=503)
        assert page.find(".error-message").text() == (
            "The index has not been built yet: run letters index"
        )
        assert page.find(".error-message code").text() == "letters index"
    response = client.get("/api/search")
    assert response.status_code == 503
    assert "letters index" in response.get_json()["error"]
    assert client.get("/help").status_code == 200


def test_an_unexpected_error_is_a_plain_500_page(index_root: Path) -> None:
    app = create_app({"INDEX_PATH": str(index_root), "PROPAGATE_EXCEPTIONS": False})

    def broken() -> str:
        raise RuntimeError("secret detail")

    app.add_url_rule("/broken", view_func=broken)
    app.logger.disabled = True
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    text = parse(response.data).find("main").text()
    assert "Something went wrong" in text
    assert "secret detail" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


TRICKY = ['"', "(", ")", "NOT", "AND OR", "a:", "*", "~", "^", "[a TO", "\x00", "strike~9",
          "title:(", "ü" * 300, "%", "\\", "{}", "'", "-", "sender:", "*:*",
          "a" * 1000, "mention:<strike", "date:2021..1999", "type:\"press release\""]  # fmt: skip


@pytest.mark.parametrize("q", TRICKY)
def test_no_query_text_causes_a_server_error(client: FlaskClient, q: str) -> None:
    for url in (
        "/search?" + urlencode({"q": q}),
        "/api/search?" + urlencode({"q": q}),
        f"/letters/{IDS['ituc-2024']}?" + urlencode({"q": q}),
    ):
        assert client.get(url).status_code == 200, url


# -- security ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/help", f"/letters/{IDS['lo-2021']}", "/letters/nope", "/search?page=x",
     "/api/search", "/api/letters/nope", "/static/style.css", "/static/app.js"],
)  # fmt: skip
def test_security_headers_on_every_response(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    response.close()


def test_the_csp_is_the_agreed_one() -> None:
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


def test_a_script_in_the_query_is_echoed_escaped(client: FlaskClient) -> None:
    payload = "<script>alert(1)</script>"
    html = client.get("/search?" + urlencode({"q": payload})).get_data(as_text=True)
    assert payload not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    letter = client.get(f"/letters/{IDS['lo-2021']}?" + urlencode({"q": payload}))
    assert payload not in letter.get_data(as_text=True)


HOSTILE = """---
id: 2024-03-01-hostile-test-letter
title: Hostile <script>alert('title')</script> letter
type: letter
date: 2024-03-01
language: en
senders:
  - <b onmouseover=alert(1)>Evil</b> Org
source: test
summary: A letter that tries to run scripts.
---

Dear reader, <script>alert('body')</script> hostile text.

<img src="x" onerror="alert('img')"> Images with handlers.

[Click me](javascript:alert('link')) and <a href="javascript:alert('raw')">raw link</a>
and <a href="JaVaScRiPt:alert(1)" onclick="alert(2)" style="color:red">mixed case</a>.

<div id="p1" class="passage" data-n="1" style="position:fixed">fake passage</div>

<iframe src="https://example.org/"></iframe>
<form action="https://example.org/"><input name="x"></form>

A [good link](https://example.org/page) and <a href="mailto:someone@example.org">mail</a>.
"""


def test_hostile_letter_renders_without_active_content(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "letters" / "2024-03-01-hostile-test-letter.md").write_text(HOSTILE)
    index = tmp_path / "hostile-index"
    report = LetterIndex(index).rebuild(corpus_copy)
    assert not report.errors, report.errors
    client = create_app({"TESTING": True, "INDEX_PATH": str(index)}).test_client()
    for url in ("/letters/2024-03-01-hostile-test-letter",
                "/letters/2024-03-01-hostile-test-letter?q=hostile",
                "/search?q=hostile", "/search?q=evil", "/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert re.findall(r"<script\b[^>]*>", html, re.I) == [
            '<script src="/static/app.js" defer>'
        ], url
        for node in parse(html).iter():
            assert node.tag not in {"iframe", "img", "object", "embed", "style"}, url
            assert not [a for a in node.attrs if a.startswith("on") or a == "style"], url
            for attr in ("href", "src", "action"):
                assert not node.attrs.get(attr, "").strip().lower().startswith("javascript:")
            if node.tag == "form":
                assert node.attrs["action"] == "/search", url
        if url.startswith("/letters/"):
            body = html.split('<section class="letter-text"', 1)[1].split("</section>", 1)[0]
            for bad in ("<script", "onerror", "javascript:", "<img", "<iframe"):
                assert bad not in body.lower(), (url, bad)
            assert "fake passage" in body and "hostile" in body
    page = get_page(client, "/letters/2024-03-01-hostile-test-letter")
    ours = {"pn", "cite-csl"}  # the margin ¶ links and the CSL-JSON citation links
    links = [a.attrs.get("href") for a in page.find(".letter-text").find_all("a")
             if not ours & set(a.classes)]  # fmt: skip
    assert "https://example.org/page" in links and "mailto:someone@example.org" in links
    assert all(a.attrs.get("rel") == "nofollow noopener" for a in page.find(".letter-text")
               .find_all("a") if not ours & set(a.classes))  # fmt: skip
    ids = [n.attrs["id"] for n in page.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))  # the fake passage did not duplicate ¶1's anchor
    assert page.find("h1").text() == "Hostile <script>alert('title')</script> letter"


# -- structure rules ---------------------------------------------------------------------------


WEBAPP = REPO / "webapp"


def test_webapp_never_imports_whoosh() -> None:
    for path in WEBAPP.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+whoosh\b", source, re.M), path


#: what the web app may import from the core: the engine only through the facade (archive),
#: otherwise plain data and formats
WEBAPP_MAY_IMPORT = {"indexer", "indexer.archive", "indexer.request", "indexer.results",
                     "indexer.passages", "indexer.formats"}  # fmt: skip


def test_webapp_reaches_the_engine_only_through_the_archive_facade() -> None:
    for path in WEBAPP.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for module in re.findall(r"^\s*from\s+(indexer[\w.]*)\s+import", source, re.M):
            allowed = module in WEBAPP_MAY_IMPORT or module.startswith("indexer.formats.")
            assert allowed, f"{path.name} imports {module}"


def test_templates_have_no_inline_scripts_or_styles() -> None:
    for path in (WEBAPP / "templates").glob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert "style=" not in source and "<style" not in source, path
        assert re.findall(r"<script(?![^>]*\bsrc=)", source) == [], path
        assert not re.search(r"\son\w+=", source), path
        assert "|safe" not in source, path


def test_modules_stay_small() -> None:
    for path in WEBAPP.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 300, path


def test_create_app_reads_the_environment_when_called(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LETTERS_INDEX", str(tmp_path / "idx"))
    monkeypatch.setenv("LETTERS_CORPUS", str(tmp_path / "corpus"))
    app = create_app()
    assert app.config["INDEX_PATH"] == str(tmp_path / "idx")
    assert app.config["CORPUS_PATH"] == str(tmp_path / "corpus")


# -- highlighting ------------------------------------------------------------------------------


def marked(session, q: str, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [text[a:b] for a, b in marker_for(session, q, "en").spans(text)]


TEXT = "The strikers' right to strike; Atle Høie's dismissals. Striking workers were dismissed."


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("strike", ["strike", "Striking"]),
        ("right to strike", ["right", "strike", "Striking"]),
        ('"right to strike"', ["right", "strike", "Striking"]),
        ("Hoie", ["Høie's"]),
        ("stri*", ["strikers", "strike", "Striking"]),
        ("dismisal~", ["dismissals", "dismissed"]),
        ("strike NOT workers", ["strike", "Striking"]),
        ("-strike workers", ["workers"]),
        ("right NOT (strike OR workers)", ["right"]),
        ("title:strike by:Høie", ["strike", "Høie's", "Striking"]),
        ("*", []),
        ("", []),
        ("AND OR NOT", []),
    ],
)  # fmt: skip
def test_marker_marks_the_positive_query_words(session, q: str, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert marked(session, q, TEXT) == words


def test_the_letter_page_marks_what_the_library_highlights() -> None:
    from indexer.engine.snippets import Highlight

    class Session:
        def highlight_terms(self, q: str) -> Highlight:
            assert q == "anything"
            return Highlight(stems=frozenset({"dismiss"}))

    chosen = marker_for(Session(), "  anything ", "en")  # type: ignore[arg-type]
    assert isinstance(chosen, Marker)
    assert [TEXT[a:b] for a, b in chosen.spans(TEXT)] == ["dismissals", "dismissed"]
    assert not marker_for(Session(), "   ", "en")  # type: ignore[arg-type]  # no query: no marks


def test_each_passage_citation_links_its_csl_json(client: FlaskClient) -> None:
    page = get_page(client, f"/letters/{IDS['lo-2021']}")
    hrefs = [a.attrs["href"] for a in page.find_all("a.cite-csl")]
    assert f"/letters/{IDS['lo-2021']}/cite.json?passage=13" in hrefs
    data = client.get(hrefs[12]).get_json()
    assert data[0]["URL"].endswith(f"/letters/{IDS['lo-2021']}#p13")


def test_a_served_app_builds_the_shared_tables_in_the_background(tmp_path, corpus_copy) -> None:  # type: ignore[no-untyped-def]
    """Outside tests, the app builds a new index generation's facet tables and whole-archive
    counts itself, before any search asks for them."""
    import time

    from indexer.archive import Archive
    from indexer.engine import gencache
    from indexer.engine.index import LetterIndex

    LetterIndex(tmp_path / "index").rebuild(corpus_copy)
    with Archive(tmp_path / "index").session() as session:
        key = gencache.generation_key(session._searcher.reader())
    assert "facets" not in gencache._cache.get(key, {})
    app = create_app({"INDEX_PATH": str(tmp_path / "index"), "WARM_SECONDS": 0.05})
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "all-facets" not in gencache._cache.get(key, {}):
            time.sleep(0.02)
        assert {"facets", "dates", "all-facets"} <= set(gencache._cache[key])
    finally:
        app.extensions["letters_warmer"].stop()
    assert "letters_warmer" not in create_app({"TESTING": True}).extensions  # off in tests

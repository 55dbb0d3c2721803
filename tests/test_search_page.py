"""The search page on the five seed letters: hits, facets in URLs, filters, sorting, pages.
Expected values come from the library, so the page is checked to show what the search answered."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.request import SearchRequest
from tests.conftest import IDS, INDUSTRIALL, ITUC
from tests.pagedom import (
    api,
    facets_in_json,
    facets_on,
    get_page,
    hit_ids,
    query_of,
    search_json,
    toggle_link,
)

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
    expected = search_json(session, {"q": ["strike"], "concepts": ["0"]})
    page = get_page(client, "/search?q=strike&concepts=0")
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
                "snippets": [  # the page's links keep the whole search, concepts=0 too
                    (f"¶{p['n']}", p["url"].replace("#", "&concepts=0#"))
                    for p in hit["passages"][:3]
                ],
            }
        )
    assert shown == wanted
    assert any(" – " in item["meta"] for item in shown)  # the press release's date range
    marks = [m.text().lower() for m in page.find_all(".snippet-text mark")]
    assert any(m.startswith("strik") for m in marks)  # and its concept's terms ("industrial")


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
    from webapp.searchview import facet_groups

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
    monkeypatch.setattr("webapp.searchview.VISIBLE_FACET_VALUES", 2)
    page = get_page(client, "/")
    more = page.find("#facet-signatory details.facet-more")
    summary = more.find("summary")
    assert summary.find(".when-closed").text() == "Show 3 more signatories"
    assert summary.find(".when-open").text() == "Show fewer signatories"
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


@pytest.mark.parametrize("q", ["type:of", "language:a", "strike"])
def test_unreadable_query_says_it_searched_the_words(client: FlaskClient, q: str) -> None:
    params = urlencode({"q": q, "concepts": "0"})  # no "also searched" notice either
    fallback = api(client, "/api/search?" + params)["fallback"]
    assert fallback is (q != "strike")
    notices = get_page(client, "/search?" + params).find_all(".notice")
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

"""The real app on waitress, driven by Debian's chromium through Playwright: searching, facets,
dates, passage links, the keyboard, pages without JavaScript, and screenshots for a person to
look at (``test-artifacts/screenshots/``). Expected counts come from ``/api/search`` of the
same server for the same URL."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from indexer.engine.index import LetterIndex
from tests.mixedletters import KK_STRIKE, RU_STRIKE, with_test_letters
from tests.pagedom import DESKTOP, watch

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "test-artifacts" / "screenshots"
ITUC = "International Trade Union Confederation (ITUC)"
INDUSTRIALL = "IndustriALL Global Union"
LO_2021 = "2021-02-09-lo-norway-trade-union-rights-violations"
PHONE = {"width": 390, "height": 844}


# -- helpers -----------------------------------------------------------------------------------


def api(base: str, page_url: str) -> dict[str, Any]:
    """``/api/search`` for the query string of a search page URL."""
    query = urlsplit(page_url).query
    with urllib.request.urlopen(f"{base}/api/search?{query}", timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def shown_total(page: Any) -> int:
    """The total in the result count: "3 letters" or "1–10 of 12 letters"."""
    text = page.locator(".result-count").inner_text()
    found = re.search(r"(\d+) letters?$", text.strip())
    assert found, text
    return int(found.group(1))


def shown_ids(page: Any) -> list[str]:
    hrefs = page.locator(".hit-title a").evaluate_all("links => links.map(a => a.pathname)")
    return [h.rsplit("/", 1)[1] for h in hrefs]


def assert_matches_api(page: Any, base: str) -> dict[str, Any]:
    expected = api(base, page.url)
    assert shown_total(page) == expected["total"], page.url
    assert shown_ids(page) == [h["id"] for h in expected["hits"]], page.url
    return expected


def facet_link(page: Any, facet: str, value: str) -> Any:
    return page.locator(f'#facet-{facet} li.facet-item[data-value="{value}"] a.facet-link')


def click_and_wait(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


# -- searching and filtering -----------------------------------------------------------------


def test_search_from_the_home_page_by_typing(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.locator("#q").press_sequentially("right to strike")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert params(page.url)["q"] == ["right to strike"]
    assert page.locator(".hit").count() > 0
    expected = assert_matches_api(page, live_server)
    assert expected["total"] > 0
    assert page.locator("#results-heading").inner_text() == "Letters matching “right to strike”"
    assert page.locator(".snippet mark").count() > 0


def test_two_senders_then_remove_one_by_its_chip(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search?q=Kazakhstan")
    everything = shown_total(page)
    click_and_wait(page, facet_link(page, "sender", ITUC))
    click_and_wait(page, facet_link(page, "sender", INDUSTRIALL))
    assert sorted(params(page.url)["sender"]) == sorted([ITUC, INDUSTRIALL])
    both = assert_matches_api(page, live_server)["total"]
    selected = page.locator("#facet-sender li.facet-item.is-selected").evaluate_all(
        "items => items.map(li => li.dataset.value)"
    )
    assert sorted(selected) == sorted([ITUC, INDUSTRIALL])
    assert page.locator(".chip").count() == 2

    click_and_wait(page, page.locator(".chip").filter(has_text=INDUSTRIALL))
    assert params(page.url)["sender"] == [ITUC]
    one = assert_matches_api(page, live_server)["total"]
    assert 0 < one < both <= everything  # the count changed with the selection
    assert page.locator(".chip").count() == 1


def test_date_range_then_a_histogram_year(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search?q=Kazakhstan")
    page.locator("#from").fill("2021-02-05")
    page.locator("#to").fill("2024-01-15")
    click_and_wait(page, page.locator(".date-form button[type=submit]"))
    assert params(page.url)["from"] == ["2021-02-05"]
    assert params(page.url)["to"] == ["2024-01-15"]
    assert params(page.url)["q"] == ["Kazakhstan"]  # the form carried the query
    ranged = assert_matches_api(page, live_server)
    assert ranged["total"] >= 2
    assert page.locator("#from").input_value() == "2021-02-05"
    years = {h["date_from"][:4] for h in ranged["hits"]}
    assert years == {"2021", "2024"}

    click_and_wait(page, page.locator(".histogram a.bar[title^='2024:']"))
    assert params(page.url)["year"] == ["2024"]
    narrowed = assert_matches_api(page, live_server)
    assert 0 < narrowed["total"] < ranged["total"]
    assert all(h["date_from"].startswith("2024") for h in narrowed["hits"])
    assert page.locator(".histogram a.bar.is-selected").count() == 1


def test_a_from_after_to_search_keeps_the_query_and_says_why_by_the_field(
    browser: Any, live_server: str
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = watch(page)
    try:
        page.goto(live_server + "/search?" + urlencode({"q": "Kazakhstan", "sender": ITUC}))
        page.locator("#from").fill("2024")
        page.locator("#to").fill("2021")
        with page.expect_navigation() as navigation:
            page.locator(".date-form button[type=submit]").click()
        assert navigation.value.status == 400
        assert params(page.url) == {"q": ["Kazakhstan"], "sender": [ITUC], "from": ["2024"],
                                    "to": ["2021"]}  # fmt: skip
        assert page.locator("#q").input_value() == "Kazakhstan"
        assert page.locator("#from").input_value() == "2024"
        assert page.locator("#to").input_value() == "2021"
        message = "'from' (2024) is after 'to' (2021)"
        error = page.locator(".date-form .field:has(#from) .field-error")
        assert error.is_visible()
        assert " ".join(error.inner_text().split()) == f"Error: {message}"  # "Error:" for readers
        assert page.locator("#from").get_attribute("aria-invalid") == "true"
        assert page.locator("#to").get_attribute("aria-invalid") is None
        # what a screen reader announces with the field: the message, then the hint
        description = page.locator("#from").evaluate(
            "el => el.getAttribute('aria-describedby').split(' ')"
            ".map(id => document.getElementById(id).textContent.trim())"
        )
        assert description == [
            f"Error: {message}",
            "A year, month or day: YYYY, YYYY-MM or YYYY-MM-DD."
            " The letters date from 2021-02-02 to 2024-02-29.",
        ]
        assert page.locator(".problems li").inner_text().strip() == message
        # the results are those of the search without 'from', as the API counts them
        kept = api(
            live_server, "/search?" + urlencode({"q": "Kazakhstan", "sender": ITUC, "to": "2021"})
        )
        assert shown_total(page) == kept["total"] > 0
        assert shown_ids(page) == [h["id"] for h in kept["hits"]]
        assert page.locator("a.chip .chip-label").all_inner_texts() == [ITUC, "2021"]

        page.locator(".problems li a").click()  # the summary leads to the field
        assert page.evaluate("document.activeElement.id") == "from"
        page.locator("#from").fill("2021")
        click_and_wait(page, page.locator(".date-form button[type=submit]"))
        assert page.locator(".problems").count() == 0
        assert params(page.url)["from"] == ["2021"] and params(page.url)["q"] == ["Kazakhstan"]
        assert_matches_api(page, live_server)
    finally:
        context.close()
    # the browser reports the 400 itself; nothing else went wrong
    assert problems == [
        "console: Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"
    ]


# -- letter pages ----------------------------------------------------------------------------


def test_a_snippet_opens_its_passage_highlighted(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search?q=right+to+strike")
    snippet = page.locator(".snippet").first
    href = snippet.get_attribute("href")
    assert href and re.search(r"#p\d+$", href)
    click_and_wait(page, snippet)
    fragment = urlsplit(page.url).fragment
    assert urlsplit(page.url).path.startswith("/letters/")
    assert re.fullmatch(r"p\d+", fragment), page.url
    target = page.locator(f"#{fragment}")
    box = page.evaluate(
        """id => { const r = document.getElementById(id).getBoundingClientRect();
                   return {top: r.top, bottom: r.bottom, height: innerHeight}; }""",
        fragment,
    )
    assert 0 <= box["top"] < box["height"], box  # scrolled into view
    assert target.locator("mark").count() > 0
    assert "is-target" in (target.get_attribute("class") or "").split()
    assert target.evaluate("el => el.matches(':target')")
    other = page.locator(".passage:not(:target)").first
    background = "el => getComputedStyle(el).backgroundColor"
    assert target.evaluate(background) != other.evaluate(background)


def test_open_a_letter_by_keyboard_only(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search?q=strike")
    page.keyboard.press("Tab")  # the first tab stop of the page is the skip link
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").evaluate("el => el.getBoundingClientRect().top") >= 0

    first_hit = page.locator(".hit-title a").first.get_attribute("href")
    page.locator("#q").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.hit-title a')"):
            break
    else:
        raise AssertionError("no result link within 20 tab stops of the search box")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first_hit
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server + first_hit
    assert page.locator("h1#letter-title").is_visible()


def test_the_skip_link_moves_focus_to_the_main_content(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/letters/{LO_2021}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'main'")


def test_without_javascript_search_facets_and_letters_work(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        page.locator("#q").fill("strike")
        with page.expect_navigation():
            page.locator("#q").press("Enter")
        assert params(page.url)["q"] == ["strike"]
        assert_matches_api(page, live_server)

        click_and_wait(page, facet_link(page, "sender", ITUC))
        assert params(page.url)["sender"] == [ITUC]
        assert_matches_api(page, live_server)
        page.locator("#from").fill("2024")
        click_and_wait(page, page.locator(".date-form button[type=submit]"))
        assert params(page.url)["from"] == ["2024"] and params(page.url)["sender"] == [ITUC]
        assert_matches_api(page, live_server)

        click_and_wait(page, page.locator(".snippet").first)
        fragment = urlsplit(page.url).fragment
        assert page.locator("h1#letter-title").is_visible()
        assert page.locator(f"#{fragment} mark").count() > 0
        assert page.locator(f"#{fragment}").evaluate("el => el.matches(':target')")
        assert page.locator(".copy-button").count() == 0  # app.js did not run
        assert page.locator(".cite-letter .cite-text").inner_text().strip()
    finally:
        context.close()


# -- screenshots -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots(browser: Any, live_server: str, name: str, viewport: dict[str, int]) -> None:
    """Full-page screenshots for a person to look at; also: nothing wider than the screen."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = name == "phone"
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        problems = watch(page)
        pages = {
            "search": "/search?q=strike&sender=" + ITUC.replace(" ", "+"),
            "letter": f"/letters/{LO_2021}?q=trade+union",
            "passage": f"/letters/{LO_2021}?q=trade+union#p5",  # scrolled to a :target passage
        }
        for kind, url in pages.items():
            page.goto(live_server + url)
            page.screenshot(path=str(SHOTS / f"{kind}-{name}.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{kind} page is {overflow}px wider than a {name} screen"
        assert problems == []
    finally:
        context.close()


# -- concepts across languages ---------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_server(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[str]:
    """The app serving the seed letters and the Russian and Kazakh test letters."""
    corpus = with_test_letters(tmp_path_factory.mktemp("browser-mixed") / "corpus")
    root = tmp_path_factory.mktemp("browser-mixed-index")
    assert not LetterIndex(root).rebuild(corpus).errors
    with serve(root) as base:
        yield base


def test_the_page_says_what_was_also_searched_and_the_checkbox_turns_it_off(
    page: Any, mixed_server: str
) -> None:
    page.goto(mixed_server + "/search?q=strike")
    expected = assert_matches_api(page, mixed_server)
    also = ", ".join(expected["also_searched"])
    assert also.startswith("industrial action, walkout, work stoppage, забастовка, стачка, ереуіл")
    assert page.locator(".also-searched").inner_text().startswith(f"Also searched: {also} — ")
    assert {RU_STRIKE, KK_STRIKE} <= set(shown_ids(page))
    assert not page.locator("#concepts").is_checked()

    page.locator("#concepts").check()
    click_and_wait(page, page.locator(".search-form button[type=submit]"))
    assert params(page.url) == {"q": ["strike"], "concepts": ["0"]}
    off = assert_matches_api(page, mixed_server)
    assert (off["concepts"], off["also_searched"]) == (False, [])
    assert page.locator(".also-searched").count() == 0
    assert page.locator("#concepts").is_checked()
    assert not {RU_STRIKE, KK_STRIKE} & set(shown_ids(page))

    page.locator("#concepts").uncheck()
    click_and_wait(page, page.locator(".search-form button[type=submit]"))
    assert params(page.url) == {"q": ["strike"]}
    assert shown_ids(page) == [h["id"] for h in expected["hits"]]
    click_and_wait(page, page.locator(".also-searched a"))  # "search only the words as typed"
    assert params(page.url) == {"q": ["strike"], "concepts": ["0"]}
    assert page.locator("#concepts").is_checked()

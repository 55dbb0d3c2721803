"""The interface in Kazakh and Russian in a real browser: chosen by the browser's language
(Accept-Language, from the context's locale) and by the switch on the page, the choice
remembered on the next page, the scripts' own words (the working set's "Keep", "match 3 of
17") in the page's language, and axe-core finding no serious violation on the translated pages.
Expected counts come from ``/api/search`` of the same server."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.pagedom import DESKTOP, watch

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}
#: what the search page says, by language: its heading, its field's label, a hit's "Keep"
SEARCH_PAGE = {
    "kk": ("Барлық хаттар", "Хаттардан іздеу", "Жинаққа"),
    "ru": ("Все письма", "Поиск по письмам", "В подборку"),
}


@pytest.fixture
def in_language(browser: Any) -> Iterator[Any]:
    """A page of a browser context whose language is ``locale`` (its Accept-Language)."""
    contexts: list[Any] = []
    problems: list[list[str]] = []

    def open_page(locale: str) -> Any:
        context = browser.new_context(viewport=DESKTOP, locale=locale)
        contexts.append(context)
        page = context.new_page()
        problems.append(watch(page))  # script errors, CSP violations, dialogs
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert [p for found in problems for p in found] == []


def total(base: str, page_url: str) -> int:
    with urllib.request.urlopen(f"{base}/api/search?{urlsplit(page_url).query}") as response:
        return int(json.loads(response.read())["total"])


def serious_violations(page: Any) -> list[Any]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize(("locale", "language"), [("kk-KZ", "kk"), ("ru-RU", "ru")])
def test_the_search_page_in_the_browsers_language(
    in_language: Any, live_server: str, locale: str, language: str
) -> None:
    heading, label, keep = SEARCH_PAGE[language]
    page = in_language(locale)
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#results-heading").inner_text() == heading
    assert page.locator("label[for=q]").inner_text() == label
    page.locator("#q").fill("strike")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    found = total(live_server, page.url)
    assert found > 1
    count = page.locator(".result-count").inner_text()
    assert count.split()[0] == str(found) and count != f"{found} letters"
    # the scripts' words come from the page's catalogue: each hit's "Keep" box
    assert page.locator(".hit label.keep").first.inner_text().strip() == keep
    assert serious_violations(page) == []


def test_the_switch_chooses_a_language_and_the_next_page_keeps_it(
    in_language: Any, live_server: str
) -> None:
    page = in_language("en-GB")
    page.goto(live_server + "/search?q=strike")
    assert page.locator("html").get_attribute("lang") == "en"
    switch = page.locator(".language-switch a[hreflang=ru]")
    assert switch.get_attribute("lang") == "ru" and switch.inner_text() == "Русский"
    switch.focus()  # by keyboard
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/search" and "q=strike" in page.url  # the same page
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("#results-heading").inner_text() == "Письма по запросу «strike»"
    current = page.locator('.language-switch a[aria-current="true"]')
    assert current.get_attribute("hreflang") == "ru"
    with page.expect_navigation():
        page.locator(".site-nav a[href='/help']").click()
    assert page.locator("h1").inner_text() == "Как искать"  # remembered, not asked again
    with page.expect_navigation():
        page.locator(".language-switch a[hreflang=kk]").click()
    assert page.locator("h1").inner_text() == "Қалай іздеу керек"
    assert serious_violations(page) == []


def test_match_navigation_speaks_russian(in_language: Any, live_server: str) -> None:
    page = in_language("ru")
    page.goto(live_server + "/search?q=strike")
    with page.expect_navigation():
        page.locator(".hit-title a").first.click()
    marks = page.locator(".letter-text mark[id^=m]").count()
    assert marks > 1
    page.keyboard.press("n")
    page.keyboard.press("n")
    assert page.locator(".match-position").inner_text() == f"Совпадение 2 из {marks}"
    assert page.locator(".match-next").inner_text().startswith("Следующее совпадение")
    assert serious_violations(page) == []

"""Reading tools in Debian's chromium (Playwright, the real app on waitress): the concordance
from a search, moving between matches on a letter with the keyboard, and batch search."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from indexer.letters.text import fold_text
from tests.test_browser import DESKTOP, PHONE, SHOTS, click_and_wait, shown_total, watch

pytestmark = pytest.mark.browser
LETTER = "2024-01-19-ituc-west-oil-software-striker-dismissals"


def first_word(text: str) -> str:
    words = re.findall(r"\w+", text)
    return fold_text(words[0]) if words else "\uffff"


def test_a_concordance_from_a_search_sorted_by_right_context(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search?q=strike")
    click_and_wait(page, page.locator("a.kwic-link"))
    assert urlsplit(page.url).path == "/kwic"
    click_and_wait(page, page.locator("nav.sort a", has_text="Right context"))
    assert "order=right" in page.url
    rights = page.locator("table.kwic td.kwic-right").all_inner_texts()
    assert len(rights) > 10
    assert [first_word(t) for t in rights] == sorted(first_word(t) for t in rights)
    line = page.locator("table.kwic tbody tr").first
    match = line.locator(".kwic-match").inner_text()
    click_and_wait(page, line.locator(".kwic-where a"))
    fragment = urlsplit(page.url).fragment
    assert re.fullmatch(r"p\d+", fragment)
    assert match in page.locator(f"#{fragment} mark").all_inner_texts()


def test_keys_n_and_p_move_between_the_marked_words(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/letters/{LETTER}?q=strike")
    nav = page.locator(".match-nav")
    assert nav.is_visible()
    total = page.locator(".letter-text mark").count()
    assert total > 3
    for _ in range(3):
        page.keyboard.press("n")
    assert page.locator("mark.is-current").get_attribute("id") == "m3"
    assert nav.locator(".match-position").inner_text() == f"Match 3 of {total}"
    assert nav.locator(".match-position").get_attribute("aria-live") == "polite"
    assert page.evaluate("document.activeElement.id") == "m3"
    page.keyboard.press("p")
    assert urlsplit(page.url).fragment == "m2"
    assert page.locator("mark.is-current").count() == 1
    box = page.locator("#m2").bounding_box()
    assert box and 0 <= box["y"] < DESKTOP["height"]  # scrolled into view
    page.locator("#header-q").focus()
    page.keyboard.type("np")  # typing in a field is typing, not moving
    assert page.locator("#header-q").input_value() == "np"
    assert urlsplit(page.url).fragment == "m2"
    nav.locator(".match-prev").click()
    page.keyboard.press("p")  # from the first match, back to the last
    assert page.locator("mark.is-current").get_attribute("id") == f"m{total}"


def test_a_batch_of_queries_links_each_to_its_search(page: Any, live_server: str) -> None:
    page.goto(live_server + "/batch")
    page.locator("#queries").fill("Tokayev\nstrike\nzzzyxq")
    click_and_wait(page, page.locator("button", has_text="Search every line"))
    rows = page.locator("table.batch tbody tr")
    assert rows.count() == 3
    counts = [int(c) for c in page.locator(".batch-count").all_inner_texts()]
    assert counts[2] == 0 and counts[0] > 0
    click_and_wait(page, rows.nth(1).locator("td a").first)
    assert shown_total(page) == counts[1]


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_of_the_reading_tools(
    browser: Any, live_server: str, name: str, viewport: dict[str, int]
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, is_mobile=name == "phone")
    try:
        page = context.new_page()
        problems = watch(page)
        for kind, url in {"kwic": "/kwic?q=strike&order=right", "batch": "/batch"}.items():
            page.goto(live_server + url)
            page.screenshot(path=str(SHOTS / f"{kind}-{name}.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{kind} page is {overflow}px wider than a {name} screen"
        assert problems == []
    finally:
        context.close()


def test_keep_letters_in_a_working_set_then_clear_it(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search?q=strike")
    hits = page.locator("li.hit")
    chosen = [hits.nth(i).get_attribute("data-id") for i in (0, 1)]
    for i in (0, 1):
        hits.nth(i).locator("label.keep input").check()
    assert page.locator("a.set-nav").inner_text() == "Working set (2)"
    page.goto(live_server + "/search?q=Kazakhstan")  # kept across pages
    assert page.locator("a.set-nav").inner_text() == "Working set (2)"
    kept = page.locator(f'li.hit[data-id="{chosen[0]}"] label.keep input')
    assert kept.is_checked()
    click_and_wait(page, page.locator("a.set-nav"))
    assert (
        page.locator(".reading-list li").evaluate_all("items => items.map(li => li.dataset.id)")
        == chosen
    )
    assert page.locator(".reading-list .cite-text").count() == 2
    click_and_wait(page, page.locator(".set-remove").first)
    assert page.locator("a.set-nav").inner_text() == "Working set (1)"
    page.goto(live_server + "/set")  # the bare address opens the kept set
    page.wait_for_url(re.compile(r"/set\?id="))
    assert page.locator(".reading-list li").count() == 1
    click_and_wait(page, page.locator("a.set-clear"))
    assert page.locator("a.set-nav").inner_text() == "Working set"
    assert page.locator(".reading-list li").count() == 0

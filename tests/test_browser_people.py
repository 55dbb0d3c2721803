"""People pages and the network in Debian's chromium (Playwright): from a search hit to a
person, from a network edge to its letters, by mouse and by keyboard, with and without
JavaScript; axe-core finds no serious accessibility violation; screenshots for a person to
look at (``test-artifacts/screenshots/``)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.test_browser import DESKTOP, PHONE, SHOTS, api, params, shown_total

pytestmark = pytest.mark.browser

PAGES = ["/people", "/people/ituc", "/people/tokayev", "/network", "/network?between=ituc"]


def click_and_wait(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def test_open_a_person_page_from_a_search_hit(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search?q=strike")
    first = page.locator(".hit-people a").first
    name = first.inner_text()
    click_and_wait(page, first)
    assert re.fullmatch(rf"{re.escape(live_server)}/people/[\w-]+", page.url)
    heading = page.locator("h1#person-name").inner_text()
    assert heading == name or name.startswith(heading)  # "… (ITUC)" is the ITUC's page
    counts = page.locator("table.person-table").first.locator("tbody tr")
    assert counts.count() >= 1
    between = page.locator("a.between-link").first
    click_and_wait(page, between)
    assert len(params(page.url)["between"]) == 2
    assert shown_total(page) == api(live_server, page.url)["total"] > 0


def test_follow_an_edge_of_the_network_graph_to_its_letters(page: Any, live_server: str) -> None:
    page.goto(live_server + "/network")
    page.wait_for_selector("#network-graph svg a.edge")
    assert page.locator("#network-figure").is_visible()
    edges = page.locator("#network-graph svg a.edge")
    assert edges.count() == page.locator("#network-pairs tbody tr").count()
    label = edges.first.get_attribute("aria-label")
    letters = int(label.split()[0])
    click_and_wait(page, edges.first)
    query = params(page.url)
    assert set(query) >= {"writer", "addressee"}
    assert shown_total(page) == letters


def test_network_and_people_by_keyboard(page: Any, live_server: str) -> None:
    page.goto(live_server + "/people")
    page.locator("#people-q").focus()
    page.keyboard.type("burrow")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for _ in range(18):  # the header: skip link, site name, 6 sections, 3 languages, search
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.people-list a')"):
            break
    else:
        raise AssertionError("no person link within 18 tab stops of the page's start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server + "/people/sharan-burrow"

    page.goto(live_server + "/network")
    page.wait_for_selector("#network-graph svg a.edge")
    page.locator(".network-exports a").last.focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#network-graph a.edge')"):
            break
    else:
        raise AssertionError("no edge of the graph within 40 tab stops")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server + href


def test_without_javascript_the_network_is_a_table(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server + "/network")
        assert not page.locator("#network-figure").is_visible()
        link = page.locator("#network-pairs a.edge-link").first
        letters = int(link.inner_text())
        click_and_wait(page, link)
        assert shown_total(page) == letters
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(page: Any, live_server: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_server + path)
    if path.startswith("/network"):
        page.wait_for_selector("#network-graph svg")
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


@pytest.mark.parametrize(
    ("name", "path", "viewport"),
    [
        ("people-desktop", "/people", DESKTOP),
        ("person-desktop", "/people/ituc", DESKTOP),
        ("person-phone", "/people/tokayev", PHONE),
        ("network-desktop", "/network", DESKTOP),
        ("network-phone", "/network", PHONE),
    ],
)
def test_people_screenshots(
    browser: Any, live_server: str, name: str, path: str, viewport: Any
) -> None:
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(live_server + path)
        if path.startswith("/network"):
            page.wait_for_selector("#network-graph svg")
        SHOTS.mkdir(parents=True, exist_ok=True)
        target = SHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 5000
    finally:
        context.close()

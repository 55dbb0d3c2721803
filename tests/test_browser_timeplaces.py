"""Time, places and facet controls in a real browser (Debian's chromium through Playwright) on
every letters1916 letter: drilling the histogram from a year to a day, dragging across it,
leaving a sender out, undated letters, searching a facet's values, the focus after a facet
reload, the keyboard, an axe-core check of every new page, and screenshots
(``test-artifacts/screenshots/``). Expected counts come from ``/api/search`` of the same
server for the same URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from tests.test_browser import (
    DESKTOP,
    PHONE,
    SHOTS,
    api,
    assert_matches_api,
    click_and_wait,
    params,
    shown_total,
    watch,
)

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}
CASTLE_KEY = "dublin-castle-dublin-ireland"


def bar(page: Any, title: str) -> Any:
    return page.locator(f".histogram a.bar[title^='{title}:']")


def bar_count(locator: Any) -> int:
    return int(locator.locator(".bar-count").inner_text())


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def top_sender(base: str, url: str = "/search") -> tuple[str, int]:
    first = api(base, url)["facets"]["sender"][0]
    return first["value"], first["count"]


def top_sender_label(base: str) -> str:
    """What the page calls the top sender (a TEI identity's value is its key)."""
    first = api(base, "/search")["facets"]["sender"][0]
    return str(first["label"] or first["value"])


def test_drill_the_histogram_from_a_year_to_a_day(page: Any, letters1916_server: str) -> None:
    base = letters1916_server
    page.goto(base + "/search")
    year = bar(page, "1916")
    expected = bar_count(year)
    click_and_wait(page, year)
    assert params(page.url) == {"year": ["1916"]}
    assert shown_total(page) == expected
    assert page.locator(".histogram").get_attribute("aria-label") == (
        "Matching letters per month of 1916"
    )
    assert page.locator(".histogram li").count() == 12

    may = bar(page, "May 1916")
    expected = bar_count(may)
    click_and_wait(page, may)
    assert params(page.url) == {"from": ["1916-05"], "to": ["1916-05"]}
    assert shown_total(page) == expected
    assert page.locator(".histogram li").count() == 31
    shoot(page, "histogram-days")

    days = page.locator(".histogram a.bar")
    counts = [bar_count(days.nth(i)) for i in range(days.count())]
    busiest = days.nth(counts.index(max(counts)))
    day = busiest.locator("xpath=..").get_attribute("data-from")
    click_and_wait(page, busiest)
    assert params(page.url) == {"from": [day], "to": [day]}
    assert shown_total(page) == max(counts)
    assert_matches_api(page, base)
    assert page.locator(".histogram a.bar.is-selected").count() == 1
    assert page.locator("a.chip .chip-label").all_inner_texts() == [day, day]

    click_and_wait(page, page.locator(".histogram-up a"))  # back to the year's months
    assert params(page.url) == {"year": ["1916"]}
    click_and_wait(page, page.locator(".histogram-up a"))
    assert params(page.url) == {}


def test_dragging_across_months_sets_from_and_to(page: Any, letters1916_server: str) -> None:
    page.goto(letters1916_server + "/search?year=1916")
    march = page.locator(".histogram li[data-from='1916-03']").bounding_box()
    june = page.locator(".histogram li[data-from='1916-06']").bounding_box()
    page.mouse.move(march["x"] + march["width"] / 2, march["y"] + march["height"] / 2)
    page.mouse.down()
    page.mouse.move(june["x"] + 2, june["y"] + june["height"] / 2, steps=8)
    assert page.locator(".histogram li.is-in-range").count() == 4
    with page.expect_navigation():
        page.mouse.up()
    assert params(page.url) == {"from": ["1916-03"], "to": ["1916-06"]}
    assert page.locator("#from").input_value() == "1916-03"
    assert page.locator("#to").input_value() == "1916-06"
    assert_matches_api(page, letters1916_server)


def test_leave_out_a_sender_then_take_it_back(page: Any, letters1916_server: str) -> None:
    base = letters1916_server
    sender, count = top_sender(base)
    page.goto(base + "/search")
    everything = shown_total(page)
    item = page.locator(f'#facet-sender li.facet-item[data-value="{sender}"]')
    click_and_wait(page, item.locator("a.facet-not"))
    assert params(page.url) == {"-sender": [sender]}
    assert shown_total(page) == everything - count
    assert_matches_api(page, base)
    label = top_sender_label(base)
    assert page.locator("a.chip .chip-label").all_inner_texts() == [f"not {label}"]
    assert "is-excluded" in (item.get_attribute("class") or "")
    # the control the person used keeps the focus after the reload
    page.wait_for_function("document.activeElement.classList.contains('facet-not')")
    assert page.evaluate("document.activeElement.closest('li').dataset.value") == sender
    assert item.locator("a.facet-not").inner_text().startswith("undo not")
    shoot(page, "sender-left-out")
    page.keyboard.press("Enter")  # "undo not", from the keyboard
    page.wait_for_url(base + "/search")
    assert shown_total(page) == everything


def test_undated_letters_have_a_bar_and_a_filter(page: Any, letters1916_server: str) -> None:
    base = letters1916_server
    page.goto(base + "/search?year=1916")
    undated = page.locator(".undated-histogram a.bar")
    expected = bar_count(undated)
    assert expected == api(base, "/search")["undated_count"] > 0
    click_and_wait(page, undated)
    assert params(page.url) == {"undated": ["1"]}
    assert shown_total(page) == expected
    assert_matches_api(page, base)
    assert set(page.locator(".hit-date").all_inner_texts()) == {"undated"}
    assert page.locator(".histogram li").count() == 0  # no dates: no years
    shoot(page, "undated")
    click_and_wait(page, page.locator("a.chip"))
    assert params(page.url) == {}


def test_searching_a_facet_and_show_more_say_what_they_do(
    page: Any, letters1916_server: str
) -> None:
    page.goto(letters1916_server + "/search")
    facet = page.locator("#facet-sender")
    summary = facet.locator("details.facet-more summary")
    hidden = facet.locator("details.facet-more li.facet-item").count()
    assert summary.inner_text() == f"Show {hidden} more senders"
    summary.click()
    assert summary.inner_text() == "Show fewer senders"
    summary.click()
    field = facet.locator("input.facet-search-input")
    assert field.is_visible()
    labels = facet.locator(".facet-label").all_text_contents()
    wanted = "ma"
    matching = [label for label in labels if wanted in label.lower()]
    assert 0 < len(matching) < len(labels)
    field.press_sequentially(wanted)
    visible = [
        label
        for label, shown in zip(
            labels,
            facet.locator("li.facet-item").evaluate_all("items => items.map(i => !i.hidden)"),
            strict=True,
        )
        if shown
    ]
    assert visible == matching
    said = "1 value matches" if len(matching) == 1 else f"{len(matching)} values match"
    assert facet.locator(".facet-search-found").inner_text() == said


def test_histogram_and_facets_by_keyboard(page: Any, letters1916_server: str) -> None:
    base = letters1916_server
    page.goto(base + "/search")
    for _ in range(300):  # Tab through the page to the first year bar
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.histogram a.bar')"):
            break
    else:
        raise AssertionError("no histogram bar is reachable with Tab")
    title = page.evaluate("document.activeElement.title")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert params(page.url) == {"year": [title.split(":")[0]]}
    for _ in range(300):  # on to a "not" control
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.facet-not')"):
            break
    else:
        raise AssertionError("no 'not' control is reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert any(name.startswith("-") for name in params(page.url))
    assert page.evaluate("document.activeElement.matches('.facet-not')")  # focus kept
    assert_matches_api(page, base)


def test_place_pages_by_keyboard(page: Any, letters1916_server: str) -> None:
    base = letters1916_server
    page.goto(base + "/places")
    first = page.locator("a.place-link").first
    first.focus()
    name = first.inner_text()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == name
    shoot(page, "place")
    link = page.locator(".place-side h2 a").first
    expected = int(link.inner_text().split()[0])
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert shown_total(page) == expected
    assert_matches_api(page, base)


def test_without_javascript_the_bars_and_not_controls_work(
    browser: Any, letters1916_server: str
) -> None:
    base = letters1916_server
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/search")
        assert page.locator(".facet-search").count() > 0
        assert not page.locator(".facet-search").first.is_visible()  # needs JavaScript
        click_and_wait(page, bar(page, "1916"))
        click_and_wait(page, bar(page, "April 1916"))
        assert params(page.url) == {"from": ["1916-04"], "to": ["1916-04"]}
        assert_matches_api(page, base)
        sender = api(base, page.url)["facets"]["sender"][0]["value"]
        item = page.locator(f'#facet-sender li.facet-item[data-value="{sender}"]')
        click_and_wait(page, item.locator("a.facet-not"))
        assert params(page.url) == {"from": ["1916-04"], "to": ["1916-04"], "-sender": [sender]}
        assert_matches_api(page, base)
        page.locator("#from").fill("1916-04-20")
        page.locator("#to").fill("1916-04-30")
        click_and_wait(page, page.locator(".date-form button[type=submit]"))
        assert params(page.url) == {"-sender": [sender], "from": ["1916-04-20"],
                                    "to": ["1916-04-30"]}  # fmt: skip
        assert_matches_api(page, base)
    finally:
        context.close()


PAGES = {
    "search-years": "/search",
    "search-months": "/search?year=1916",
    "search-days": "/search?from=1916-05&to=1916-05",
    "search-undated": "/search?undated=1",
    "places": "/places",
    "places-by-name": "/places?sort=name&q=dublin",
    "place": f"/places/{CASTLE_KEY}",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_finds_no_serious_violations(browser: Any, letters1916_server: str, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        problems = watch(page)
        url = PAGES[name]
        if name == "search-years":  # with a sender left out
            url += "?" + urlencode({"-sender": top_sender(letters1916_server)[0]})
        page.goto(letters1916_server + url)
        results = Axe().run(page)
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]
        assert serious == [], url
        assert problems == []
    finally:
        context.close()


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_of_time_and_places(
    browser: Any, letters1916_server: str, size: str, viewport: dict[str, int]
) -> None:
    phone = size == "phone"
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        problems = watch(page)
        for name in ("search-months", "places", "place"):
            page.goto(letters1916_server + PAGES[name])
            shoot(page, f"{name}-{size}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} is {overflow}px wider than a {size} screen"
        assert problems == []
    finally:
        context.close()

"""The reading tools' done-when of issue #17 in Debian's chromium, on letters1916 (all 478 letters
imported and indexed, tests/corpora.py) and on the seed letters: a concordance sorted by right
context, a batch of fifty names whose counts equal their single searches, a working set
downloaded as CMIF that validates, and on a seed letter's page the paragraphs it shares and
the letters about the same subject."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import IDS, SHARED
from tests.test_browser import click_and_wait
from tests.test_browser_reading import first_word

pytestmark = pytest.mark.browser
SCHEMA = SHARED / "corpora" / "tei-correspondence" / "schema" / "cmi-customization.rng"


def test_a_concordance_of_1916_sorted_by_right_context(page: Any, letters1916_server: str) -> None:
    page.goto(letters1916_server + "/search?q=Dublin")
    click_and_wait(page, page.locator("a.kwic-link"))
    click_and_wait(page, page.locator("nav.sort a", has_text="Right context"))
    rights = page.locator("table.kwic td.kwic-right").all_inner_texts()
    assert len(rights) > 20
    assert [first_word(t) for t in rights] == sorted(first_word(t) for t in rights)
    assert {
        m.casefold() for m in page.locator("table.kwic tbody .kwic-match").all_inner_texts()
    } == {"dublin"}


def _names(page: Any, base: str) -> list[str]:
    """Fifty writers' and addressees' names of letters1916, as the search's facets name them."""
    data = page.request.get(base + "/api/search?per_page=1").json()
    names = [c["label"] or c["value"] for f in ("sender", "recipient") for c in data["facets"][f]]
    return list(dict.fromkeys(n for n in names if n and "\n" not in n))[:50]


def test_a_batch_of_fifty_1916_names_counts_as_their_single_searches(
    page: Any, letters1916_server: str
) -> None:
    names = _names(page, letters1916_server)
    assert len(names) == 50
    page.goto(letters1916_server + "/batch")
    page.locator("#queries").fill("\n".join(names))
    click_and_wait(page, page.locator("button", has_text="Search every line"))
    rows = page.locator("table.batch tbody tr")
    assert rows.count() == 50
    counts = [int(c) for c in page.locator(".batch-count").all_inner_texts()]
    singles = [
        page.request.get(f"{letters1916_server}/api/search?q={quote(n)}&per_page=1").json()["total"]
        for n in names
    ]
    assert counts == singles
    assert sum(1 for c in counts if c) >= 45
    click_and_wait(page, rows.nth(0).locator("td a").first)  # a line opens its search
    assert urlsplit(page.url).path == "/search"


def test_a_working_set_of_1916_downloads_as_cmif_that_validates(
    page: Any, letters1916_server: str
) -> None:
    from lxml import etree

    page.goto(letters1916_server + "/search?q=Dublin")
    hits = page.locator("li.hit")
    chosen = [hits.nth(i).get_attribute("data-id") for i in range(3)]
    for i in range(3):
        hits.nth(i).locator("label.keep input").check()
    click_and_wait(page, page.locator("a.set-nav"))
    with page.expect_download() as caught:
        page.locator("a", has_text="CMIF").first.click()
    document = etree.parse(caught.value.path()).getroot()
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(document), schema.error_log.last_error
    descs = document.findall(".//{http://www.tei-c.org/ns/1.0}correspDesc")
    assert len(descs) == 3
    text = etree.tostring(document, encoding="unicode")
    assert all(f"/letters/{i}" in text for i in chosen)  # each kept letter, by its address


def test_a_seed_letter_shows_its_shared_paragraphs_and_similar_letters(
    page: Any, live_server: str
) -> None:
    page.goto(f"{live_server}/letters/{IDS['lo-2021']}")
    note = page.locator("#p11 .also-in")
    assert "% shared" in note.inner_text()
    click_and_wait(page, note.locator("a").first)
    assert urlsplit(page.url).path == f"/letters/{IDS['joint-2021']}"
    assert urlsplit(page.url).fragment == "p11"
    assert (
        page.locator("#p11 .also-in a")
        .first.get_attribute("href")
        .startswith(f"/letters/{IDS['lo-2021']}")
    )
    page.goto(f"{live_server}/letters/{IDS['ituc-2024']}")
    similar = page.locator(".similar a")
    hrefs = {similar.nth(i).get_attribute("href") for i in range(similar.count())}
    # the other two letters about the West Oil Software strike
    assert {f"/letters/{IDS['press-2024']}", f"/letters/{IDS['industriall-2024']}"} <= hrefs
    click_and_wait(page, similar.first)
    assert "West Oil Software" in page.locator("body").inner_text()


def test_1916_letters_filed_twice_fold_and_a_transcription_shows_its_twin(
    page: Any, letters1916_server: str
) -> None:
    adams = "1916-05-13-john-adams-to-mary-adams"
    page.goto(letters1916_server + "/search?q=Adams&per_page=50")
    disclosure = page.locator("li.hit details.duplicates")
    assert disclosure.count() == 1
    assert disclosure.locator("summary").inner_text() == "and 1 near-identical letter"
    disclosure.locator("summary").click()
    twin = urlsplit(disclosure.locator("li a").first.get_attribute("href")).path
    leader = page.locator("li.hit:has(details.duplicates)").get_attribute("data-id")
    assert {twin, f"/letters/{leader}"} == {f"/letters/{adams}", f"/letters/{adams}-2"}
    martin = (
        "1916-10-12-marie-helena-martin-to-mary-martin",
        "1916-10-12-marie-martin-to-mary-martin",
    )
    page.goto(f"{letters1916_server}/letters/{martin[0]}")
    note = page.locator("#p1 .also-in")
    assert "% shared" in note.inner_text()
    click_and_wait(page, note.locator("a").first)
    assert urlsplit(page.url).path == f"/letters/{martin[1]}"
    page.goto(f"{letters1916_server}/letters/1916-10-10-to-t-m-healy")  # Frongoch's prisoners
    titles = page.locator(".similar a").all_inner_texts()
    assert len(titles) == 5
    assert sum("Frongoch" in t or "Prisoners" in t for t in titles) >= 3, titles

"""On a real server: a letter full of script payloads runs nothing in a real browser (checked
in chromium's DOM, not only in the HTML text), and raw requests cannot traverse paths or use
other methods."""

from __future__ import annotations

import http.client
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest

from indexer.engine.index import LetterIndex
from tests.test_http import LO_2021, TRAVERSALS, assert_not_found, merged_redirect
from webapp.security import SECURITY_HEADERS

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


# -- a hostile letter in a real browser --------------------------------------------------------

XSS = "window.__xss=1"
HOSTILE_ID = "2024-03-02-xssprobe-hostile-letter"
HOSTILE_TITLE = f'Xssprobe "><script>{XSS}</script> <img src=x onerror="{XSS}"> title'
HOSTILE_SENDER = f'<img src=x onerror="{XSS}"> Probe Org'
HOSTILE_QUERY = f"<img src=x onerror={XSS}>"
HOSTILE = f"""---
id: {HOSTILE_ID}
title: '{HOSTILE_TITLE}'
type: letter
date: 2024-03-02
place: '<iframe src="javascript:{XSS}"></iframe> Oslo'
language: en
senders:
  - '{HOSTILE_SENDER}'
  - '"><script>{XSS}</script>'
signatories:
  - name: '<svg onload={XSS}>Probe Person'
    role: '<script>{XSS}</script> Secretary'
recipients:
  - name: Kassym-Jomart Tokayev
    role: '<a href="javascript:{XSS}">President</a>'
cc:
  - '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>'
reference: '[ref](javascript:{XSS})'
source: '<a href="javascript:{XSS}">source</a>'
summary: 'Xssprobe summary <script>{XSS}</script> <img src=x onerror="{XSS}">'
notes: '<svg><script>{XSS}</script></svg>'
---

Xssprobe body: <script>{XSS}</script> hostile words.

<img src=x onerror="{XSS}"> an image with a handler.

[click the markdown link](javascript:{XSS}) and
<a href="javascript:{XSS}">click the raw link</a> and
<a href="jav&#x09;ascript:{XSS}">click the encoded link</a> and
<a href=" JaVaScRiPt:{XSS}" onclick="{XSS}">click the mixed link</a>.

<svg onload="{XSS}"><circle r="1"/></svg> an svg.

<iframe src="javascript:{XSS}"></iframe> an iframe.

<iframe srcdoc="<script>parent.__xss=1</script>"></iframe> another iframe.

<details open ontoggle="{XSS}">xssprobe details</details>

<math><mtext><table><mglyph><style><img src=x onerror="{XSS}"></style></mglyph></table>
</mtext></math>

<form action="javascript:{XSS}"><button formaction="javascript:{XSS}">go</button></form>

"><script>{XSS}</script> a breakout. <a href="https://127.0.0.1:1/">an outside link</a>
"""

DOM_CHECKS = """() => {
  const EMBEDDED = ['IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'STYLE', 'IMG', 'BASE',
                    'META', 'FORM'];
  const all = [...document.querySelectorAll('*')];
  const handlers = all.flatMap(el => [...el.attributes]
      .filter(a => a.name.toLowerCase().startsWith('on'))
      .map(a => el.tagName + ' ' + a.name));
  const urls = all.flatMap(el => ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc']
      .filter(name => el.hasAttribute(name))
      .map(name => [el.tagName, name, el.getAttribute(name)]));
  const scriptUrls = urls.filter(([tag, name, value]) => {
      if (name === 'srcdoc') return true;
      try { return new URL(value, location.href).protocol === 'javascript:'; }
      catch (e) { return false; }
  });
  return {
    xss: typeof window.__xss,
    scripts: [...document.querySelectorAll('script')].map(s => s.getAttribute('src')
        || `inline ${s.type || 'text/javascript'} #${s.id}`),
    handlers: handlers,
    scriptUrls: scriptUrls,
    embedded: all.filter(el => EMBEDDED.includes(el.tagName.toUpperCase())
                                && !(el.tagName === 'META' && el.closest('head'))
                                && !(el.tagName === 'FORM' && el.matches('[action="/search"]')))
                 .map(el => el.outerHTML.slice(0, 80)),
  };
}"""


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus plus one letter whose metadata and body are script payloads."""
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "letters" / f"{HOSTILE_ID}.md").write_text(HOSTILE, encoding="utf-8")
    root = corpus.parent / "index"
    report = LetterIndex(root).rebuild(corpus)
    assert not report.errors, report.errors
    return root


@pytest.fixture(scope="module")
def hostile_server(hostile_index: Path, serve: Any) -> Iterator[str]:
    with serve(hostile_index) as base:
        yield base


@pytest.fixture
def hostile_page(browser: Any, hostile_server: str) -> Iterator[tuple[Any, list[str]]]:
    """A page whose dialogs, script errors, console errors and outside requests are problems."""
    context = browser.new_context()
    problems: list[str] = []

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(hostile_server + "/"):
            request_route.continue_()
        else:
            problems.append(f"request outside the app: {request_route.request.url}")
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))  # fmt: skip
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    def on_console(msg: Any) -> None:
        own_status = msg.text.startswith("Failed to load resource") and (
            msg.location.get("url") == page.url  # the 404 page itself, not a resource in it
        )
        if msg.type in {"error", "warning"} and not own_status:
            problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    yield page, problems
    context.close()
    assert problems == []


def assert_inert(page: Any, problems: list[str]) -> None:
    found = page.evaluate(DOM_CHECKS)
    where = page.url
    assert found["xss"] == "undefined", where
    search_page = urlsplit(where).path in ("/", "/search")
    own = ["/static/app.js", "/static/search.js"] if search_page else ["/static/app.js"]
    # only the archive's own files, and the interface strings as data (never executed)
    assert found["scripts"] == [*own, "inline application/json #ui-text"], where
    assert found["handlers"] == [], where
    assert found["scriptUrls"] == [], where
    assert found["embedded"] == [], where
    assert problems == [], where


@pytest.mark.browser
def test_hostile_search_results_run_nothing(hostile_page: Any, hostile_server: str) -> None:
    page, problems = hostile_page
    page.goto(f"{hostile_server}/search?q=xssprobe")
    assert_inert(page, problems)
    assert page.locator(".hit-title a").all_inner_texts() == [HOSTILE_TITLE]
    assert page.locator(".snippet mark").count() > 0  # the snippets' own markup still works
    senders = page.locator("#facet-sender li.facet-item").evaluate_all(
        "items => items.map(li => li.dataset.value)"
    )
    assert HOSTILE_SENDER in senders

    with page.expect_navigation():  # select the hostile sender: it shows as a chip, as text
        page.locator("#facet-sender li.facet-item").filter(has_text="Probe Org").locator(
            "a.facet-link"
        ).click()
    assert_inert(page, problems)
    assert page.locator(".chip-label").all_inner_texts() == [HOSTILE_SENDER]
    assert page.locator(".hit-title a").all_inner_texts() == [HOSTILE_TITLE]


@pytest.mark.browser
def test_a_hostile_query_is_echoed_as_text(hostile_page: Any, hostile_server: str) -> None:
    page, problems = hostile_page
    bad_page = f"<b onmouseover={XSS}>2</b>"
    for url, echoed in [
        (f"/search?{urlencode({'q': HOSTILE_QUERY})}", HOSTILE_QUERY),
        (f"/search?{urlencode({'q': 'xssprobe ' + HOSTILE_QUERY, 'sender': HOSTILE_SENDER})}",
         HOSTILE_SENDER),
        (f"/letters/{HOSTILE_ID}?{urlencode({'q': HOSTILE_QUERY})}", HOSTILE_QUERY),
        (f"/letters/nope{quote(HOSTILE_QUERY, safe='')}", "nope" + HOSTILE_QUERY),  # 404 page
        (f"/search?{urlencode({'q': HOSTILE_QUERY, 'page': bad_page})}", bad_page),  # 400 page
    ]:  # fmt: skip
        page.goto(hostile_server + url)
        assert_inert(page, problems)
        assert echoed in page.locator("main").inner_text(), url
    page.goto(f"{hostile_server}/search?{urlencode({'q': HOSTILE_QUERY})}")
    assert page.locator("#q").input_value() == HOSTILE_QUERY
    assert page.locator("#results-heading").inner_text() == f"Letters matching “{HOSTILE_QUERY}”"
    assert page.title().startswith(HOSTILE_QUERY)


@pytest.mark.browser
def test_a_hostile_letter_runs_nothing(hostile_page: Any, hostile_server: str) -> None:
    page, problems = hostile_page
    url = f"{hostile_server}/letters/{HOSTILE_ID}?q=xssprobe"
    page.goto(url)
    assert_inert(page, problems)
    assert page.locator("h1#letter-title").inner_text() == HOSTILE_TITLE
    assert page.title().startswith(HOSTILE_TITLE)
    meta = page.locator(".letter-meta").inner_text()
    assert HOSTILE_SENDER in meta and f"<script>{XSS}</script> Secretary" in meta
    text = page.locator(".letter-text").inner_text()
    assert "Xssprobe body:" in text and "a breakout." in text
    assert page.locator(".letter-text mark").count() > 0

    for label in ("markdown", "raw", "encoded", "mixed"):
        link = page.locator(".letter-text a", has_text=f"click the {label} link")
        assert link.count() == 1, label
        assert link.get_attribute("href") is None, label  # the sanitiser dropped the URL
        link.click()
        page.wait_for_timeout(50)
        assert page.url == url, label
        assert_inert(page, problems)
    outside = page.locator(".letter-text a", has_text="an outside link")
    assert outside.get_attribute("href") == "https://127.0.0.1:1/"
    assert outside.get_attribute("rel") == "nofollow noopener"

    places = []
    for link in page.locator(".letter-meta a").all():  # searches, people, places, letters
        href = link.get_attribute("href") or ""
        allowed = ("/search?", "/api/letters/", "/people/", "/places/", "/letters/")
        assert href.startswith(allowed), href
        if href.startswith("/places/"):
            places.append(href)
    assert places
    for href in places:  # the hostile place's own page runs nothing either
        page.goto(hostile_server + href)
        assert_inert(page, problems)
        assert page.locator("h1").inner_text().endswith("Oslo")


@pytest.mark.browser
def test_the_dom_checks_see_active_content(browser: Any) -> None:
    """The checks above are not vacuous: on a page that does run a payload, each one fires."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            f'<script src="/static/app.js"></script><p><img src="data:," onerror="{XSS}">'
            f'<a href="  JAVA\tscript:{XSS}">x</a><iframe srcdoc="x"></iframe></p>'
        )
        found = page.evaluate(DOM_CHECKS)
        assert found["xss"] == "number"
        assert found["handlers"] == ["IMG onerror"]
        assert [tag for tag, _name, _value in found["scriptUrls"]] == ["A", "IFRAME"]
        assert [html[:7] for html in found["embedded"]] == ["<img sr", "<iframe"]
        with pytest.raises(AssertionError):
            assert_inert(page, [])
    finally:
        context.close()


# -- a real server refuses what the test client cannot send ---------------------------------


def raw_request(base: str, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """A request sent as written: no client-side normalisation of ``..`` or escapes."""
    netloc = urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.headers), body
    finally:
        connection.close()


def test_the_real_server_refuses_traversal_and_other_methods(hostile_server: str) -> None:
    for url in TRAVERSALS:
        status, headers, body = raw_request(hostile_server, "GET", url)
        target = merged_redirect(status, headers.get("Location", ""), url)
        if target is not None:
            status, headers, body = raw_request(hostile_server, "GET", target)
        assert_not_found(status, body, url)
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, (url, name)
    for url in ["/", "/api/search", f"/letters/{LO_2021}", "/static/app.js"]:
        for method in ("POST", "PUT", "DELETE"):
            status, headers, body = raw_request(hostile_server, method, url)
            assert status == 405, (method, url, status)
            assert headers.get("X-Frame-Options") == "DENY"
        status, headers, body = raw_request(hostile_server, "HEAD", url)
        assert status == 200 and body == b"", url
    status, headers, body = raw_request(hostile_server, "GET", "/static/style.css")
    assert status == 200 and b"{" in body
    assert headers.get("Content-Security-Policy") == SECURITY_HEADERS["Content-Security-Policy"]

"""Hostile and malformed requests (issue 5): generated parameters, ids and paths never cause a
server error; every response carries the security headers; only GET and HEAD are served;
paths cannot leave the static folder; and a letter full of script payloads runs nothing in a
real browser (checked in chromium's DOM, not only in the HTML text)."""

from __future__ import annotations

import http.client
import json
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from indexer.engine.index import LetterIndex
from webapp.security import SECURITY_HEADERS

pytest_plugins = ["servers"]
# A failing Hypothesis test imports libcst (to suggest a patch), which imports a deprecated
# mypy_extensions name; with warnings as errors that hides the falsifying example.
pytestmark = pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict:DeprecationWarning")

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
LO_2021 = "2021-02-09-lo-norway-trade-union-rights-violations"
ITUC_2024 = "2024-01-19-ituc-west-oil-software-striker-dismissals"
LETTER_IDS = {path.stem for path in (CORPUS / "letters").glob("*.md")}
OK_STATUSES = {200, 400, 404}
SETTINGS = {
    "deadline": timedelta(seconds=2),
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}




def assert_secure(response: TestResponse | http.client.HTTPResponse, where: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (where, name)


def merged_redirect(status: int, location: str, url: str) -> str | None:
    """The path of Werkzeug's 308 for a path with ``//`` (after decoding), checked to stay
    on this host and to merge the slashes only; None for any other answer."""
    if status != 308:
        return None
    target = urlsplit(location)
    assert target.netloc in {"", "localhost"} or target.netloc.startswith("127.0.0.1:"), url
    path = unquote(urlsplit(url).path)
    assert "//" in path and "//" not in target.path, (url, location)
    assert unquote(target.path) == re.sub("/+", "/", path), (url, location)
    return target.path


def assert_answered(response: TestResponse, url: str, method: str = "GET") -> None:
    """200, 400 or 404 with the security headers, in the format of the route (JSON or HTML).

    The one exception: Werkzeug answers a path with ``//`` by a 308 to the same path with the
    slashes merged, on the same host."""
    assert_secure(response, url)
    event(f"{method} {response.status_code}")  # see --hypothesis-show-statistics
    if merged_redirect(response.status_code, response.headers.get("Location", ""), url):
        response.close()
        return
    assert response.status_code in OK_STATUSES, (url, response.status_code)
    if method == "HEAD":
        assert response.data == b"", url
    elif urlsplit(url).path.startswith("/api/"):
        assert response.mimetype == "application/json", url
        data = json.loads(response.data)
        assert ("error" in data) == (response.status_code != 200), url
    else:
        assert response.mimetype == "text/html", url
        assert b"Traceback" not in response.data, url
    response.close()


# -- generated requests (Hypothesis) -----------------------------------------------------------

FREE_KEYS = ["q", "q", "q", "sender", "signatory", "recipient", "type", "language", "mention"]
CHECKED_KEYS = ["year", "from", "to", "sort", "page", "per_page", "year", "from", "to", "sort",
                "page", "per_page", "explain", "Q", "q[]", "", "page ", "sender\x00"]  # fmt: skip
NASTY = ["", " ", "\x00", "..", "../../setup.cfg", "%2f", "%00", "\u202e", "\ufeff", "💥",
         "ü" * 300,
         "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
         "*", "a*", "*:*", "~", "strike~9", '"', "(", ")", "NOT", "AND OR", "[a TO", "{", "\\",
         "date:2021..1999", "date:99999", "mention:<x", "title:(", "sender:", "0", "-1", "1e9",
         "99999999999999999999999", "2021-02-30", "2021-13", "0000", "9999-12-31", "newest",
         "relevance", "International Trade Union Confederation (ITUC)", "2024", "en",
         "a" * 5000]  # fmt: skip
QUERY_WORDS = ["strike", "right", "OR", "AND", "NOT", "(", ")", '"', "*", "?", "~", "~2", "^2",
               "-", "stri*", "dismisal~", "sender:", "by:", "to:", "title:", "date:", "date:2021",
               "date:2024-02..2021", "mention:cituk", "lang:xx", "Høie", "Токаев", "KNPRK", "C087",
               "21/386-1", ":", "[", "]", "{", "}", "\\", "'", "’", "\x00"]  # fmt: skip
QUERIES = st.lists(st.sampled_from(QUERY_WORDS), max_size=8).flatmap(
    lambda words: st.sampled_from([" ", ""]).map(lambda sep: sep.join(words))
)
VALUES = st.one_of(
    st.text(max_size=40),
    QUERIES,
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.dates().map(lambda d: d.isoformat()[: 4 + 3 * (d.day % 3)]),
)
PARAMS = st.tuples(
    st.lists(st.tuples(st.sampled_from(FREE_KEYS), VALUES), max_size=5),  # any value is valid
    st.one_of(  # half the time, values the library checks or unknown names: often a 400
        st.just([]),
        st.lists(
            st.tuples(st.one_of(st.sampled_from(CHECKED_KEYS), st.text(max_size=8)), VALUES),
            min_size=1,
            max_size=2,
        ),
    ),
).map(lambda lists: lists[0] + lists[1])
RAW_QUERY = st.one_of(  # sometimes unbalanced escapes and separators after the parameters
    st.just(""), st.just(""), st.text(alphabet="%&=;+?#/az09 .-", max_size=30)
)
IDS = st.one_of(
    st.text(min_size=1, max_size=60),
    st.sampled_from([*NASTY, "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a/../b", LO_2021,
                     LO_2021 + "\x00", LO_2021.upper(), " " + LO_2021, "..%5c..%5csetup.cfg",
                     "%252e%252e%252f"]),
    st.tuples(st.sampled_from(["a", "..", "%2f", "/", "ü", "\x00", LO_2021]),
              st.integers(min_value=1, max_value=400)).map(lambda t: t[0] * t[1]),
)  # fmt: skip
METHODS = st.sampled_from(["GET", "GET", "GET", "HEAD"])


@settings(max_examples=1000, **SETTINGS)
@given(
    path=st.sampled_from(["/", "/search", "/api/search"]),
    params=PARAMS,
    raw=RAW_QUERY,
    method=METHODS,
)
def test_any_search_parameters_are_answered(
    client: FlaskClient, path: str, params: list[tuple[str, str]], raw: str, method: str
) -> None:
    query = urlencode(params)
    url = f"{path}?{query}&{raw}" if raw else f"{path}?{query}"
    assert_answered(client.open(url, method=method), url, method)


@settings(max_examples=600, **SETTINGS)
@given(
    prefix=st.sampled_from(["/letters/", "/api/letters/"]),
    letter_id=IDS,
    encode=st.booleans(),
    method=METHODS,
)
def test_any_letter_id_is_answered(
    client: FlaskClient, prefix: str, letter_id: str, encode: bool, method: str
) -> None:
    url = prefix + (quote(letter_id, safe="") if encode else quote(letter_id, safe="/%.?#&="))
    response = client.open(url, method=method)
    assert_answered(response, url, method)
    routed = unquote(urlsplit(url).path.removeprefix(prefix))  # "?" and "#" may end the path
    if "//" not in unquote(urlsplit(url).path):
        assert response.status_code == (200 if routed in LETTER_IDS else 404), url


@settings(max_examples=400, **SETTINGS)
@given(letter_id=st.sampled_from([LO_2021, ITUC_2024]), params=PARAMS, method=METHODS)
def test_a_letter_page_answers_any_search_context(
    client: FlaskClient, letter_id: str, params: list[tuple[str, str]], method: str
) -> None:
    """The query string of a letter page (the search that led there, ``q`` to highlight)."""
    url = f"/letters/{letter_id}?{urlencode(params)}"
    response = client.open(url, method=method)
    assert_answered(response, url, method)
    assert response.status_code == 200, url  # a bad context is ignored, never an error


# -- methods, paths and headers ----------------------------------------------------------------

ROUTES = ["/", "/search?q=strike", "/help", "/api/search", f"/letters/{LO_2021}",
          f"/api/letters/{LO_2021}", "/letters/nope", "/static/app.js", "/static/style.css",
          "/nowhere"]  # fmt: skip


@pytest.mark.parametrize("url", ROUTES)
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_only_get_and_head_are_served(client: FlaskClient, url: str, method: str) -> None:
    response = client.open(url, method=method, data=b"x=1", content_type="text/plain")
    expected = 404 if url == "/nowhere" else 405
    assert response.status_code == expected, (method, url)
    assert_secure(response, url)
    if expected == 405:
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert {"GET", "HEAD"} <= allowed and not allowed & {"POST", "PUT", "DELETE", "PATCH"}
    assert b"Traceback" not in response.data
    response.close()


@pytest.mark.parametrize("url", ROUTES[:-1])
def test_head_answers_like_get_without_a_body(client: FlaskClient, url: str) -> None:
    get, head = client.get(url), client.head(url)
    assert head.status_code == get.status_code
    assert head.data == b""
    assert_secure(head, url)
    get.close()
    head.close()


TRAVERSALS = [
    "/static/../setup.cfg", "/static/%2e%2e/setup.cfg", "/static/..%2fsetup.cfg",
    "/static/%2e%2e%2fsetup.cfg", "/static/..%2F..%2Fsetup.cfg", "/static/..\\setup.cfg",
    "/static/%5c..%5csetup.cfg", "/static/..%5csetup.cfg", "/static/.%2e/setup.cfg",
    "/static/../../../../../../etc/passwd", "/static/%2fetc%2fpasswd", "/static//etc/passwd",
    "/static/%252e%252e/setup.cfg", "/static/app.js%00.cfg", "/static/..%00/setup.cfg",
    "/static/../webapp/__init__.py", "/static/../templates/base.html", "/%2e%2e/setup.cfg",
    "/letters/..%2F..%2Fetc%2Fpasswd", "/letters/../../setup.cfg", "/letters/%2e%2e%2fsetup.cfg",
    "/api/letters/..%2F..%2Fsetup.cfg", "/api/letters/..%2f..%2fetc%2fpasswd",
    "/letters/..%252F..%252Fsetup.cfg",
]  # fmt: skip
SECRETS = [b"[metadata]", b"root:x:0:0", b"install_requires", b"create_app", b"{% extends"]


def assert_not_found(status: int, body: bytes, url: str) -> None:
    assert status in {400, 404}, (url, status)  # 400: a request the server refuses to parse
    for secret in SECRETS:
        assert secret not in body, (url, secret)


@pytest.mark.parametrize("url", TRAVERSALS)
def test_paths_cannot_leave_the_static_folder(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert_secure(response, url)
    target = merged_redirect(response.status_code, response.headers.get("Location", ""), url)
    if target is not None:  # /static/%2fetc%2fpasswd -> /static/etc/passwd, a plain 404
        response.close()
        response = client.get(target)
    assert response.status_code == 404, url
    assert_not_found(response.status_code, response.data, url)
    assert_secure(response, url)
    response.close()


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
    scripts: [...document.querySelectorAll('script')].map(s => s.getAttribute('src')),
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
    assert found["scripts"] == ["/static/app.js"], where
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
            "a"
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

    for link in page.locator(".letter-meta a").all():  # metadata links are plain searches
        href = link.get_attribute("href") or ""
        assert href.startswith(("/search?", "/api/letters/")), href


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

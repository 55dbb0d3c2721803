"""The Flask app: the JSON API, errors, security headers, hostile letters, structure rules,
the background warmer."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from indexer.engine.index import LetterIndex
from tests.conftest import IDS, INDUSTRIALL, ITUC
from tests.pagedom import (
    api,
    get_page,
    parse,
    search_json,
)
from webapp import create_app
from webapp.security import CONTENT_SECURITY_POLICY

REPO = Path(__file__).resolve().parent.parent


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
    meta = letter.metadata()
    assert meta.pop("passage_languages") == {}  # the seed letters are English throughout
    assert data == {
        **meta,
        "passages": [
            {"n": n, "kind": kind, "text": text, "language": "en"}
            for n, kind, text in letter.passages
        ],
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


def test_an_unexpected_error_is_a_plain_500_page(
    index_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app({"INDEX_PATH": str(index_root), "PROPAGATE_EXCEPTIONS": False})

    def broken() -> str:
        raise RuntimeError("secret detail")

    app.add_url_rule("/broken", view_func=broken)
    # the logger is the process's "webapp" logger: quiet here only (test_errors reads it)
    monkeypatch.setattr(app.logger, "disabled", True)
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


def test_the_csp_allows_only_the_sites_own_scripts_and_styles_and_no_framing(
    client: FlaskClient,
) -> None:
    header = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert "unsafe" not in header
    assert {name: directives.get(name) for name in
            ("default-src", "script-src", "style-src", "frame-ancestors", "base-uri")} == {
        "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
        "frame-ancestors": "'none'", "base-uri": "'none'",
    }  # fmt: skip


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
        scripts = ['<script src="/static/app.js" defer>']
        if url.startswith("/search") or url == "/":  # the search page's filters
            scripts.append('<script src="/static/search.js" defer>')
        scripts.append('<script type="application/json" id="ui-text">')  # data, never run
        assert re.findall(r"<script\b[^>]*>", html, re.I) == scripts, url
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


def test_templates_have_no_inline_scripts_or_styles() -> None:
    for path in (WEBAPP / "templates").glob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert "style=" not in source and "<style" not in source, path
        # scripts are files; the one block of data (the strings scripts show) never runs
        assert re.findall(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", source) == [], (
            path
        )
        assert not re.search(r"\son\w+=", source), path
        assert "|safe" not in source, path


def test_create_app_reads_the_environment_when_called(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LETTERS_INDEX", str(tmp_path / "idx"))
    monkeypatch.setenv("LETTERS_CORPUS", str(tmp_path / "corpus"))
    app = create_app()
    assert app.config["INDEX_PATH"] == str(tmp_path / "idx")
    assert app.config["CORPUS_PATH"] == str(tmp_path / "corpus")


def test_a_served_app_builds_the_shared_tables_in_the_background(tmp_path, corpus_copy) -> None:  # type: ignore[no-untyped-def]
    """Outside tests, the app builds a new index generation's facet tables, whole-archive
    counts and parties itself, before any search or person page asks for them."""
    import time

    from indexer.engine import gencache
    from indexer.engine.index import LetterIndex

    letters = LetterIndex(tmp_path / "index")
    letters.rebuild(corpus_copy)
    searcher = letters.searcher()
    assert "facets" not in gencache.built(searcher.reader())
    app = create_app({"INDEX_PATH": str(tmp_path / "index"), "WARM_SECONDS": 0.05})
    try:
        # polled: done in well under a second on a quiet machine, the bound only ends a failure
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "people" not in gencache.built(searcher.reader()):
            time.sleep(0.02)
        assert {"facets", "dates", "all-facets", "cc", "people"} <= gencache.built(
            searcher.reader()
        )
    finally:
        app.extensions["letters_warmer"].stop()
        searcher.close()
    assert "letters_warmer" not in create_app({"TESTING": True}).extensions  # off in tests

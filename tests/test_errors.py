"""Only the errors we mean are caught: the parser's own errors fall back to plain words, an
index that cannot be opened is a 503, and anything else is a bug that is logged and answered
with a real 500 (tests see it)."""

from __future__ import annotations

import errno
import logging
import shutil
from pathlib import Path

import pytest
from whoosh.qparser.common import QueryParserError

from indexer.engine import query as engine_query
from indexer.engine.index import IndexUnreadable, LetterIndex
from indexer.engine.query import parse_query
from indexer.engine.schema import build_schema
from indexer.request import SearchRequest
from webapp import create_app
from webapp.session import UNREADABLE_INDEX

SCHEMA = build_schema()


class BrokenParser:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def parse(self, text: str) -> None:
        raise self.error


def test_a_parser_error_falls_back_to_the_words(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        engine_query, "query_parser", lambda *_args: BrokenParser(QueryParserError("x"))
    )
    parsed = parse_query("right to strike", SCHEMA)
    assert parsed.fallback is True
    assert "strike" in parsed.explain()


def test_any_other_error_of_the_parser_is_not_hidden(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(engine_query, "query_parser", lambda *_args: BrokenParser(KeyError("bug")))
    with pytest.raises(KeyError, match="bug"):
        parse_query("right to strike", SCHEMA)


@pytest.mark.parametrize(
    "q",
    ["~~~", "a NOT AND b", "(<)(*", "< title: to: workers", "x ANDNOT ANDNOT y", "doc:abc~", "x~"],
)
def test_whooshs_plugin_failures_are_fixed_not_caught(q: str) -> None:
    """AttributeError, IndexError, NotImplementedError, AssertionError and a bare Exception
    came out of Whoosh's plugins for these."""
    assert engine_query.query_parser(SCHEMA).parse(q) is not None  # no exception at all


def test_a_phrase_on_a_field_without_positions_searches_its_words(session) -> None:  # type: ignore[no-untyped-def]
    """Whoosh refuses it while matching; it was re-parsed without the authority file."""
    both = session.search(SearchRequest(q='mention:"cituk ituc"'))
    assert both.fallback is False
    assert "mention:cituk AND mention:ituc" in both.explain
    assert both.total == session.search(SearchRequest(q="mention:cituk mention:ituc")).total > 0


# -- the web app ---------------------------------------------------------------------------------


def test_a_bug_in_a_view_is_a_logged_500_not_a_503(index_root: Path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """An OSError of a search (not of opening the index) was answered 'index unreadable'."""

    def broken(self, request):  # type: ignore[no-untyped-def]
        raise OSError(errno.EIO, "a bug reading something else")

    monkeypatch.setattr("indexer.archive.ArchiveSession.search", broken)
    app = create_app(
        {"INDEX_PATH": str(index_root), "PROPAGATE_EXCEPTIONS": False, "WARM_SECONDS": 0}
    )
    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        page = client.get("/search?q=strike")
        api = client.get("/api/search?q=strike")
    assert page.status_code == api.status_code == 500
    assert "a bug reading something else" not in page.get_data(as_text=True)
    assert api.get_json() == {
        "error": "The server could not answer this request. Please try again later."
    }
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert len(logged) == 2
    assert all("a bug reading something else" in str(r.exc_info[1]) for r in logged)


def test_with_testing_on_the_bug_reaches_the_test(index_root: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(self, request):  # type: ignore[no-untyped-def]
        raise OSError(errno.EIO, "a bug reading something else")

    monkeypatch.setattr("indexer.archive.ArchiveSession.search", broken)
    client = create_app({"TESTING": True, "INDEX_PATH": str(index_root)}).test_client()
    with pytest.raises(OSError, match="a bug reading something else"):
        client.get("/api/search?q=strike")


@pytest.fixture
def unreadable_index(index_root: Path, tmp_path: Path) -> Path:
    """A copy of the index whose current generation lost its term and posting files."""
    root = tmp_path / "index"
    shutil.copytree(index_root, root, symlinks=True)
    generation = (root / "current").resolve()
    for path in generation.iterdir():
        if path.suffix in {".trm", ".pst"}:
            path.unlink()
    return root


def test_an_index_that_cannot_be_opened_is_unreadable(unreadable_index: Path) -> None:
    with pytest.raises(IndexUnreadable, match="cannot be read") as caught:
        LetterIndex(unreadable_index).searcher()
    assert isinstance(caught.value.__cause__, OSError)


def test_an_index_that_cannot_be_opened_is_a_503(unreadable_index: Path) -> None:
    client = create_app({"TESTING": True, "INDEX_PATH": str(unreadable_index)}).test_client()
    page = client.get("/search?q=strike")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "60"
    api = client.get("/api/search?q=strike")
    assert api.status_code == 503
    assert api.get_json() == {"error": UNREADABLE_INDEX}

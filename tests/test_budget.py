"""Every search is bounded in time: one budget from parsing to the suggestion, fuzzy terms of
at most two edits, capped expansions, and a configurable limit (Archive, Flask config,
environment, ``letters serve``). Timed on the seed letters and on an index of 1,500 messages
of 20 Newsgroups, where the unbounded stages took seconds."""

from __future__ import annotations

import json
import random
import string
import urllib.request
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from indexer.archive import Archive
from indexer.engine.budget import Budget
from indexer.engine.expansion import MAX_EXPANSION, MAX_QUERY_EXPANSION, Expander
from indexer.engine.index import LetterIndex
from indexer.engine.query import MAX_EDITS, parse_query
from indexer.engine.schema import build_schema
from indexer.links import ArchiveLinks
from indexer.request import SearchRequest
from tests.timing import assert_within, timed
from webapp import create_app

SMALL_BUDGET = 0.5
SLACK = 0.5  # what a search may overrun its budget by on a quiet machine (tests/timing.py)
SCHEMA = build_schema()
PLAIN = "windows"  # one plain word: the reference a bounded search's time is judged by
TEN_FUZZY = "window~2 space~2 drive~2 system~2 people~2 program~2 christian~2 government~2 question~2 israel~2"  # noqa: E501


@pytest.fixture(scope="session")
def news_root(news_archive: tuple[Path, Path]) -> Path:
    """The index of about 1,570 newsgroup messages (tests/corpora.py), its tables warmed."""
    index = news_archive[1]
    Archive(index).warm()  # the per-generation tables, built once as a server does
    return index


def fetch_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


def search(archive: Archive, q: str) -> tuple[Any, float]:
    with archive.session() as session:
        return timed(lambda: session.search(SearchRequest(q=q)))


# -- fuzzy terms and expansions ------------------------------------------------------------------


def test_a_large_edit_distance_is_clamped_and_fast(archive: Archive) -> None:
    """``strike~9`` took seconds on the five seed letters (a distance-9 automaton)."""
    result, seconds = search(archive, "strike~9")
    assert_within(seconds, 0.5, lambda: search(archive, "strike"), SLACK, "strike~9")
    assert result.timed_out is False
    assert "strike~2" in result.explain and "~9" not in result.explain
    assert result.total == search(archive, "strike~2")[0].total
    parsed = parse_query("strike~9", SCHEMA)
    assert parsed.query is not None
    fuzzy = [q for q in parsed.query.leaves() if isinstance(q, wq.FuzzyTerm)]
    assert fuzzy and {q.maxdist for q in fuzzy} == {MAX_EDITS}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.text(alphabet=string.printable, min_size=1, max_size=6), min_size=1, max_size=3))
def test_random_characters_with_a_large_distance_answer_in_time(
    index_root: Path, words: list[str]
) -> None:
    """A few random printable characters with ``~9`` did not answer within 60 s."""
    client = create_app(
        {"TESTING": True, "INDEX_PATH": str(index_root), "SEARCH_SECONDS": SMALL_BUDGET}
    ).test_client()
    q = " ".join(f"{word}~9" for word in words)
    response, seconds = timed(lambda: client.get("/api/search?" + urlencode({"q": q})))
    assert response.status_code == 200, q
    assert_within(seconds, SMALL_BUDGET, lambda: client.get("/api/search?q=strike"), SLACK, q)


def test_every_expanding_term_is_capped(news_root: Path) -> None:
    with closing(LetterIndex(news_root).snapshot(5.0)) as snapshot:
        reader = snapshot.searcher.reader()
        for term in (
            wq.FuzzyTerm("body", "an", maxdist=2, prefixlength=0),
            wq.Wildcard("body", "co?*"),
            wq.Prefix("body", "co"),
            wq.TermRange("body", "a", "m"),
        ):
            expanded = Expander(reader, Budget(30.0)).expand(term)
            assert isinstance(expanded, wq.Or), term
            assert len(expanded.subqueries) == MAX_EXPANSION, term
            assert all(isinstance(t, wq.Term) for t in expanded.subqueries)
        prefixes = ["co", "ca", "ma", "st", "pr", "re", "de", "in", "th", "se", "pa", "di"]
        many = wq.Or([wq.Prefix("body", prefix) for prefix in prefixes])
        expanded = Expander(reader, Budget(30.0)).expand(many)
        sizes = [len(q.subqueries) if isinstance(q, wq.Or) else 0 for q in expanded.subqueries]
        share = MAX_QUERY_EXPANSION // len(prefixes)  # each word gets its share, the last too
        assert all(share <= size <= MAX_EXPANSION for size in sizes), sizes
        assert sum(sizes) <= MAX_QUERY_EXPANSION


def test_a_capped_prefix_stands_for_its_most_frequent_words(news_root: Path) -> None:
    with closing(LetterIndex(news_root).snapshot(5.0)) as snapshot:
        reader = snapshot.searcher.reader()
        expanded = Expander(reader, Budget(30.0)).expand(wq.Prefix("body", "th"))
        assert isinstance(expanded, wq.Or)
        kept = [t.text for t in expanded.subqueries]
        every = [reader.schema["body"].from_bytes(b) for b in reader.expand_prefix("body", "th")]
        assert len(every) > MAX_EXPANSION and len(kept) == MAX_EXPANSION
        frequency = {text: reader.doc_frequency("body", text) for text in every}
        assert min(frequency[t] for t in kept) >= max(frequency[t] for t in every if t not in kept)


def test_expansion_stops_when_the_budget_is_spent(news_root: Path) -> None:
    with closing(LetterIndex(news_root).snapshot(5.0)) as snapshot:
        reader = snapshot.searcher.reader()
        budget = Budget(1e-9)
        expanded = Expander(reader, budget).expand(wq.FuzzyTerm("body", "strike", maxdist=2))
    assert expanded is wq.NullQuery
    assert budget.timed_out is True


# -- one budget for a whole search ---------------------------------------------------------------


def test_ten_fuzzy_words_answer_within_the_budget(news_root: Path) -> None:
    """Ten ``word~2`` terms took 25 s on about 2,000 letters and said ``timed_out: false``."""
    archive = Archive(news_root, search_seconds=SMALL_BUDGET)
    result, seconds = search(archive, TEN_FUZZY)
    assert_within(seconds, SMALL_BUDGET, lambda: search(archive, PLAIN), SLACK, TEN_FUZZY)
    assert result.timed_out is True
    assert result.to_json(ArchiveLinks())["timed_out"] is True


def test_a_cut_search_still_fills_its_page(news_root: Path) -> None:
    """Scoring cut short: the letters found but not ranked follow the ranked ones."""
    archive = Archive(news_root, search_seconds=SMALL_BUDGET)
    result, seconds = search(archive, "windows~2")
    assert_within(seconds, SMALL_BUDGET, lambda: search(archive, PLAIN), SLACK, "windows~2")
    if result.timed_out:
        assert len(result.hits) == min(result.total, 10)
        assert len({hit.id for hit in result.hits}) == len(result.hits)


def test_the_page_says_a_search_was_cut(news_root: Path) -> None:
    app = create_app(
        {"TESTING": True, "INDEX_PATH": str(news_root), "SEARCH_SECONDS": SMALL_BUDGET}
    )
    client = app.test_client()
    response, seconds = timed(lambda: client.get("/search?" + urlencode({"q": TEN_FUZZY})))
    assert response.status_code == 200
    assert_within(seconds, SMALL_BUDGET, lambda: client.get(f"/search?q={PLAIN}"), SLACK)
    assert "This search took too long and was stopped" in response.get_data(as_text=True)
    data = client.get("/api/search?" + urlencode({"q": TEN_FUZZY})).get_json()
    assert data["timed_out"] is True


def test_a_real_server_takes_its_limit_from_the_environment(
    news_root: Path, serve: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LETTERS_SEARCH_SECONDS", str(SMALL_BUDGET))
    with serve(news_root) as base:
        with urllib.request.urlopen(base + "/api/search?q=warm", timeout=30) as response:
            assert response.status == 200  # the index's tables are built for this generation
        data, seconds = timed(
            lambda: fetch_json(base + "/api/search?" + urlencode({"q": TEN_FUZZY}))
        )
        assert_within(
            seconds, SMALL_BUDGET, lambda: fetch_json(f"{base}/api/search?q={PLAIN}"), SLACK
        )
    assert data["timed_out"] is True


def test_a_zero_hit_suggestion_stays_within_the_budget(news_root: Path) -> None:
    """The suggestion walked the whole vocabulary for every unknown word (over a second)."""
    words = [
        "computr", "graphcs", "intrnet", "univrsity", "sofware", "goverment", "relgion",
        "hardwre", "keybord", "monitr", "scince", "medicin", "engin", "satelite",
    ]  # fmt: skip
    q = " ".join(words)
    archive = Archive(news_root, search_seconds=SMALL_BUDGET)
    result, seconds = search(archive, q)
    assert result.total == 0
    assert_within(seconds, SMALL_BUDGET, lambda: search(archive, PLAIN), SLACK, q)
    if result.timed_out:
        assert result.suggestion is None  # an unfinished suggestion is left out
    assert search(Archive(news_root), "computr graphcs")[0].suggestion == "computer graphics"


def test_a_zero_hit_query_of_random_words_stays_within_the_budget(news_root: Path) -> None:
    rng = random.Random(7)
    archive = Archive(news_root, search_seconds=SMALL_BUDGET)
    for _ in range(5):
        q = " ".join(
            "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 12)))
            for _ in range(40)
        )
        result, seconds = search(archive, q)
        assert result.total == 0
        assert_within(seconds, SMALL_BUDGET, lambda: search(archive, PLAIN), SLACK, q)


# -- the limit is configurable -------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, "abc", "", float("nan"), float("inf"), None])
def test_a_bad_limit_is_refused_with_a_message(index_root: Path, bad: object) -> None:
    with pytest.raises(ValueError, match="search time limit"):
        Archive(index_root, search_seconds=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="search time limit"):
        create_app({"TESTING": True, "INDEX_PATH": str(index_root), "SEARCH_SECONDS": bad})


def test_the_limit_comes_from_config_then_environment(index_root: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def limit(config: dict[str, Any]) -> float:
        app = create_app({"TESTING": True, "INDEX_PATH": str(index_root), **config})
        archive = app.extensions["letters_archive"]
        with archive.session() as session:
            assert session.search_seconds == archive.search_seconds
        return float(archive.search_seconds)

    monkeypatch.delenv("LETTERS_SEARCH_SECONDS", raising=False)
    assert limit({}) == 5.0
    assert limit({"SEARCH_SECONDS": 2.5}) == 2.5
    monkeypatch.setenv("LETTERS_SEARCH_SECONDS", "1.0")
    assert limit({}) == 1.0  # read when the app is created, not at import
    assert limit({"SEARCH_SECONDS": 2.5}) == 2.5  # an explicit setting wins
    monkeypatch.setenv("LETTERS_SEARCH_SECONDS", "soon")
    with pytest.raises(ValueError, match="'soon' is not a number of seconds"):
        create_app({"TESTING": True, "INDEX_PATH": str(index_root)})


def test_serve_passes_its_limit_to_the_app(index_root: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from indexer.cli.main import cli

    built: list[Any] = []

    def fake_serve(make_app: Callable[[], Any], *args: Any) -> int:
        built.append(make_app())
        return 0

    monkeypatch.setattr("webapp.server.serve", fake_serve)
    monkeypatch.delenv("LETTERS_SEARCH_SECONDS", raising=False)
    runner = CliRunner()
    index = ["--index", str(index_root)]
    result = runner.invoke(cli, ["serve", "--search-seconds", "0.75", *index])
    assert result.exit_code == 0, result.output
    assert built[-1].extensions["letters_archive"].search_seconds == 0.75
    result = runner.invoke(cli, ["serve", *index], env={"LETTERS_SEARCH_SECONDS": "1.5"})
    assert result.exit_code == 0, result.output
    assert built[-1].extensions["letters_archive"].search_seconds == 1.5
    result = runner.invoke(cli, ["serve", "--search-seconds", "0", *index])
    assert result.exit_code == 2 and "--search-seconds" in result.output
    result = runner.invoke(cli, ["serve", *index], env={"LETTERS_SEARCH_SECONDS": "-3"})
    assert result.exit_code == 1
    assert "LETTERS_SEARCH_SECONDS" in result.output and "more than 0 seconds" in result.output

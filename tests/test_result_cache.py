"""The results cache: a repeated request gets the same result as a fresh search, a changed
index is never answered from it, it stays within its bound, and threads share it safely."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import Archive
from indexer.cli.main import cli
from indexer.engine.index import LetterIndex
from indexer.engine.resultcache import ResultCache, request_key
from indexer.request import SearchRequest
from indexer.results import SearchResult
from tests.conftest import IDS
from webapp import create_app

REQUESTS = [
    SearchRequest(q="strike"),
    SearchRequest(q="strike", page=2, per_page=2),
    SearchRequest(q="trade union rights", filters={"year": ("2021",)}),
    SearchRequest(q="dismisal"),  # a suggestion
    SearchRequest(q="workers", exclude={"sender": ("IndustriALL Global Union",)}),
    SearchRequest(sort="oldest"),
    SearchRequest(q='"right to strike"', date_from="2024"),
]


@pytest.fixture(scope="module")
def uncached(index_root: Path) -> Archive:
    return Archive(index_root, result_cache=0)


@pytest.mark.parametrize("request_", REQUESTS, ids=str)
def test_a_kept_result_is_the_fresh_result(index_root: Path, uncached: Archive, request_) -> None:  # type: ignore[no-untyped-def]
    cached = Archive(index_root)
    with uncached.session() as session:
        fresh = session.search(request_)
    with cached.session() as session:
        first = session.search(request_)
    with cached.session() as session:
        again = session.search(request_)
    assert cached.results.hits == 1 and cached.results.misses == 1
    assert first == fresh
    assert again == fresh
    assert again is not first  # each caller has a copy of its own to change


def test_equal_requests_share_an_entry(index_root: Path) -> None:
    cached = Archive(index_root)
    typed = SearchRequest(q="  strike ", filters={"year": ("2024",), "type": ("letter",)})
    same = SearchRequest(q="strike", filters={"type": ("letter",), "year": ("2024",)})
    with cached.session() as session:
        first = session.search(typed)
        second = session.search(same)
    assert cached.results.hits == 1
    assert second.request is same  # the result names the request it answers
    assert replace(second, request=typed) == first


def test_a_changed_letter_is_seen_by_the_next_identical_request(
    tmp_path: Path, corpus_copy: Path
) -> None:
    archive = Archive(tmp_path / "index")
    archive.rebuild(corpus_copy)
    request = SearchRequest(q="zanzibarian")
    with archive.session() as session:
        assert session.search(request).total == 0
        assert session.search(request).total == 0
    assert archive.results.hits == 1
    letter = corpus_copy / "letters" / f"{IDS['lo-2021']}.md"
    letter.write_text(letter.read_text() + "\nA zanzibarian delegation wrote too.\n")
    archive.update(corpus_copy, files=[letter])
    with archive.session() as session:
        found = session.search(request)
    assert [hit.id for hit in found.hits] == [IDS["lo-2021"]]
    assert found.total == 1 and archive.results.hits == 1
    assert len(archive.results) == 1  # the old generation's results are gone


def test_a_changed_concept_file_is_seen_by_the_next_identical_request(
    tmp_path: Path, corpus_copy: Path
) -> None:
    """A changed thesaurus is copied into the generation; its letters stay the same."""
    archive = Archive(tmp_path / "index")
    archive.rebuild(corpus_copy)
    request = SearchRequest(q="strike")
    with archive.session() as session:
        before = session.search(request)
    assert "walkout" in before.also_searched
    path = corpus_copy / "concepts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("walkout", "downing tools"))
    assert archive.update(corpus_copy).rebuilt is False
    with archive.session() as session:
        after = session.search(request)
    assert "downing tools" in after.also_searched and "walkout" not in after.also_searched
    assert archive.results.hits == 0


def test_threads_get_the_fresh_results(index_root: Path, uncached: Archive) -> None:
    with uncached.session() as session:
        expected = [session.search(r) for r in REQUESTS]
    cached = Archive(index_root)
    errors: list[str] = []
    start = threading.Barrier(8)

    def ask(offset: int) -> None:
        start.wait()
        for n in range(3 * len(REQUESTS)):
            index = (n + offset) % len(REQUESTS)
            with cached.session() as session:
                if session.search(REQUESTS[index]) != expected[index]:
                    errors.append(f"request {index} in thread {offset}")

    threads = [threading.Thread(target=ask, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cached.results.hits + cached.results.misses == 8 * 3 * len(REQUESTS)
    assert len(cached.results) == len(REQUESTS)


def test_threads_opening_a_generation_at_once_share_one_concept_build(index_root: Path) -> None:
    """The results cache tells generations apart by their concept terms: eight threads opening
    a fresh archive at once must get one build of them (once each built its own, and the
    cache took each for a new generation and dropped what it held)."""
    index = LetterIndex(index_root)
    start = threading.Barrier(8)
    seen: list[int] = []

    def open_one() -> None:
        start.wait()
        snapshot = index.snapshot(5.0)
        seen.append(id(snapshot.concepts))
        snapshot.close()

    threads = [threading.Thread(target=open_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and len(set(seen)) == 1


def test_the_cache_stays_within_its_bytes(index_root: Path) -> None:
    small = Archive(index_root, result_cache=0.02)  # 20,000 bytes: a few results
    with small.session() as session:
        for q in ("strike", "union", "workers", "rights", "oil", "government", "ITUC"):
            session.search(SearchRequest(q=q))
    assert 0 < len(small.results) < 7
    assert small.results.used <= 20_000
    off = Archive(index_root, result_cache=0)
    with off.session() as session:
        session.search(SearchRequest(q="strike"))
        session.search(SearchRequest(q="strike"))
    assert len(off.results) == 0 and off.results.hits == 0


def test_a_result_that_ran_out_of_time_is_not_kept() -> None:
    cache = ResultCache(1)
    late = SearchResult(request=SearchRequest(q="x"), total=0, hits=[], facets={}, timed_out=True)
    calls: list[int] = []

    def compute() -> SearchResult:
        calls.append(1)
        return late

    for _ in range(2):
        assert cache.search(("gen",), SearchRequest(q="x"), compute) == late
    assert len(calls) == 2 and len(cache) == 0


def test_a_replaced_generations_results_are_not_kept() -> None:
    """A search still running on the old generation when the new one is seen."""
    cache = ResultCache(1)
    result = SearchResult(request=SearchRequest(q="x"), total=0, hits=[], facets={})
    cache.search(("old",), SearchRequest(q="x"), lambda: result)
    cache.search(("new",), SearchRequest(q="y"), lambda: result)
    cache.search(("old",), SearchRequest(q="z"), lambda: result)
    assert len(cache) == 1
    assert request_key(SearchRequest(q="y")) in cache._entries


@pytest.mark.parametrize("bad", [-1, "lots", float("nan")])
def test_a_bad_size_is_named(index_root: Path, bad: object) -> None:
    with pytest.raises(ValueError, match=r"result cache: .* megabytes"):
        create_app({"TESTING": True, "INDEX_PATH": str(index_root), "RESULT_CACHE_MB": bad})
    with pytest.raises(ValueError, match="result cache"):
        Archive(index_root, result_cache=bad)  # type: ignore[arg-type]


def test_serve_refuses_a_negative_size(index_root: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--index", str(index_root), "--result-cache-mb", "-1"]
    )
    assert result.exit_code == 2
    assert "--result-cache-mb" in result.output

"""The benchmark's measuring tools: first sight (uncached) and repeat (cached) passes, the query
sets over HTTP through the real server, growth exponents (no timing assertions: durations are
faked where a test needs to know them, or only counted)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # bench/ is not installed: import it from the checkout
    sys.path.insert(0, str(REPO_ROOT))

from bench import first_sight  # noqa: E402
from bench.broad_queries import BROAD_MIX  # noqa: E402
from bench.broad_web import READY, Client, url_for, web_kind_measures  # noqa: E402
from bench.first_sight import first_sight_measures, query_key, warmup_set  # noqa: E402
from bench.fts5 import letter_files  # noqa: E402
from bench.growth import exponent, growth, growth_report, latest_full_run  # noqa: E402
from bench.queries import Query  # noqa: E402
from bench.query_sets import QuerySets, scaled  # noqa: E402
from bench.server_process import running_server  # noqa: E402
from bench.targets import combined_targets_report  # noqa: E402
from bench.web import distinct_targets  # noqa: E402

CORPUS = REPO_ROOT / "corpus"


class CachingEngine:
    """An engine with a results cache: records which requests it computed and which it
    answered from memory."""

    def __init__(self) -> None:
        self.cache: dict[tuple[Any, ...], int] = {}
        self.computed: list[str] = []
        self.from_cache: list[str] = []

    def __call__(self, query: Query) -> int:
        key = query_key(query)
        if key in self.cache:
            self.from_cache.append(query.q)
        else:
            self.computed.append(query.q)
            self.cache[key] = 0 if query.kind == "zero_hit" else 3
        return self.cache[key]


def _q(kind: str, q: str, **extra: Any) -> Query:
    return Query(kind, q, q, **extra)


def test_first_sight_is_never_answered_by_a_cache_and_the_repeat_always_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    durations = {"strike": 0.030, "union": 0.010, "xqzv": 0.090, "dock": 0.020}
    monkeypatch.setattr(first_sight, "timed", lambda f: (durations[f.__defaults__[1].q], f()))
    measured = [_q("word", "strike"), _q("word", "union"), _q("zero_hit", "xqzv"),
                _q("word", "strike"), _q("pair", "dock")]  # fmt: skip
    # a warm-up candidate that is also measured is left out, or it would be cached
    warm = warmup_set([_q("word", "union"), _q("word", "harbour")], measured)
    assert [q.q for q in warm] == ["harbour"]
    durations["harbour"] = 0.5
    engine = CachingEngine()
    result = first_sight_measures({"ours_full": engine}, measured, warm)
    assert engine.computed == ["harbour", "strike", "union", "xqzv", "dock"]
    # the second "strike" of the set and the whole repeat pass come from the cache
    assert engine.from_cache == ["strike", "strike", "union", "xqzv", "strike", "dock"]
    assert (result["queries"], result["repeated_in_set"], result["warmup_queries"]) == (4, 1, 1)
    assert result["cached"]["queries"] == 6
    assert result["without_hits"] == {"ours_full": 1}
    assert {k: v["ours_full"]["n"] for k, v in result["by_kind"].items()} == {
        "pair": 1,
        "word": 2,
        "zero_hit": 1,
    }
    assert result["ours_full"]["max_ms"] == 90.0
    assert result["slowest"]["word"] == {"ours_full": {"ms": 30.0, "kind": "word", "q": "strike"}}
    assert result["slowest_all"]["ours_full"]["q"] == "xqzv"
    assert result["not_zero_hit"]["ours_full"]["max_ms"] == 30.0  # the zero-hit one left out


def test_operations_run_headline_first_and_the_ratios_compare_full_responses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def op(name: str, seconds: float) -> Any:
        def run(query: Query) -> int:
            calls.append(name)
            return 1

        run.seconds = seconds  # type: ignore[attr-defined]
        return run

    ops = {"ours_full": op("ours_full", 0.04), "fts_full": op("fts_full", 0.01),
           "ours_hits": op("ours_hits", 0.02)}  # fmt: skip
    monkeypatch.setattr(first_sight, "timed", lambda f: (f.__defaults__[0].seconds, f()))
    result = first_sight_measures(ops, [_q("word", "strike")], [])
    assert calls == ["ours_full", "fts_full", "ours_hits"] * 2
    assert (result["ratio_full_p50"], result["ratio_full_p95"], result["ratio_full_p99"]) == (
        4.0,
        4.0,
        4.0,
    )


def test_query_key_tells_requests_apart_by_every_part() -> None:
    a = _q("filtered", "strike", sender="ITUC", filters={"sender": ("ITUC",)})
    assert query_key(a) == query_key(_q("word", "strike", sender="ITUC",
                                        filters={"sender": ("ITUC",)}))  # fmt: skip
    assert query_key(a) != query_key(_q("word", "strike"))
    assert query_key(_q("facet", "x", filters={"year": ("2021",), "type": ("letter",)})) == (
        query_key(_q("facet", "x", filters={"type": ("letter",), "year": ("2021",)}))
    )


def test_query_sets_warm_up_on_other_requests_and_the_web_load_is_distinct() -> None:
    files = letter_files(CORPUS)
    sets = QuerySets.for_files(files, share=0.25)
    assert len(sets.broad) == sum(scaled(BROAD_MIX, 0.25).values())
    assert {q.kind for q in sets.broad_warmup} == set(BROAD_MIX)
    targets = distinct_targets(sets.web_load, 50)
    assert len(targets) == len(set(targets)) and len(targets) <= 50
    assert all(t.startswith("/api/search?q=") for t in targets)
    assert distinct_targets([_q("word", "a"), _q("word", "a"), _q("word", "b")], 5) == [
        "/api/search?q=a",
        "/api/search?q=b",
    ]
    assert url_for("/search", _q("facet", "strike", date_from="2021-01-01",
                                 date_to="2021-12-31", filters={"year": ("2021",)})) == (
        "/search?q=strike&year=2021&from=2021-01-01&to=2021-12-31"
    )  # fmt: skip


def test_a_client_counts_every_answer_but_a_200_as_an_error(index_root: Path) -> None:
    with running_server(index_root, CORPUS, threads=2, ready_path=READY) as server:
        client = Client(server.port, "/api/search")
        assert client(_q("word", "strike")) == 1
        assert client(_q("facet", "strike", filters={"year": ("not-a-year",)})) == 0
        client.conn.close()
    assert len(client.errors) == 1 and client.errors[0].startswith("HTTP 400 (/api/search?q=")


def test_the_broad_set_over_http_answers_every_kind_on_both_paths(index_root: Path) -> None:
    files = letter_files(CORPUS)
    sets = QuerySets.for_files(files, share=0.05)
    result = web_kind_measures(index_root, CORPUS, sets.broad, sets.broad_warmup)
    assert (result["server_workers"], result["clients"]) == (1, 1)
    for path in ("api", "page"):
        measured = result[path]
        assert (measured["errors"], measured["error_examples"]) == (0, [])
        distinct = len({query_key(q) for q in sets.broad})
        assert measured["queries"] == distinct
        assert measured["cached"]["queries"] == len(sets.broad) * 2 - distinct
        assert set(measured["by_kind"]) == set(BROAD_MIX)
        assert measured["without_hits"] == {path: 0}  # every answer a 200


def _run(kind: str, letters: int, p95: dict[str, float], date: str) -> dict[str, Any]:
    """A run's results with the broad set's p95 per kind (p50 and p99: half and double)."""

    def summary(ms: float) -> dict[str, float]:
        return {"p50_ms": ms / 2, "p95_ms": ms, "p99_ms": ms * 2}

    return {
        "name": kind,
        "date": date,
        "corpus": {"kind": kind, "quick": False, "letters": letters},
        "queries_broad": {
            "by_kind": {k: {"ours_full": summary(v), "fts_full": summary(v / 10)}
                        for k, v in p95.items()},
            "ours_full": summary(max(p95.values())),
            "fts_full": summary(max(p95.values()) / 10),
        },
    }  # fmt: skip


def test_growth_is_the_exponent_of_cost_against_archive_size(tmp_path: Path) -> None:
    assert exponent(10.0, 100.0, 1000, 10_000) == 1.0
    assert exponent(10.0, 10.0, 1000, 10_000) == 0.0
    assert exponent(None, 10.0, 1000, 10_000) is None
    assert exponent(10.0, 20.0, 1000, 1000) is None
    small = _run("20news", 18_846, {"word": 20.0, "phrase": 40.0}, "2026-12-01T00:00:00")
    large = _run("scaled", 188_460, {"word": 200.0, "phrase": 40.0}, "2026-12-02T00:00:00")
    g = growth(small, large)
    assert list(g["series"]) == ["broad set, in process"]  # nothing over HTTP measured
    rows = g["series"]["broad set, in process"]
    assert list(rows) == ["phrase", "word", "all"]
    assert rows["word"]["ours_p95"] == {"small_ms": 20.0, "large_ms": 200.0, "exponent": 1.0}
    assert rows["phrase"]["fts5_p99"]["exponent"] == 0.0
    assert rows["all"]["ours_p50"]["exponent"] == round(math.log(100 / 20) / math.log(10), 2)
    text = "\n".join(growth_report(g))
    assert "## Growth: 18,846 → 188,460 letters" in text
    assert (
        "| word | 10.00 → 100 ms (1.00) | 20.00 → 200 ms (1.00) | 40.00 → 400 ms (1.00) |" in text
    )
    (tmp_path / "20news-2026-12-01.json").write_text(json.dumps(small))
    (tmp_path / "20news-quick-2026-12-02.json").write_text(json.dumps(large))
    assert latest_full_run(tmp_path, "20news") == small  # the quick run is not a full run
    assert latest_full_run(tmp_path, "scaled") is None


def test_the_combined_targets_judge_each_target_on_the_run_of_its_scale() -> None:
    small = _run("20news", 18_846, {"word": 20.0, "zero_hit": 100.0}, "2026-12-01T00:00:00")
    large = _run("scaled", 188_460, {"word": 200.0, "zero_hit": 400.0}, "2026-12-02T00:00:00")
    for run, p95 in ((small, 20.0), (large, 200.0)):
        run["queries_broad"]["not_zero_hit"] = {"ours_full": {"p95_ms": p95}}
        run["queries_broad"]["ratio_full_p95"] = 10.0
    rows = {line.split(" | ")[0]: line for line in combined_targets_report(small, large)}
    assert rows["| broad set, full response p95 ≤ 3× FTS5 hits+snippet p95"] == (
        "| broad set, full response p95 ≤ 3× FTS5 hits+snippet p95 | 10.00 × | 10.00 × | gap |"
    )
    assert rows["| broad set, full response p95 ≤ 150 ms"].endswith("| 100 ms | 400 ms | gap |")
    assert rows["| zero-hit query with its suggestion ≤ 3× a normal query's p95"].endswith(
        "| 5.00 × | 2.00 × | 20news: gap; 190k: met |"
    )
    assert rows["| web ≥ 300 search requests/s (2 cores)"].endswith("| – | – | not measured |")


def test_a_query_the_engine_fails_on_is_named_and_the_rest_is_measured() -> None:
    def ours(query: Query) -> int:
        if query.q == "argue":
            raise IndexError("string index out of range")
        return 2

    queries = [_q("word", "argue"), _q("word", "strike"), _q("pair", "dock work")]
    result = first_sight_measures({"ours_full": ours, "fts_full": lambda q: 1}, queries, [])
    assert result["failures"] == [
        {"op": "ours_full", "kind": "word", "q": "argue",
         "error": "IndexError: string index out of range"}
    ]  # fmt: skip
    assert (result["ours_full"]["n"], result["fts_full"]["n"]) == (2, 3)
    assert result["by_kind"]["word"]["ours_full"]["n"] == 1
    assert result["cached"]["ours_full"]["n"] == 2

"""The load test's tools: the seeded workload, discovery, and tiny real runs on the seed letters.

No timing assertions: the real runs (``letters serve`` on 127.0.0.1, five letters) only check
that every request is answered with a 200, that the results are written, that the memory limit
stops the load, and that the server is stopped when the run is interrupted.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # bench/ is not installed: import it from the checkout
    sys.path.insert(0, str(REPO_ROOT))

from bench import load, load_client, load_plan, load_report, server_process  # noqa: E402

MATERIAL = load_plan.Material(
    words=("strike", "court ruling", "wages", "police", "oil workers"),
    clicks=(
        ("", "recipient", "sci.space"),
        ("", "sender", "Peter G. Ford <pgf@space.mit.edu>"),
        ("strike", "recipient", "rec.autos"),
        ("wages", "sender", "ITUC & co"),
    ),
    letters=(
        ("1993-01-05-sci-space-60001", "strike"),
        ("2024-01-10-ituc-right-to-strike", "wages"),
        ("a letter/with odd?id", "police"),
    ),
)
SEARCH_PARAMS = {"q", "sort", "page"}


def test_allocate_splits_exactly_by_the_shares() -> None:
    assert load_plan.allocate(2000) == {
        "search": 900, "facet": 360, "letter": 360, "api": 180, "hostile": 200
    }  # fmt: skip
    for total in (1, 3, 7, 40, 999, 2001):
        counts = load_plan.allocate(total)
        assert sum(counts.values()) == total
        for kind, share in load_plan.SHARES.items():
            assert abs(counts[kind] - share * total) < 1, (total, counts)


def test_plan_is_deterministic_for_a_seed() -> None:
    first = load_plan.plan(MATERIAL, 300, seed=5)
    assert first == load_plan.plan(MATERIAL, 300, seed=5)
    assert load_plan.plan_digest(first) == load_plan.plan_digest(
        load_plan.plan(MATERIAL, 300, seed=5)
    )
    assert first != load_plan.plan(MATERIAL, 300, seed=6)
    assert load_plan.plan(MATERIAL, 100, seed=5) == load_plan.plan(MATERIAL, 100, seed=5)


def test_plan_has_the_proportions_of_the_workload() -> None:
    requests = load_plan.plan(MATERIAL, 2000)
    kinds = Counter(r.kind for r in requests)
    assert kinds == {"search": 900, "facet": 360, "letter": 360, "api": 180, "hostile": 200}
    assert [r.kind for r in requests[:20]] != sorted(r.kind for r in requests[:20])  # shuffled
    facets = Counter(
        name
        for r in requests
        if r.kind == "facet"
        for name, _ in parse_qsl(urlsplit(r.target).query)
    )
    assert 130 < facets["recipient"] < 230 and 130 < facets["sender"] < 230
    searches = [dict(parse_qsl(urlsplit(r.target).query)) for r in requests if r.kind == "search"]
    newest = sum(p.get("sort") == "newest" for p in searches)
    page2 = sum(p.get("page") == "2" for p in searches)
    assert 110 < newest < 250 and 70 < page2 < 200  # 20% and 15% of 900
    letters = [urlsplit(r.target) for r in requests if r.kind == "letter"]
    with_q = sum(bool(u.query) for u in letters)
    assert 50 < with_q < 170  # 30% of 360
    hostile = [r for r in requests if r.kind == "hostile"]
    assert {r.expect for r in hostile} == {"200", "4xx"}
    assert len({r.label for r in hostile}) >= 10  # fuzzy, wildcards, bad parameters, odd paths


def test_plan_urls_are_well_formed_and_drawn_from_the_material() -> None:
    clicks = {(q, facet, value) for q, facet, value in MATERIAL.clicks}
    letters = dict(MATERIAL.letters)
    for request in load_plan.plan(MATERIAL, 500, seed=11):
        url = urlsplit(request.target)
        assert not url.scheme and not url.netloc and not url.fragment, request
        params = parse_qsl(url.query, strict_parsing=bool(url.query))
        names = [name for name, _ in params]
        assert len(names) == len(set(names)), request
        values = dict(params)
        if request.kind in ("search", "api"):
            assert url.path == ("/search" if request.kind == "search" else "/api/search")
            assert set(values) <= SEARCH_PARAMS and values["q"] in MATERIAL.words
            assert not ("sort" in values and "page" in values)
            assert values.get("sort", "newest") == "newest" and values.get("page", "2") == "2"
        elif request.kind == "hostile":
            assert request.label and request.expect in ("200", "4xx")
            if request.expect == "200":  # an odd query, but a valid request
                assert url.path in ("/search", "/api/search") and set(values) == {"q"}
        elif request.kind == "facet":
            assert url.path == "/search"
            facet = next(name for name in names if name in load_plan.CLICK_FACETS)
            assert (values.get("q", ""), facet, values[facet]) in clicks
        else:
            assert url.path.startswith("/letters/")
            letter_id = unquote(url.path.removeprefix("/letters/"))
            assert "/" not in url.path.removeprefix("/letters/") and letter_id in letters
            assert set(values) <= {"q"}
            if values:
                assert values["q"] == letters[letter_id]


def test_plan_needs_material() -> None:
    with pytest.raises(ValueError):
        load_plan.plan(load_plan.Material(("strike",), (), MATERIAL.letters), 10)


def _answer(q: str, groups: list[str], senders: list[str], ids: list[str]) -> bytes:
    def counts(values: list[str]) -> list[dict[str, object]]:
        return [{"value": v, "label": v, "count": 1, "selected": False} for v in values]

    facets = {"recipient": counts(groups), "sender": counts(senders), "type": counts(["letter"])}
    hits = [{"id": letter_id} for letter_id in ids]
    return json.dumps({"query": q, "hits": hits, "facets": facets}).encode()


def test_discover_takes_facet_values_and_letter_ids_from_the_answers() -> None:
    answers = {
        "/api/search": _answer("", [f"group{i}" for i in range(8)], ["ann", "bob"], ["x", "y"]),
        "/api/search?q=strike": _answer("strike", ["group1"], ["ann"], ["a", "b"]),
        "/api/search?q=court+ruling": _answer("court ruling", [], [], ["b", "c"]),
    }
    asked: list[str] = []

    def get(target: str) -> tuple[int, bytes]:
        asked.append(target)
        return 200, answers[target]

    material = load_plan.discover(get, ["strike", "court ruling", "never asked"], probes=2)
    assert asked == list(answers)
    assert material.words == ("strike", "court ruling", "never asked")
    assert material.letters == (("a", "strike"), ("b", "strike"), ("c", "court ruling"))
    archive_groups = [c for c in material.clicks if c[0] == "" and c[1] == "recipient"]
    assert len(archive_groups) == load_plan.FACET_VALUES  # the first values of each facet
    assert ("", "sender", "bob") in material.clicks
    assert ("strike", "recipient", "group1") in material.clicks
    assert not any(c[1] == "type" for c in material.clicks)


def test_discover_fails_on_an_error_answer() -> None:
    with pytest.raises(load_plan.LoadFailed, match="500"):
        load_plan.discover(lambda target: (500, b"boom"), ["strike"])
    with pytest.raises(load_plan.LoadFailed, match="too little"):
        load_plan.discover(lambda target: (200, _answer("", [], [], [])), ["strike"])


class _Handler(BaseHTTPRequestHandler):
    """200 for /ok, 500 for /bad, 400 for /four, and /drop closes the connection unanswered."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path.startswith("/drop"):
            self.close_connection = True
            return
        bad, four = self.path.startswith("/bad"), self.path.startswith("/four")
        self.send_response(500 if bad else 400 if four else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def stub_port() -> Iterator[int]:
    """A stdlib HTTP server on 127.0.0.1 (a free port), stopped after the test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_every_answer_but_a_200_and_every_exception_is_an_error(stub_port: int) -> None:
    requests = [load_plan.Request("search", "/ok")] * 6
    requests += [load_plan.Request("api", "/bad"), load_plan.Request("letter", "/drop?id=1")]
    requests += [load_plan.Request("facet", "/ok")] * 4
    outcome = load_client.run_load(stub_port, requests, clients=2, time_limit=30)
    assert outcome.done == 12 and outcome.ok == 10 and outcome.stopped is None
    assert [len(outcome.errors[k]) for k in load_plan.KINDS] == [0, 0, 1, 1, 0]
    assert outcome.errors["api"][0].startswith("HTTP 500")
    assert (
        "Disconnected" in outcome.errors["letter"][0]
        and "/drop?id=1" in outcome.errors["letter"][0]
    )
    summary = load_report.summarize(outcome)
    assert summary["errors"] == 2 and len(summary["error_examples"]) == 2
    assert summary["kinds"]["search"]["requests"] == 6 and summary["latency"]["n"] == 10
    assert summary["statuses"] == {"200": 10, "500": 1, "error": 1}


def test_a_hostile_4xx_is_counted_but_a_hostile_5xx_is_an_error(stub_port: int) -> None:
    requests = [
        load_plan.Request("hostile", "/four?page=-1", "page -1", "4xx"),
        load_plan.Request("hostile", "/four?q=x~9", "fuzzy", "200"),
        load_plan.Request("hostile", "/bad?q=*a*", "wildcard", "200"),
        load_plan.Request("search", "/four?q=x"),
    ]
    outcome = load_client.run_load(stub_port, requests, clients=1, time_limit=30)
    summary = load_report.summarize(outcome)
    assert summary["statuses"] == {"400": 3, "500": 1}
    assert summary["kinds"]["hostile"]["requests"] == 3
    assert summary["kinds"]["hostile"]["errors"] == 1 and summary["kinds"]["search"]["errors"] == 1
    assert summary["hostile_unexpected"] == {"fuzzy: 400": 1, "wildcard: 500": 1}
    slowest = summary["slowest"]
    assert len(slowest) == 4 and [s["ms"] for s in slowest] == sorted(
        (s["ms"] for s in slowest), reverse=True
    )
    assert {(s["kind"], s["label"], s["status"]) for s in slowest} == {
        ("hostile", "page -1", "400"), ("hostile", "fuzzy", "400"),
        ("hostile", "wildcard", "500"), ("search", "", "400"),
    }  # fmt: skip


def test_the_time_limit_stops_the_load(stub_port: int) -> None:
    outcome = load_client.run_load(
        stub_port, [load_plan.Request("search", "/ok")] * 50, 2, time_limit=1e-9
    )
    assert outcome.stopped == "time limit" and outcome.done < 50 and outcome.error_count == 0


# -- real runs on the five seed letters ----------------------------------------------------------


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("load-work")


def _run(work: Path, out: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    args = ["--corpus", "seeds", "--clients", "2", "--seconds", "30", "--threads", "2"]
    status = load.main([*args, "--work", str(work), "--out", str(out), *extra])
    stamp = dt.date.today().isoformat()
    json_path, md_path = out / f"load-seeds-{stamp}.json", out / "load-latest.md"
    assert json_path.is_file() and md_path.is_file(), sorted(out.iterdir())
    return status, json.loads(json_path.read_text()), md_path.read_text()


def test_a_tiny_real_run_has_no_errors_and_writes_its_results(work: Path, tmp_path: Path) -> None:
    status, result, report = _run(work, tmp_path / "out", "--requests", "40", "--warmup", "8")
    data = result["load"]
    assert isinstance(data, dict)
    assert data["errors"] == 0, data["error_examples"]
    assert status == 0 and result["passed"] is True
    assert data["requests"] == data["ok"] == 40 and data["stopped_early"] is None
    assert {k: v["requests"] for k, v in data["kinds"].items()} == load_plan.allocate(40)
    assert data["latency"]["n"] == 40 and data["rps"] > 0
    warmup = result["warmup"]
    assert warmup["requests"] == 8 and warmup["errors"] == 0 and not warmup["error_examples"]
    assert result["notes"] == [] and "log_tail" not in result["server"]
    assert result["server"]["host"] == "127.0.0.1" and result["server"]["peak_rss_kb"] > 0
    assert result["machine"]["cores"] and result["machine"]["python"]
    assert "**PASS**" in report and "| **all** | 40 |" in report
    statuses = data["statuses"]
    assert sum(statuses.values()) == 40 and statuses["200"] >= 36 and "error" not in statuses
    assert not any(status.startswith("5") for status in statuses)
    assert len(data["slowest"]) == 5 and "Answers by status: 200:" in report
    assert abs(data["slowest"][0]["ms"] - data["latency"]["max_ms"]) <= 0.1
    for kind in ("search page", "facet click", "letter page", "API", "hostile"):
        assert kind in report


def test_the_memory_limit_stops_the_load_and_fails_the_run(work: Path, tmp_path: Path) -> None:
    status, result, report = _run(
        work, tmp_path, "--requests", "500", "--warmup", "0", "--memory-limit-mb", "1"
    )
    data = result["load"]
    assert isinstance(data, dict)
    assert status == 1 and result["passed"] is False
    assert data["stopped_early"] == "memory limit" and data["requests"] < 500
    assert "Stopped early by the memory limit" in report and "**FAIL**" in report


def test_the_server_is_stopped_when_the_run_is_interrupted(work: Path) -> None:
    name, corpus, index, _how = load.prepare("seeds", work)
    assert name == "seeds" and (index / "current").exists()
    with (
        pytest.raises(KeyboardInterrupt),
        server_process.running_server(index, corpus, threads=1) as server,
    ):
        assert Path(f"/proc/{server.pid}").exists() and server.port > 0
        raise KeyboardInterrupt
    assert not Path(f"/proc/{server.pid}").exists()

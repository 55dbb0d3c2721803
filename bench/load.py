"""A bounded load test of the real web app on loopback: a mixed, seeded workload, zero errors.

``python -m bench.load [--corpus 20news|quick|seeds] [--requests N] [--clients C] [--seconds S]
[--threads T] [--out bench/results] [--work var/bench]``

1. the corpus and its index: bench's own under ``--work`` (``var/bench/<name>/corpus`` and
   ``…/ours``) are reused when there, else prepared as ``python -m bench`` does
   (:func:`bench.run.prepare_corpus`, :func:`bench.run.run_build`); a reused index is brought
   in line with its corpus (``LetterIndex.update``, a no-op when nothing changed);
2. ``letters serve`` (waitress, ``--threads T``) in a subprocess on 127.0.0.1, a free port;
3. discovery: one ``/api/search`` of the whole archive and one per probe word give the facet
   values (recipients: the newsgroups; senders) and the letter ids the workload uses;
4. the workload (:func:`plan`), seeded: ~50% search pages ``/search?q=…`` (some with
   ``sort=newest``, some ``page=2``), ~20% facet clicks (``recipient=`` / ``sender=``),
   ~20% letter pages ``/letters/<id>`` (some with ``?q=``), ~10% ``/api/search``. Words come
   from bench's seeded query mix (:func:`bench.queries.build_mix`), so they occur in the corpus;
5. a warm-up (not counted), then the load from ``C`` client threads, each with its own
   keep-alive ``http.client`` connection, bounded in count (``N``), in time (``S`` seconds) and
   in the server's memory (it stops when the server's RSS passes half the machine's memory);
6. results: ``load-<corpus>-<date>.json`` and ``load-latest.md`` in ``--out``: requests/s,
   p50/p95/p99 overall and per kind, errors, server memory, the machine.

Every request goes to 127.0.0.1. Any answer other than 200, and any exception, is an error.
Exit status: 0 no errors; 1 errors (discovery, warm-up or load) or stopped by the memory limit;
3 the corpus, index or server could not be prepared; 130 interrupted. Stopping at the time limit
is said in the results and is not a failure. The server is always stopped (also on Ctrl+C and
SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode

from bench.stats import latency_summary, server_memory_kb
from bench.web import default_memory_limit_kb, free_port

HOST = "127.0.0.1"  # the only address this module ever talks to
REPO = Path(__file__).resolve().parent.parent
SEED = 20_251_124
KINDS = ("search", "facet", "letter", "api")
SHARES = {"search": 0.5, "facet": 0.2, "letter": 0.2, "api": 0.1}
CLICK_FACETS = ("recipient", "sender")
CORPORA = {"20news": ("20news", False), "quick": ("20news", True), "seeds": ("seeds", False)}
PROBE_WORDS = 12  # words searched in discovery for letter ids and facet values
FACET_VALUES = 5  # values taken from each facet of each discovery response
START_TIMEOUT = 180.0
STOP_TIMEOUT = 10.0
REQUEST_TIMEOUT = 60.0
POLL = 0.2

Get = Callable[[str], tuple[int, bytes]]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class LoadFailed(Exception):
    """The run could not be made (exit 1: an error answer during discovery)."""


class NotPrepared(Exception):
    """The corpus, the index or the server could not be prepared (exit 3)."""


# -- the workload ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    kind: str  # one of KINDS
    target: str  # path and query string


@dataclass(frozen=True)
class Material:
    """What the workload draws from: words, facet clicks and letters, all found in the archive."""

    words: tuple[str, ...]
    clicks: tuple[tuple[str, str, str], ...]  # (q, facet, value); q "" browses the archive
    letters: tuple[tuple[str, str], ...]  # (letter id, the word that found it)

    def summary(self) -> dict[str, int]:
        by_facet = {f: sum(1 for c in self.clicks if c[1] == f) for f in CLICK_FACETS}
        return {"words": len(self.words), "letters": len(self.letters), **by_facet}


def allocate(total: int, shares: dict[str, float] | None = None) -> dict[str, int]:
    """``total`` requests split by ``shares`` (largest remainder: counts sum to ``total``)."""
    shares = shares or SHARES
    exact = {kind: total * share / sum(shares.values()) for kind, share in shares.items()}
    counts = {kind: int(value) for kind, value in exact.items()}
    by_remainder = sorted(shares, key=lambda kind: (-(exact[kind] - counts[kind]), kind))
    for kind in by_remainder[: total - sum(counts.values())]:
        counts[kind] += 1
    return counts


def _url(path: str, params: Sequence[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def plan(material: Material, total: int, seed: int = SEED) -> list[Request]:
    """The seeded workload: the same material, total and seed always give the same requests.

    Kinds in the proportions of :data:`SHARES`, shuffled. Search pages: 20% ``sort=newest``,
    15% ``page=2``. Facet clicks: ``recipient`` or ``sender`` (evenly, as available), with the
    word whose results offered the value. Letter pages: 30% with ``?q=`` (the word that found
    the letter). API searches: 20% ``sort=newest``, 20% ``page=2``.
    """
    if not material.words or not material.letters or not material.clicks:
        raise ValueError(f"the workload needs words, letters and facet values: {material}")
    rng = random.Random(seed)
    kinds = [kind for kind, count in allocate(total).items() for _ in range(count)]
    rng.shuffle(kinds)
    facets = [f for f in CLICK_FACETS if any(c[1] == f for c in material.clicks)]
    clicks = {f: [c for c in material.clicks if c[1] == f] for f in facets}

    def variant(
        params: list[tuple[str, str]], newest: float, page2: float
    ) -> list[tuple[str, str]]:
        roll = rng.random()
        if roll < newest:
            params.append(("sort", "newest"))
        elif roll < newest + page2:
            params.append(("page", "2"))
        return params

    requests = []
    for kind in kinds:
        if kind == "search":
            params = variant([("q", rng.choice(material.words))], 0.20, 0.15)
            target = _url("/search", params)
        elif kind == "facet":
            q, facet, value = rng.choice(clicks[rng.choice(facets)])
            target = _url("/search", [("q", q)] * bool(q) + [(facet, value)])
        elif kind == "letter":
            letter_id, q = rng.choice(material.letters)
            path = "/letters/" + quote(letter_id, safe="")
            target = _url(path, [("q", q)] if rng.random() < 0.30 else [])
        else:
            params = variant([("q", rng.choice(material.words))], 0.20, 0.20)
            target = _url("/api/search", params)
        requests.append(Request(kind, target))
    return requests


def plan_digest(requests: Sequence[Request]) -> str:
    digest = hashlib.sha256()
    for request in requests:
        digest.update(f"{request.kind} {request.target}\n".encode())
    return digest.hexdigest()[:16]


def words_for(corpus: Path) -> tuple[str, ...]:
    """The fixed, seeded word list: bench's query mix's single words and word groups."""
    from bench.fts5 import letter_files
    from bench.queries import build_mix

    mix = build_mix(letter_files(corpus))
    return tuple(dict.fromkeys(q.q for q in mix if q.kind in ("single", "multi")))


def discover(get: Get, words: Sequence[str], probes: int = PROBE_WORDS) -> Material:
    """Facet values and letter ids from the server's own ``/api/search`` answers.

    The whole archive's facets (browsing clicks, no query), then one search per probe word: its
    hits (letter pages) and its facets (clicks with that word). Raises :class:`LoadFailed` on any
    answer but a 200 with JSON.
    """

    def search(q: str) -> dict[str, Any]:
        target = _url("/api/search", [("q", q)] if q else [])
        status, body = get(target)
        if status != 200:
            raise LoadFailed(f"discovery: {target} answered {status}: {body[:200]!r}")
        try:
            return dict(json.loads(body))
        except ValueError as exc:
            raise LoadFailed(f"discovery: {target} answered no JSON: {body[:200]!r}") from exc

    clicks: list[tuple[str, str, str]] = []
    letters: dict[str, str] = {}  # letter id -> the first word that found it
    for q in ("", *words[:probes]):
        data = search(q)
        for facet in CLICK_FACETS:
            values = [v["value"] for v in data.get("facets", {}).get(facet, [])]
            clicks += [(q, facet, value) for value in values[:FACET_VALUES]]
        if q:
            for hit in data.get("hits", []):
                letters.setdefault(hit["id"], q)
    material = Material(tuple(words), tuple(dict.fromkeys(clicks)), tuple(letters.items()))
    if not material.letters or not material.clicks:
        raise LoadFailed(f"discovery found too little to load with: {material.summary()}")
    return material


# -- the server --------------------------------------------------------------------------------


def _get(conn: http.client.HTTPConnection, target: str) -> tuple[int, bytes]:
    conn.request("GET", target)
    response = conn.getresponse()
    return response.status, response.read()


def _log_tail(log_file: IO[bytes], chars: int = 2000) -> str:
    log_file.flush()
    log_file.seek(0)
    text = log_file.read().decode("utf-8", "replace").strip()
    log_file.seek(0, os.SEEK_END)
    return text[-chars:] or "(no output)"


@dataclass(frozen=True)
class Server:
    """A running ``letters serve``: its port, its pid and the tail of its output."""

    port: int
    pid: int
    log_tail: Callable[[int], str]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill; a second Ctrl+C does not interrupt this."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main else None
    try:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
        proc.wait()
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)


def _answers(proc: subprocess.Popen[bytes], port: int) -> bool:
    """Whether our ``letters serve`` (``Server: letters``) answers a search on ``port``."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", "/api/search?q=test")
        response = conn.getresponse()
        response.read()
        return response.status == 200 and response.getheader("Server") == "letters"
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


@contextlib.contextmanager
def running_server(index: Path, corpus: Path, threads: int, workers: int = 1) -> Iterator[Server]:
    """``letters serve`` on 127.0.0.1 (a free port); yields a :class:`Server`; always stopped."""
    problem = ""
    for _attempt in range(3):  # a free port can be taken between probing and binding
        port = free_port()
        command = [
            sys.executable, "-m", "indexer.cli", "serve", "--host", HOST, "--port", str(port),
            "--threads", str(threads), "--workers", str(workers), "--index", str(index),
            "--corpus", str(corpus),
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        with tempfile.TemporaryFile() as log_file:
            proc = subprocess.Popen(
                command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                deadline = time.monotonic() + START_TIMEOUT
                while proc.poll() is None and time.monotonic() < deadline:
                    if _answers(proc, port) and proc.poll() is None:
                        break
                    time.sleep(POLL)
                else:
                    problem = f"exit status {proc.poll()}: {_log_tail(log_file)}"
                    continue
                yield Server(port, proc.pid, lambda chars: _log_tail(log_file, chars))
                return
            finally:
                _stop(proc)
    raise NotPrepared(f"`letters serve` did not start: {problem}")


# -- the load ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one load phase measured."""

    planned: int
    clients: int
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    seconds: float = 0.0
    stopped: str | None = None  # "time limit", "memory limit"
    error_times: list[float] = field(default_factory=list)  # seconds after the start
    rss_samples_kb: list[int] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values())

    @property
    def done(self) -> int:
        return self.ok + self.error_count


def run_load(
    port: int,
    requests: Sequence[Request],
    clients: int,
    time_limit: float,
    rss_kb: Callable[[], int] | None = None,
    memory_limit_kb: int | None = None,
) -> Outcome:
    """Send ``requests`` (in order, from ``clients`` threads with keep-alive connections).

    Stops at ``time_limit`` seconds, or when ``rss_kb()`` passes ``memory_limit_kb``. The client
    threads are always joined before this returns (also on Ctrl+C).
    """
    outcome = Outcome(planned=len(requests), clients=clients)
    lock = threading.Lock()
    stop = threading.Event()
    cursor = iter(range(len(requests)))
    deadline = time.monotonic() + time_limit
    origin = time.perf_counter()

    def client() -> None:
        conn: http.client.HTTPConnection | None = None
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                with lock:
                    i = next(cursor, None)
                if i is None:
                    return
                request = requests[i]
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
                start = time.perf_counter()
                try:
                    status, _body = _get(conn, request.target)
                    problem = None if status == 200 else f"HTTP {status}"
                except Exception as exc:  # every failure is an error of the run, never a crash
                    problem = f"{type(exc).__name__}: {exc}"
                    conn.close()
                    conn = None
                elapsed = time.perf_counter() - start
                with lock:
                    if problem:
                        outcome.errors[request.kind].append(f"{problem} ← {request.target}")
                        outcome.error_times.append(time.perf_counter() - origin)
                    else:
                        outcome.latencies[request.kind].append(elapsed)
        finally:
            if conn is not None:
                conn.close()

    threads = [threading.Thread(target=client, name=f"load-{n}") for n in range(clients)]
    try:
        for thread in threads:
            thread.start()
        while alive := [thread for thread in threads if thread.is_alive()]:
            if rss_kb is not None:  # first checked as the load starts, then every POLL
                rss = rss_kb()
                outcome.rss_samples_kb.append(rss)
                if memory_limit_kb is not None and rss > memory_limit_kb:
                    outcome.stopped = "memory limit"
                    stop.set()
            if time.monotonic() >= deadline:
                stop.set()
            alive[0].join(POLL)
    finally:
        stop.set()
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + STOP_TIMEOUT)
    outcome.seconds = time.perf_counter() - origin
    if outcome.stopped is None and outcome.done < outcome.planned:
        outcome.stopped = "time limit"
    return outcome


# -- the run -----------------------------------------------------------------------------------


def prepare(corpus_kind: str, work: Path) -> tuple[str, Path, Path, str]:
    """(name, corpus, index, how): bench's prepared corpus and index, reused or made as bench."""
    from bench.run import prepare_corpus, run_build
    from indexer.engine.errors import IndexBusy
    from indexer.engine.index import LetterIndex

    kind, quick = CORPORA[corpus_kind]
    name = kind + ("-quick" if quick else "")
    try:
        corpus = prepare_corpus(kind, work, quick, scale=1)
    except SystemExit as exc:  # prepare_corpus exits when the 20news source is missing
        raise NotPrepared(str(exc)) from exc
    index = work / name / "ours"
    letters = LetterIndex(index)
    if letters.exists() and letters.is_current_version():
        log(f"reusing the index at {index}; bringing it in line with the corpus …")
        try:
            report = letters.update(corpus)
        except IndexBusy as exc:
            raise NotPrepared(f"{exc} (is a benchmark building it right now?)") from exc
        how = f"reused ({report.total_changes} letters changed since it was built)"
    else:
        log(f"building the index at {index} (as python -m bench does) …")
        built = run_build("ours", corpus, index)
        how = f"built for this run in {built['seconds']:.1f} s"
    return name, corpus, index, how


def _kind_summary(outcome: Outcome, kind: str) -> dict[str, Any]:
    times, errors = outcome.latencies[kind], outcome.errors[kind]
    count = len(times) + len(errors)
    return {
        "requests": count,
        "share": round(count / outcome.done, 3) if outcome.done else None,
        "errors": len(errors),
        "rps": round(len(times) / outcome.seconds, 2) if outcome.seconds else None,
        "latency": latency_summary(times) if times else None,
    }


def summarize(outcome: Outcome) -> dict[str, Any]:
    every = [t for kind in KINDS for t in outcome.latencies[kind]]
    examples = sorted({e for kind in KINDS for e in outcome.errors[kind]})[:10]
    return {
        "planned": outcome.planned,
        "requests": outcome.done,
        "ok": outcome.ok,
        "errors": outcome.error_count,
        "error_examples": examples,
        "errors_from_s": round(min(outcome.error_times), 3) if outcome.error_times else None,
        "errors_until_s": round(max(outcome.error_times), 3) if outcome.error_times else None,
        "clients": outcome.clients,
        "seconds": round(outcome.seconds, 3),
        "rps": round(outcome.ok / outcome.seconds, 2) if outcome.seconds else None,
        "stopped_early": outcome.stopped,
        "latency": latency_summary(every) if every else None,
        "kinds": {kind: _kind_summary(outcome, kind) for kind in KINDS},
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.run import corpus_stats, machine, source_digest

    started = time.perf_counter()
    work = Path(args.work).resolve()
    try:
        name, corpus, index, how = prepare(args.corpus, work)
    except Exception as exc:
        if isinstance(exc, NotPrepared):
            raise
        raise NotPrepared(f"{type(exc).__name__}: {exc}") from exc
    stats = corpus_stats(corpus)
    log(f"corpus {name}: {stats['letters']} letters; index {how}")
    words = words_for(corpus)
    memory_limit_kb = (
        args.memory_limit_mb * 1024 if args.memory_limit_mb else default_memory_limit_kb()
    )
    result: dict[str, Any] = {
        "name": f"load-{args.corpus}",
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "corpus": {"kind": args.corpus, "folder": str(corpus), **stats},
        "index": {"folder": str(index), "prepared": how},
        "indexer_digest": source_digest(),
        "notes": [],
        "server": {
            "command": "letters serve",
            "host": HOST,
            "threads": args.threads,
            "workers": args.workers,
            "memory_limit_kb": memory_limit_kb,
        },
        "settings": {
            "requests": args.requests,
            "clients": args.clients,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "seed": args.seed,
        },
    }
    generation = index_generation(index)
    result["index"]["generation"] = generation
    log(f"starting letters serve on {HOST} ({args.workers} × {args.threads} threads) …")
    samples: list[int] = []
    with running_server(index, corpus, args.threads, args.workers) as server:
        idle = server_memory_kb(server.pid)

        def rss_kb() -> int:
            return server_memory_kb(server.pid).get("VmRSS", 0)

        conn = http.client.HTTPConnection(HOST, server.port, timeout=REQUEST_TIMEOUT)
        try:
            material = discover(lambda target: _get(conn, target), words)
        finally:
            conn.close()
        requests = plan(material, args.requests, args.seed)
        result["workload"] = {
            "shares": SHARES,
            "planned": allocate(args.requests),
            "material": material.summary(),
            "plan_sha256": plan_digest(requests),
            "first_targets": [r.target for r in requests[:8]],
        }
        log(f"workload: {material.summary()}, plan {result['workload']['plan_sha256']}")
        outcome = Outcome(planned=args.requests, clients=args.clients)
        if args.warmup:
            log(f"warm-up: {args.warmup} requests (not counted) …")
            warm = run_load(
                server.port, plan(material, args.warmup, args.seed + 1), args.clients,
                args.seconds, rss_kb, memory_limit_kb,
            )  # fmt: skip
            samples += warm.rss_samples_kb
            result["warmup"] = {
                "requests": warm.done,
                "errors": warm.error_count,
                "seconds": round(warm.seconds, 3),
                "error_examples": summarize(warm)["error_examples"],
            }
            if warm.stopped == "memory limit":
                outcome.stopped = "memory limit (during the warm-up)"
        if outcome.stopped is None:
            log(f"load: {args.requests} requests, {args.clients} clients, ≤ {args.seconds:g} s …")
            outcome = run_load(
                server.port, requests, args.clients, args.seconds, rss_kb, memory_limit_kb
            )
            samples += outcome.rss_samples_kb
        end = server_memory_kb(server.pid)
        server_log = server.log_tail(4000)
    result["load"] = summarize(outcome)
    result["server"].update(
        {
            "rss_idle_kb": idle.get("VmRSS"),
            "rss_end_kb": end.get("VmRSS"),
            "rss_max_sampled_kb": max(samples, default=None),
            "peak_rss_kb": end.get("VmHWM"),
        }
    )
    warm_errors = result.get("warmup", {}).get("errors", 0)
    if result["load"]["errors"] or warm_errors:
        result["server"]["log_tail"] = server_log
    now = index_generation(index)
    if now != generation:
        result["notes"].append(
            f"the index changed during the run (generation {generation} → {now}): another "
            f"process wrote to {index}; errors after that are not the web app's alone"
        )
    stopped = result["load"]["stopped_early"] or ""
    result["passed"] = (
        result["load"]["errors"] == 0 and warm_errors == 0 and "memory" not in stopped
    )
    result["run_seconds"] = round(time.perf_counter() - started, 1)
    return result


def index_generation(index: Path) -> str | None:
    """The name of the index's current generation folder (None: no readable index)."""
    from indexer.engine.index import LetterIndex

    current = LetterIndex(index).current_dir
    return current.name if current else None


# -- the report --------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _mb(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:,.0f} MB"


def markdown(result: dict[str, Any]) -> str:
    m, load, server = result["machine"], result["load"], result["server"]
    corpus, settings = result["corpus"], result["settings"]
    verdict = "PASS" if result["passed"] else "FAIL"
    lines = [
        f"# Load test: {corpus['kind']} ({result['date']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, Whoosh {m['whoosh']}; "
        f"{m['platform']}.",
        f"Corpus: {corpus['kind']}, {corpus['letters']:,} letters; index "
        f"{result['index']['prepared']}; indexer/webapp source digest {result['indexer_digest']}.",
        f"Server: `letters serve` (waitress, {server.get('workers', 1)} process(es) × "
        f"{server['threads']} threads) on {server['host']}. "
        f"Load: {settings['requests']} requests planned, {load['clients']} keep-alive client "
        f"threads, time limit {settings['seconds']:g} s, {settings['warmup']} warm-up requests "
        f"(not counted), seed {settings['seed']}, plan {result['workload']['plan_sha256']}.",
        "",
        f"**{verdict}**: {load['requests']:,} requests in {load['seconds']:.1f} s, "
        f"{load['errors']} errors, {load['rps'] or 0:.2f} requests/s.",
    ]
    if load["stopped_early"]:
        lines.append(
            f"Stopped early by the {load['stopped_early']}: {load['requests']:,} of "
            f"{load['planned']:,} planned requests were sent."
        )
    warm = result.get("warmup")
    if warm and warm["errors"]:
        lines.append(f"Warm-up: {warm['errors']} errors of {warm['requests']} requests.")
    lines += [
        "",
        "| kind | requests | share | errors | requests/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    labels = {
        "search": "search page `/search?q=`",
        "facet": "facet click `/search?…&recipient=`/`sender=`",
        "letter": "letter page `/letters/<id>`",
        "api": "API `/api/search`",
    }
    rows = [(labels[k], load["kinds"][k]) for k in KINDS]
    rows.append(("**all**", {**load, "share": 1.0 if load["requests"] else None}))
    for label, row in rows:
        lat = row["latency"] or {}
        share = "–" if row["share"] is None else f"{row['share']:.0%}"
        lines.append(
            f"| {label} | {row['requests']:,} | {share} | {row['errors']} | "
            f"{row['rps'] or 0:,.2f} | {_ms(lat.get('p50_ms'))} | {_ms(lat.get('p95_ms'))} | "
            f"{_ms(lat.get('p99_ms'))} | {_ms(lat.get('max_ms'))} |"
        )
    lines += [
        "",
        f"Server memory (RSS): idle {_mb(server.get('rss_idle_kb'))}, highest sampled "
        f"{_mb(server.get('rss_max_sampled_kb'))}, peak {_mb(server.get('peak_rss_kb'))}, "
        f"at the end {_mb(server.get('rss_end_kb'))} (limit {_mb(server['memory_limit_kb'])}).",
    ]
    if load["error_examples"]:
        lines += [
            "",
            f"Errors from {load['errors_from_s']:.1f} s to {load['errors_until_s']:.1f} s after "
            "the start of the load (examples; the server's log is in the JSON):",
            "",
        ]
        lines += [f"- `{e}`" for e in load["error_examples"]]
    if result["notes"]:
        lines += ["", "Notes:", ""]
        lines += [f"- {note}" for note in result["notes"]]
    return "\n".join(lines) + "\n"


def write_results(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{result['name']}-{result['date'][:10]}.json"
    md_path = out / "load-latest.md"
    for path, text in (
        (json_path, json.dumps(result, indent=2, ensure_ascii=False) + "\n"),
        (md_path, markdown(result)),
    ):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return json_path, md_path


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="A bounded, mixed load test of the web app on 127.0.0.1.",
    )
    parser.add_argument("--corpus", choices=tuple(CORPORA), default="20news")
    parser.add_argument("--requests", type=_positive, default=2000, help="requests to send")
    parser.add_argument("--clients", type=_positive, default=8, help="client threads")
    parser.add_argument("--seconds", type=float, default=120.0, help="time limit of the load")
    parser.add_argument("--threads", type=_positive, default=8, help="server threads")
    parser.add_argument(
        "--workers", type=_positive, default=2, help="server processes (one per core)"
    )
    parser.add_argument("--warmup", type=int, default=40, help="uncounted requests first")
    parser.add_argument("--seed", type=int, default=SEED, help="workload seed")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"), help="results folder")
    parser.add_argument("--work", default=str(REPO / "var" / "bench"), help="corpora, indexes")
    parser.add_argument(
        "--memory-limit-mb", type=_positive, default=None,
        help="stop when the server's RSS passes this (default: half the machine's memory)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.warmup < 0:
        parser.error("--seconds must be positive and --warmup not negative")
    return args


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: the server is stopped


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        result = run(args)
    except KeyboardInterrupt:
        log("interrupted: the server was stopped, no results written")
        return 130
    except NotPrepared as exc:
        log(f"not run: {exc}")
        return 3
    except LoadFailed as exc:
        log(f"failed: {exc}")
        return 1
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    json_path, md_path = write_results(result, Path(args.out))
    load = result["load"]
    if load["stopped_early"]:
        log(f"stopped early by the {load['stopped_early']} after {load['requests']} requests")
    log(f"done in {result['run_seconds']:.0f} s: {json_path} and {md_path}")
    print(md_path.read_text(encoding="utf-8"))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""A bounded load test of the real web app on loopback: a mixed, seeded workload, zero errors.

``python -m bench.load [--corpus 20news|quick|seeds] [--requests N] [--clients C] [--seconds S]
[--threads T] [--out bench/results] [--work var/bench]``

1. the corpus and its index: bench's own under ``--work`` (``var/bench/<name>/corpus`` and
   ``…/ours``) are reused when there, else prepared as ``python -m bench`` does
   (:func:`bench.corpus_prep.prepare_corpus`, :func:`bench.build_measures.run_build`); a
   reused index is brought in line with its corpus (``LetterIndex.update``, a no-op when
   nothing changed);
2. ``letters serve`` (waitress, ``--threads T``) in a subprocess on 127.0.0.1, a free port;
3. discovery: one ``/api/search`` of the whole archive and one per probe word give the facet
   values (recipients: the newsgroups; senders) and the letter ids the workload uses;
4. the workload (:func:`bench.load_plan.plan`), seeded: 45% search pages ``/search?q=…``
   (some with ``sort=newest``, some ``page=2``), 18% facet clicks (``recipient=`` /
   ``sender=``), 18% letter pages ``/letters/<id>`` (some with ``?q=``), 9% ``/api/search``,
   and 10% hostile requests (:mod:`bench.hostile`: fuzzy ``~9``, wildcards, nested
   parentheses, long queries, control characters, bad parameters, odd bytes in the path).
   Words come from bench's seeded query mix (:func:`bench.queries.build_mix`), so they occur
   in the corpus;
5. a warm-up (not counted), then the load from ``C`` client threads, each with its own
   keep-alive ``http.client`` connection, bounded in count (``N``), in time (``S`` seconds) and
   in the server's memory (it stops when the server's RSS passes half the machine's memory);
6. results: ``load-<corpus>-<date>.json`` and ``load-latest.md`` in ``--out``: requests/s,
   p50/p95/p99 overall and per kind, answers by status, the slowest requests, errors, server
   memory, the machine.

Every request goes to 127.0.0.1. An ordinary request answered other than 200, a hostile one
answered 5xx, and any exception are errors; a 4xx to a hostile request is counted, not an error.
Exit status: 0 no errors; 1 errors (discovery, warm-up or load) or stopped by the memory limit;
3 the corpus, index or server could not be prepared; 130 interrupted. Stopping at the time limit
is said in the results and is not a failure. The server is always stopped (also on Ctrl+C and
SIGTERM).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.load_client import REQUEST_TIMEOUT, Outcome, get, run_load
from bench.load_plan import (
    SEED,
    SHARES,
    LoadFailed,
    allocate,
    discover,
    plan,
    plan_digest,
    words_for,
)
from bench.load_report import summarize, write_results
from bench.logs import log
from bench.server_process import HOST, REPO, ServerFailed, running_server
from bench.stats import server_memory_kb
from bench.web import default_memory_limit_kb

CORPORA = {"20news": ("20news", False), "quick": ("20news", True), "seeds": ("seeds", False)}


class NotPrepared(Exception):
    """The corpus, the index or the server could not be prepared (exit 3)."""


def prepare(corpus_kind: str, work: Path) -> tuple[str, Path, Path, str]:
    """(name, corpus, index, how): bench's prepared corpus and index, reused or made as bench."""
    from bench.build_measures import run_build
    from bench.corpus_prep import prepare_corpus
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


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.corpus_prep import corpus_stats
    from bench.machine import machine, source_digest

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
            material = discover(lambda target: get(conn, target), words)
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
    except (NotPrepared, ServerFailed) as exc:
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

"""A soak test: mixed traffic for minutes while the archive changes, watching for leaks.

``python -m bench.soak [--seconds 600] [--every 8] [--clients 4] [--workers 2] [--out …]``

1. 20 Newsgroups as letters (every ``--every``-th message, bench's converted corpus under
   ``--work``), copied into a corpus of the soak's own (its letters get changed) and indexed
   with ``letters index``;
2. ``letters serve --workers W`` on 127.0.0.1 (:mod:`bench.server_process`);
3. the load test's seeded mix (:mod:`bench.load_plan`, 10% hostile) from ``--clients``
   keep-alive clients for ``--seconds``;
4. meanwhile (:mod:`bench.soak_changes`) a letter is changed and ``letters index FILE`` run
   every ``--change-every`` seconds, and once, midway, ``letters index --rebuild``;
5. the server's open file handles and RSS (summed over its processes) every
   ``--sample-every`` seconds (:mod:`bench.soak_sampler`).

Passes when no request failed (no 5xx, no connection error, no ordinary request answered other
than 200), every change was indexed and visible, the open files after the traffic exceed those
before it by at most :data:`FD_BOUND`, and the RSS at the end of the traffic exceeds the first
sample after the warm-up by at most :data:`RSS_BOUND` (:func:`evaluate`).
Results: ``soak-<date>.json`` and ``soak-latest.md`` in ``--out``. Exit status 0 pass, 1 fail,
3 not prepared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.corpus_prep import corpus_stats, prepare_corpus
from bench.load_client import REQUEST_TIMEOUT, get, run_load
from bench.load_plan import SEED, LoadFailed, discover, plan, words_for
from bench.load_report import summarize
from bench.logs import log
from bench.machine import machine, source_digest
from bench.server_process import HOST, LETTERS, REPO, ServerFailed, repo_env, running_server
from bench.soak_changes import Writer
from bench.soak_report import write_results
from bench.soak_sampler import Sample, Sampler, baseline, within_bounds
from bench.stats import server_memory_kb
from bench.web import default_memory_limit_kb

#: Handles may grow this much between the idle moments before and after the traffic: each server
#: process holds the files of the index generation it searches (a few per segment), and an
#: update can leave one more segment until the next merge. A leak per update (about 30 in ten
#: minutes) or per generation (dozens of segment files at the rebuild) passes it.
FD_BOUND = 20
#: RSS may grow this fraction: after the warm-up the caches are full, but the rebuild builds a
#: new generation's facet tables while the old ones are still referenced, and Python rarely
#: returns freed memory to the system. Steady growth with every update passes it.
RSS_BOUND = 0.25
REQUESTS_PER_SECOND = 300  # planned ahead; the time limit ends the traffic, not the plan


def prepare(args: argparse.Namespace) -> tuple[Path, Path, dict[str, Any]]:
    """(corpus, index, how): a fresh copy of bench's corpus and an index built from it."""
    work = Path(args.work).resolve()
    try:
        source = prepare_corpus("20news", work, quick=False, scale=1, every=args.every)
    except SystemExit as exc:  # no 20news corpus in ../shared
        raise ServerFailed(f"not prepared: {exc}") from exc
    soak = work / "soak"
    if soak.exists():
        shutil.rmtree(soak)
    corpus, index = soak / "corpus", soak / "index"
    shutil.copytree(source, corpus)
    log(f"indexing {corpus} …")
    start = time.perf_counter()
    command = [*LETTERS, "index", "--quiet", "--corpus", str(corpus), "--index", str(index)]
    done = subprocess.run(
        command, cwd=REPO, env=repo_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ServerFailed(f"letters index failed ({done.returncode}): {done.stderr[-2000:]}")
    return corpus, index, {"build_seconds": round(time.perf_counter() - start, 1)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    corpus, index, how = prepare(args)
    stats = corpus_stats(corpus)
    log(f"corpus: {stats['letters']} letters; index built in {how['build_seconds']} s")
    warmup = min(args.warmup, args.seconds / 4)
    result: dict[str, Any] = {
        "name": "soak",
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "indexer_digest": source_digest(),
        "corpus": {"every": args.every, "folder": str(corpus), **stats},
        "index": {"folder": str(index), **how},
        "settings": {
            "seconds": args.seconds,
            "clients": args.clients,
            "workers": args.workers,
            "threads": args.threads,
            "change_every_s": args.change_every,
            "rebuild_at_s": args.seconds / 2,
            "sample_every_s": args.sample_every,
            "warmup_s": warmup,
            "seed": args.seed,
        },
        "bounds": {"fds": FD_BOUND, "rss_fraction": RSS_BOUND},
    }
    memory_limit_kb = default_memory_limit_kb()
    with running_server(index, corpus, args.threads, args.workers) as server:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=REQUEST_TIMEOUT)
        try:
            material = discover(lambda target: get(conn, target), words_for(corpus))
        finally:
            conn.close()
        requests = plan(material, int(args.seconds * REQUESTS_PER_SECOND), args.seed)
        log(f"soak: {args.seconds:g} s, {args.clients} clients, {args.workers} workers …")
        with (
            Sampler(server.pid, args.sample_every) as sampler,
            Writer(
                corpus, index, server.port, args.change_every, args.seconds / 2, args.seed
            ) as writer,
        ):
            outcome = run_load(
                server.port, requests, args.clients, args.seconds,
                lambda: server_memory_kb(server.pid).get("VmRSS", 0), memory_limit_kb,
            )  # fmt: skip
        server_log = server.log_tail(4000)
    result.update(
        {
            "load": summarize(outcome),
            "stopped": outcome.stopped,
            "changes": [c.as_dict() for c in writer.changes],
            "samples": [s.as_dict() for s in sampler.samples],
            "run_seconds": round(time.perf_counter() - started, 1),
        }
    )
    problems = evaluate(result)
    if problems:
        result["server_log_tail"] = server_log
    return result


def evaluate(result: dict[str, Any]) -> list[str]:
    """What failed (empty: passed); sets ``baseline``, ``end``, ``problems`` and ``passed``.

    Open files are compared between the samples before and after the traffic (taken without
    client connections, whose sockets come and go); RSS between the first sample after the
    warm-up and the last one during the traffic.
    """
    load, changes = result["load"], result["changes"]
    samples = [Sample(**s) for s in result["samples"]]
    first = baseline(samples, result["settings"]["warmup_s"])
    during = samples[-2] if len(samples) > 1 else samples[-1]
    problems: list[str] = []
    if load["errors"]:
        problems.append(f"{load['errors']} requests failed: {load['error_examples'][:3]}")
    if result.get("stopped") == "memory limit":
        problems.append("the server passed half the machine's memory")
    problems += [f"{c['kind']} at {c['t']} s: {c['problem']}" for c in changes if c["problem"]]
    if not any(c["kind"] == "rebuild" for c in changes):
        problems.append("the rebuild did not run (is --seconds long enough?)")
    if first is None:
        problems.append("no sample after the warm-up")
    else:
        idle = (samples[0], samples[-1])
        problems += within_bounds(idle, first, during, FD_BOUND, RSS_BOUND)[1]
    result.update(
        {
            "idle_before": samples[0].as_dict(),
            "idle_after": samples[-1].as_dict(),
            "baseline": first.as_dict() if first else None,
            "end": during.as_dict(),
            "problems": problems,
            "passed": not problems,
        }
    )
    return problems


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description="Minutes of mixed traffic while letters change."
    )
    parser.add_argument("--seconds", type=float, default=600.0, help="length of the traffic")
    parser.add_argument("--every", type=int, default=8, help="every k-th 20news message")
    parser.add_argument("--clients", type=int, default=4, help="keep-alive client threads")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument("--change-every", type=float, default=20.0, help="seconds per update")
    parser.add_argument("--sample-every", type=float, default=5.0, help="seconds per sample")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before the baseline")
    parser.add_argument("--seed", type=int, default=SEED, help="workload and change seed")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"), help="results folder")
    parser.add_argument("--work", default=str(REPO / "var" / "bench"), help="corpora, indexes")
    args = parser.parse_args(argv)
    if min(args.seconds, args.change_every, args.sample_every, args.every, args.clients) <= 0:
        parser.error("--seconds, --change-every, --sample-every, --every, --clients: positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = run(args)
    except ServerFailed as exc:
        log(f"not run: {exc}")
        return 3
    except LoadFailed as exc:
        log(f"failed: {exc}")
        return 1
    json_path, md_path = write_results(result, Path(args.out))
    log(f"done in {result['run_seconds']:.0f} s: {json_path} and {md_path}")
    print(md_path.read_text(encoding="utf-8"))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())

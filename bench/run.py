"""The benchmark run: every measure of ours beside SQLite FTS5 in the same run, as ratios.

``python -m bench [--corpus 20news|scaled|seeds] [--quick] [--out bench/results]``

1. prepare the corpus (converted 20news letters, cached under ``--work``:
   :mod:`bench.corpus_prep`);
2. bulk build of each engine in its own subprocess: time, letters/s, MB/s, peak memory, size
   (:mod:`bench.build_measures`);
3. query latency over the seeded query mix and the broad set: hits only, and the full search
   response (ours: hits + all facet counts + passage snippets; FTS5: hits + ``snippet()``;
   :mod:`bench.query_measures`), uncached on first sight and cached on a repeat
   (:mod:`bench.first_sight`);
4. facet counts for the whole archive (empty query), and
5. incremental update of one changed letter (:mod:`bench.change_measures`);
6. the reading tools: concordance, batch, reuse, similar letters, working set, the reuse band
   terms' share of indexing (:mod:`bench.tools_measures`);
7. the broad set over HTTP, API and page (:mod:`bench.broad_web`); search requests per second
   through ``letters serve`` on loopback (:mod:`bench.web`), with the server's memory;
8. the first ``letters index`` beside ``--rebuild`` on a sample (:mod:`bench.first_index`);
9. results as JSON (``<name>-<date>.json``) and as a Markdown table (``latest.md``) with each
   target, met or not (:mod:`bench.targets`), and after a scaled run the growth from 20news
   (:mod:`bench.growth`).

``--build-only`` stops after step 2 (measure later with ``--reuse-build``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.broad_web import web_kind_measures
from bench.build_measures import build_measures, reused_build
from bench.change_measures import facet_measures, update_measures
from bench.corpus_prep import corpus_stats, prepare_corpus
from bench.first_index import SAMPLE_EVERY, first_index_measures
from bench.fts5 import letter_files
from bench.growth import growth, latest_full_run
from bench.logs import log
from bench.machine import machine, source_digest
from bench.query_measures import Engines, query_measures
from bench.query_sets import QuerySets
from bench.report import markdown_report
from bench.results_files import write_run
from bench.server_process import REPO
from bench.targets import evaluate_targets
from bench.tools_measures import tools_measures
from bench.web import distinct_targets, measure_web

WEB_WARMUP = 40  # requests before the timed load (other requests than the timed ones)
QUICK_SHARE = 0.25  # --quick: a quarter of each query set


def measure(result: dict[str, Any], key: str, func: Callable[[], dict[str, Any]]) -> None:
    """``result[key] = func()``; a failure is recorded (and the run goes on to the next)."""
    try:
        result[key] = func()
    except Exception as exc:
        log(f"  {key} failed: {type(exc).__name__}: {exc}")
        traceback.print_exc()
        result[key] = {"error": f"{type(exc).__name__}: {exc}"}
        result["notes"].append(f"{key}: not measured ({type(exc).__name__}: {exc})")


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    name = args.corpus + ("-quick" if args.quick else "")
    work = Path(args.work).resolve()
    corpus = prepare_corpus(args.corpus, work, args.quick, args.scale)
    run_dir = work / name
    stats = corpus_stats(corpus)
    log(f"corpus {name}: {stats['letters']} letters, {stats['bytes'] / 1e6:.1f} MB")
    result: dict[str, Any] = {
        "name": name,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "corpus": {"kind": args.corpus, "quick": args.quick, **stats},
        "indexer_digest": source_digest(),
        "notes": [],
    }
    if args.corpus == "scaled":
        result["corpus"]["scale"] = args.scale
    reused = reused_build(name, Path(args.out), run_dir) if args.reuse_build else None
    if reused is not None:
        result["build"] = reused
        origin = reused["reused_from"]
        result["notes"].append(
            f"build measures and indexes from the run of {origin['date']} (source digest "
            f"{origin['indexer_digest']}), index format unchanged; queries, facets, update "
            "and web measured again"
        )
        log(f"reusing the indexes built on {origin['date']}")
    else:
        result["build"] = build_measures(corpus, run_dir, stats)
    if args.build_only:  # measure later with --reuse-build (the scaled build takes long)
        result["notes"].append(
            "--build-only: the build alone; queries, facets, update, web not run"
        )
        result["bench_seconds"] = round(time.perf_counter() - started, 1)
        return result
    fts_path = run_dir / "fts5" / "fts5.db"
    sets = QuerySets.for_files(letter_files(corpus), QUICK_SHARE if args.quick else 1.0)
    engines = Engines(run_dir / "ours", fts_path)
    if source_digest() != result["indexer_digest"]:
        result["indexer_digest_at_queries"] = source_digest()
        result["notes"].append(
            "indexer/ or webapp/ changed while the index was being built: the build and the "
            "queries measured different versions of the code"
        )
    try:
        measure(result, "queries", lambda: query_measures(engines, sets.main, sets.main_warmup))
        log("broad query set (words as written, pairs, zero hits, phrases, filter, facet) …")
        measure(
            result,
            "queries_broad",
            lambda: query_measures(engines, sets.broad, sets.broad_warmup, "broad"),
        )
        log("facet counts …")
        measure(result, "facets", lambda: facet_measures(engines))
        log("incremental update …")
        measure(result, "update", lambda: update_measures(engines, corpus))
    finally:
        engines.close()
    log("reading tools (concordance, batch, reuse, similar, working set) …")
    files = letter_files(corpus)
    measure(result, "tools", lambda: tools_measures(run_dir / "ours", files, result, args.quick))
    if args.no_web:
        result["web"] = {"skipped": "--no-web"}
    else:
        log("web: the broad set per kind, /api/search and the search page …")
        measure(
            result,
            "web_kinds",
            lambda: web_kind_measures(run_dir / "ours", corpus, sets.broad, sets.broad_warmup),
        )
        log("web: waitress on loopback …")
        measure(
            result,
            "web",
            lambda: measure_web(
                run_dir / "ours",
                corpus,
                distinct_targets(sets.web_load, WEB_WARMUP + args.web_requests),
                requests=args.web_requests,
                clients=args.web_clients,
                time_limit=args.web_seconds,
                workers=args.web_workers,
                warmup=WEB_WARMUP,
            ),
        )
        if "skipped" in result["web"]:
            result["notes"].append(result["web"]["skipped"])
            log(f"  {result['web']['skipped']}")
    measure(result, "first_index", lambda: first_index_sample(args, work))
    if args.corpus == "scaled" and not args.quick:
        small = latest_full_run(Path(args.out), "20news")
        if small is not None:
            result["growth"] = growth(small, result)
    result["targets"] = evaluate_targets(result)
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    return result


def first_index_sample(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """First ``letters index`` vs ``--rebuild`` on a sample of 20news (the seeds: all five)."""
    if args.corpus == "seeds":
        sample = prepare_corpus("seeds", work, False, 1)
        every = 1
    else:
        every = SAMPLE_EVERY * (4 if args.quick else 1)
        sample = prepare_corpus("20news", work, False, 1, every=every)
    letters = corpus_stats(sample)["letters"]
    rounds = 1 if args.quick else 2
    measured = first_index_measures(sample, work / "first-index", letters, rounds)
    return {**measured, "sample_every": every}


def write_results(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    """The run's JSON, and its table per corpus and as the last run."""
    name = f"{result['name']}-{result['date'][:10]}.json"
    report = markdown_report(result)
    return write_run(out, name, result, report, f"latest-{result['name']}.md", "latest.md")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmark the archive search beside SQLite FTS5."
    )
    parser.add_argument("--corpus", choices=("20news", "scaled", "seeds"), default="20news")
    parser.add_argument("--quick", action="store_true", help="every 8th message only (smoke)")
    parser.add_argument("--scale", type=int, default=10, help="variants per message (scaled)")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--work", default=str(REPO / "var" / "bench"), help="corpora, indexes")
    parser.add_argument("--web-requests", type=int, default=1000)
    parser.add_argument("--web-clients", type=int, default=8)
    parser.add_argument(
        "--web-workers", type=int, default=os.cpu_count() or 1, help="server processes"
    )
    parser.add_argument("--web-seconds", type=float, default=120.0, help="load time limit")
    parser.add_argument("--no-web", action="store_true", help="skip the web measure")
    parser.add_argument(
        "--reuse-build",
        action="store_true",
        help="keep the last run's indexes and build measures (when still valid)",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="convert and build, record the build, stop (then measure with --reuse-build)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.web_requests = min(args.web_requests, 300)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    json_path, md_path = write_results(result, Path(args.out))
    log(f"done in {result['bench_seconds']:.0f} s: {json_path} and {md_path}")
    print(md_path.read_text())
    return 0

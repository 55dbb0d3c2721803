"""The benchmark run: every measure of ours beside SQLite FTS5 in the same run, as ratios.

``python -m bench [--corpus 20news|scaled|seeds] [--quick] [--out bench/results]``

1. prepare the corpus (converted 20news letters, cached under ``--work``);
2. bulk build of each engine in its own subprocess: time, letters/s, MB/s, peak memory, size;
3. query latency over the seeded query mix: hits only, and the full search response
   (ours: hits + all facet counts + passage snippets; FTS5: hits + ``snippet()``);
4. facet counts for the whole archive (empty query);
5. incremental update of one changed letter;
6. search requests per second through waitress on loopback (skipped when the web app is not
   there yet), with the server's memory;
7. results as JSON (``<name>-<date>.json``) and as a Markdown table (``latest.md``) with each
   target of the issue, met or not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import newsgroups
from bench.fts5 import Fts5Index, letter_files
from bench.queries import Query, build_mix
from bench.report import evaluate_targets, markdown_report
from bench.stats import latency_summary, ratio, timed
from bench.web import measure_web, targets_for

REPO = Path(__file__).resolve().parent.parent
QUICK_EVERY = 8  # --quick keeps every 8th message: 2,356 letters of 20news
UPDATE_RUNS = 5
FACET_RUNS = 20


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- corpus ------------------------------------------------------------------------------------


def prepare_corpus(kind: str, work: Path, quick: bool, scale: int) -> Path:
    """The corpus folder for a run, converted once and reused while its recipe is unchanged."""
    every = QUICK_EVERY if quick else 1
    folder = work / f"{kind}{'-quick' if quick else ''}" / "corpus"
    if kind == "seeds":
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(REPO / "corpus" / "letters", folder / "letters")
        return folder
    recipe = {
        "version": newsgroups.CONVERTER_VERSION,
        "scale": scale if kind == "scaled" else 1,
        "every": every,
        "source": str(newsgroups.SOURCE),
    }
    stamp = folder / "recipe.json"
    if stamp.exists() and json.loads(stamp.read_text()) == recipe:
        return folder
    if not newsgroups.SOURCE.is_dir():
        raise SystemExit(f"no 20news corpus at {newsgroups.SOURCE}")
    if folder.exists():
        shutil.rmtree(folder)
    log(f"converting 20news into {folder} (scale {recipe['scale']}, every {every}) …")
    count = sum(1 for _ in newsgroups.convert(folder, scale=recipe["scale"], every=every))
    stamp.write_text(json.dumps(recipe))
    log(f"  {count} letters")
    return folder


def corpus_stats(corpus: Path) -> dict[str, Any]:
    files = letter_files(corpus)
    return {"letters": len(files), "bytes": sum(f.stat().st_size for f in files)}


# -- build -------------------------------------------------------------------------------------


def run_build(engine: str, corpus: Path, target: Path) -> dict[str, Any]:
    """One engine's bulk build in a fresh subprocess (see :mod:`bench.worker`)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-m", "bench.worker", engine, str(corpus), str(target)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{engine} build failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_measures(corpus: Path, work: Path, stats: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for engine in ("ours", "fts5"):
        log(f"bulk build: {engine} …")
        built = run_build(engine, corpus, work / engine)
        seconds = built["seconds"]
        built["letters_per_s"] = round(built["letters"] / seconds, 1) if seconds else None
        built["mb_per_s"] = round(stats["bytes"] / 1e6 / seconds, 3) if seconds else None
        result[engine] = built
        log(f"  {seconds:.1f} s, {built['letters']} letters, {built['error_count']} errors")
    result["ratio_seconds"] = ratio(result["ours"]["seconds"], result["fts5"]["seconds"])
    result["ratio_peak_rss"] = ratio(result["ours"]["peak_rss_kb"], result["fts5"]["peak_rss_kb"])
    result["ratio_index_bytes"] = ratio(
        result["ours"]["index_bytes"], result["fts5"]["index_bytes"]
    )
    return result


def reused_build(name: str, out: Path, run_dir: Path) -> dict[str, Any] | None:
    """The build measures of the last run of this corpus, when its indexes are still on disk
    and of this version's schema (``--reuse-build``: query-time work measured again without
    a build of an hour); None when they cannot be reused."""
    from indexer.engine.index import LetterIndex

    runs = sorted(out.glob(f"{name}-*.json"), key=lambda p: p.stat().st_mtime)
    index = LetterIndex(run_dir / "ours")
    if not runs or not index.exists() or not index.is_current_version():
        return None
    if not (run_dir / "fts5" / "fts5.db").is_file():
        return None
    last = json.loads(runs[-1].read_text())
    if "ours" not in last.get("build", {}):
        return None
    build = dict(last["build"])
    build["reused_from"] = {"date": last["date"], "indexer_digest": last["indexer_digest"]}
    return build


# -- queries -----------------------------------------------------------------------------------


def _whoosh_filter(query: Query):  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    from indexer.engine.schema import FACET_FIELDS, date_number

    clauses: list[Any] = []
    if query.sender:
        clauses.append(wq.Term(FACET_FIELDS["sender"], query.sender))
    if query.date_to:
        clauses.append(wq.NumericRange("date_from", None, date_number(query.date_to)))
    if query.date_from:
        clauses.append(wq.NumericRange("date_to", date_number(query.date_from), None))
    return wq.And(clauses) if clauses else None


def request_for(query: Query):  # type: ignore[no-untyped-def]
    from indexer.request import SearchRequest

    return SearchRequest(
        q=query.q, filters=dict(query.filters), date_from=query.date_from, date_to=query.date_to
    )


class Engines:
    """Both engines opened on their built indexes, with one call per measured operation."""

    def __init__(self, index_root: Path, fts_path: Path) -> None:
        from indexer.archive import Archive
        from indexer.engine.index import LetterIndex

        self.index = LetterIndex(index_root)
        self.archive = Archive(index_root)
        self.searcher = self.index.searcher()
        self.fts = Fts5Index(fts_path)

    def close(self) -> None:
        self.searcher.close()
        self.fts.close()

    def refresh(self) -> None:
        self.searcher = self.searcher.refresh()

    def ours_hits(self, query: Query) -> int:
        from indexer.engine.query import parse_query

        parsed = parse_query(query.q, self.searcher.schema)
        results = self.searcher.search(parsed.query, limit=10, filter=_whoosh_filter(query))
        return len([hit["id"] for hit in results])

    def ours_full(self, query: Query) -> int:
        with self.archive.session() as session:
            result = session.search(request_for(query))
        return len(result.hits)

    def fts_hits(self, query: Query) -> int:
        hits = self.fts.search(
            query.match, sender=query.sender, date_from=query.date_from, date_to=query.date_to
        )
        return len(hits)

    def fts_full(self, query: Query) -> int:
        hits = self.fts.search(
            query.match,
            snippets=True,
            sender=query.sender,
            date_from=query.date_from,
            date_to=query.date_to,
        )
        return len(hits)


OPERATIONS = ("ours_hits", "fts_hits", "ours_full", "fts_full")


def query_measures(engines: Engines, queries: list[Query], repeat: int) -> dict[str, Any]:
    """Latency of each operation over the mix: one untimed warm-up pass, then ``repeat``."""
    times: dict[str, list[float]] = {op: [] for op in OPERATIONS}
    by_kind: dict[str, dict[str, list[float]]] = {}
    empty: dict[str, int] = dict.fromkeys(OPERATIONS, 0)
    for round_ in range(repeat + 1):
        log(f"queries: pass {round_ + 1} of {repeat + 1}{' (warm-up)' if round_ == 0 else ''}")
        for query in queries:
            for op in OPERATIONS:
                seconds, count = timed(lambda op=op, query=query: getattr(engines, op)(query))
                if round_ == 0:
                    empty[op] += count == 0
                    continue
                times[op].append(seconds)
                by_kind.setdefault(query.kind, {}).setdefault(op, []).append(seconds)
    result: dict[str, Any] = {op: latency_summary(times[op]) for op in OPERATIONS}
    result["queries"] = len(queries)
    result["repeat"] = repeat
    result["queries_without_hits"] = empty
    result["by_kind_p50_ms"] = {
        kind: {op: latency_summary(v)["p50_ms"] for op, v in ops.items()}
        for kind, ops in sorted(by_kind.items())
    }
    result["ratio_hits_p95"] = ratio(result["ours_hits"]["p95_ms"], result["fts_hits"]["p95_ms"])
    result["ratio_full_p95"] = ratio(result["ours_full"]["p95_ms"], result["fts_full"]["p95_ms"])
    result["ratio_full_p50"] = ratio(result["ours_full"]["p50_ms"], result["fts_full"]["p50_ms"])
    return result


def facet_measures(engines: Engines) -> dict[str, Any]:
    """Facet counts over the whole archive: our empty-query response and its facet part."""
    from indexer.engine import facets
    from indexer.engine.schema import FACET_FIELDS
    from indexer.request import SearchRequest

    def ours_response() -> int:
        with engines.archive.session() as session:
            return len(session.search(SearchRequest()).facets)

    def ours_counting() -> int:
        # the facet module is being reworked: use its per-generation tables when it has them
        reader = engines.searcher.reader()
        docs = set(reader.all_doc_ids())
        if hasattr(facets, "facet_tables"):
            tables = facets.facet_tables(reader)
        else:
            tables = {facet: facets.value_postings(reader, facet) for facet in FACET_FIELDS}
        return len(facets.count_facets(docs, tables, {}, {}))

    def fts() -> int:
        return len(engines.fts.facet_counts())

    result: dict[str, Any] = {}
    for name, func in (
        ("ours_response", ours_response),
        ("ours_counting", ours_counting),
        ("fts", fts),
    ):
        try:
            func()  # warm-up
            result[name] = latency_summary([timed(func)[0] for _ in range(FACET_RUNS)])
        except Exception as exc:  # the indexer's internals change under us: note, go on
            result[name] = {"error": f"{type(exc).__name__}: {exc}"}
    fts_p95 = result["fts"].get("p95_ms")
    result["ratio_response_p95"] = ratio(result["ours_response"].get("p95_ms"), fts_p95)
    result["ratio_counting_p95"] = ratio(result["ours_counting"].get("p95_ms"), fts_p95)
    return result


def update_measures(engines: Engines, corpus: Path) -> dict[str, Any]:
    """Change one letter file, then ``LetterIndex.update(corpus, only=[file])`` (``letters index
    FILE``) / FTS5 re-index of that file.

    ``UPDATE_RUNS`` different files, each changed by one appended line; the files are restored
    (and the indexes brought back in line, untimed) afterwards. Also timed: an update that
    walks the whole corpus to find the one changed file (``letters index``).
    """
    from indexer.engine.index import LetterIndex

    files = letter_files(corpus)
    rng = random.Random(7)
    chosen = [files[rng.randrange(len(files))] for _ in range(UPDATE_RUNS)]
    originals = {path: path.read_bytes() for path in chosen}
    ours: list[float] = []
    fts: list[float] = []
    scans: list[float] = []
    noop, report = timed(lambda: LetterIndex(engines.index.root).update(corpus))
    problems = [] if report.total_changes == 0 else [f"no-op update changed {report.total_changes}"]
    try:
        for k, path in enumerate(chosen):
            path.write_bytes(originals[path] + f"\nEdited by the benchmark (run {k}).\n".encode())
            seconds, report = timed(
                lambda path=path: LetterIndex(engines.index.root).update(corpus, only=[path])
            )
            if len(report.updated) != 1:
                problems.append(f"update {k}: {report.updated} {report.errors}")
            ours.append(seconds)
            fts.append(timed(lambda path=path: engines.fts.update_file(path, corpus))[0])
            path.write_bytes(originals[path] + f"\nEdited again (run {k}).\n".encode())
            seconds, report = timed(lambda: LetterIndex(engines.index.root).update(corpus))
            if len(report.updated) != 1:
                problems.append(f"full-scan update {k}: {report.updated} {report.errors}")
            scans.append(seconds)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        LetterIndex(engines.index.root).update(corpus)
        for path in originals:
            engines.fts.update_file(path, corpus)
        engines.refresh()
    result = {
        "ours": latency_summary(ours),
        "fts": latency_summary(fts),
        "ours_full_scan": latency_summary(scans),
        "ours_nothing_changed_ms": round(noop * 1000, 1),
        "problems": problems,
    }
    result["ratio_p50"] = ratio(result["ours"]["p50_ms"], result["fts"]["p50_ms"])
    return result


# -- the run -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import whoosh

    return {
        "cpu": model or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "whoosh": ".".join(map(str, whoosh.__version__)),
    }


def source_digest() -> str:
    """A short digest of indexer/ and webapp/ sources: which code a result measured."""
    digest = hashlib.sha256()
    for folder in ("indexer", "webapp"):
        for path in sorted((REPO / folder).rglob("*.py")):
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


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
    fts_path = run_dir / "fts5" / "fts5.db"
    queries = build_mix(letter_files(corpus))
    engines = Engines(run_dir / "ours", fts_path)
    if source_digest() != result["indexer_digest"]:
        result["indexer_digest_at_queries"] = source_digest()
        result["notes"].append(
            "indexer/ or webapp/ changed while the index was being built: the build and the "
            "queries measured different versions of the code"
        )
    try:
        measure(result, "queries", lambda: query_measures(engines, queries, args.repeat))
        log("facet counts …")
        measure(result, "facets", lambda: facet_measures(engines))
        log("incremental update …")
        measure(result, "update", lambda: update_measures(engines, corpus))
    finally:
        engines.close()
    if args.no_web:
        result["web"] = {"skipped": "--no-web"}
    else:
        log("web: waitress on loopback …")
        measure(
            result,
            "web",
            lambda: measure_web(
                run_dir / "ours",
                corpus,
                targets_for(queries),
                requests=args.web_requests,
                clients=args.web_clients,
                time_limit=args.web_seconds,
                workers=args.web_workers,
            ),
        )
        if "skipped" in result["web"]:
            result["notes"].append(result["web"]["skipped"])
            log(f"  {result['web']['skipped']}")
    result["targets"] = evaluate_targets(result)
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    return result


def write_results(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    stamp = result["date"][:10]
    json_path = out / f"{result['name']}-{stamp}.json"
    tmp = json_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, json_path)
    report = markdown_report(result)
    for name in (f"latest-{result['name']}.md", "latest.md"):  # per corpus, and the last run
        md_path = out / name
        tmp = out / f"{name}.tmp"
        tmp.write_text(report)
        os.replace(tmp, md_path)
    return json_path, md_path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmark the archive search beside SQLite FTS5."
    )
    parser.add_argument("--corpus", choices=("20news", "scaled", "seeds"), default="20news")
    parser.add_argument("--quick", action="store_true", help="every 8th message only (smoke)")
    parser.add_argument("--scale", type=int, default=10, help="variants per message (scaled)")
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--work", default=str(REPO / "var" / "bench"), help="corpora, indexes")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes over the mix")
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
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = min(args.repeat, 2)
        args.web_requests = min(args.web_requests, 300)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    json_path, md_path = write_results(result, Path(args.out))
    log(f"done in {result['bench_seconds']:.0f} s: {json_path} and {md_path}")
    print(md_path.read_text())
    return 0

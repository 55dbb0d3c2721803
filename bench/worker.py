"""One engine's bulk build in its own process, so that peak memory is that engine's alone.

``python -m bench.worker ENGINE CORPUS TARGET [JOBS]`` (ENGINE: ``ours`` or ``fts5``) builds the
index of CORPUS into TARGET (a folder, created empty) and prints one JSON object: seconds,
letters, errors, index bytes, the resident memory before the build and at its peak (ours: of
the indexer and its worker processes together, sampled every 0.2 s), and the CPU seconds of
all of them (less distorted by a busy machine than the wall-clock time). JOBS: our build's
worker processes (default: one per core). Interpreter start-up and imports are outside the
timed part.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

from bench.fts5 import Fts5Index, letter_files
from bench.stats import child_pids, process_memory_kb, tree_bytes
from indexer.engine.index import LetterIndex


class TreePeak:
    """The peak of the resident memory of this process and its children together, sampled."""

    def __init__(self, interval: float = 0.2) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            pids = (os.getpid(), *child_pids(os.getpid()))
            now = sum(process_memory_kb(pid).get("VmRSS", 0) for pid in pids)
            self.peak_kb = max(self.peak_kb, now)
            self._stop.wait(interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kb


def cpu_seconds() -> float:
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build(engine: str, corpus: Path, target: Path, jobs: int | None = None) -> dict[str, object]:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    baseline = process_memory_kb().get("VmRSS", 0)
    peak = TreePeak()
    cpu = cpu_seconds()
    start = time.perf_counter()
    if engine == "ours":
        index = LetterIndex(target)
        report = index.rebuild(corpus, jobs=jobs)
        seconds = time.perf_counter() - start
        letters, errors = len(report.added), [str(e) for e in report.errors]
        size = tree_bytes(index.current_dir or target)
    elif engine == "fts5":
        db = Fts5Index(target / "fts5.db")
        letters = db.build(letter_files(corpus), corpus)
        db.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        seconds = time.perf_counter() - start
        errors = []
        size = tree_bytes(target)
    else:
        raise SystemExit(f"unknown engine {engine!r}")
    cpu = cpu_seconds() - cpu
    tree_peak = peak.stop()
    return {
        "engine": engine,
        "seconds": round(seconds, 3),
        "letters": letters,
        "errors": errors[:20],
        "error_count": len(errors),
        "index_bytes": size,
        "baseline_rss_kb": baseline,
        "peak_rss_kb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, tree_peak),
        "cpu_seconds": round(cpu, 2),
        "cpu_ms_per_letter": round(1000 * cpu / letters, 2) if letters else None,
        "jobs": (jobs or os.cpu_count()) if engine == "ours" else 1,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    engine, corpus, target = args[:3]
    jobs = int(args[3]) if len(args) == 4 else None
    print(json.dumps(build(engine, Path(corpus), Path(target), jobs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

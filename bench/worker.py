"""One engine's bulk build in its own process, so that peak memory is that engine's alone.

``python -m bench.worker ENGINE CORPUS TARGET`` (ENGINE: ``ours`` or ``fts5``) builds the index
of CORPUS into TARGET (a folder, created empty) and prints one JSON object: seconds, letters,
errors, index bytes, and the process's resident memory before the build and at its peak.
Interpreter start-up and imports are outside the timed part.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from pathlib import Path

from bench.fts5 import Fts5Index, letter_files
from bench.stats import process_memory_kb, tree_bytes
from indexer.engine.index import LetterIndex


def build(engine: str, corpus: Path, target: Path) -> dict[str, object]:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    baseline = process_memory_kb().get("VmRSS", 0)
    start = time.perf_counter()
    if engine == "ours":
        index = LetterIndex(target)
        report = index.rebuild(corpus)
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
    return {
        "engine": engine,
        "seconds": round(seconds, 3),
        "letters": letters,
        "errors": errors[:20],
        "error_count": len(errors),
        "index_bytes": size,
        "baseline_rss_kb": baseline,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    engine, corpus, target = args
    print(json.dumps(build(engine, Path(corpus), Path(target))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

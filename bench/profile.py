"""Profile one operation on an index the benchmark built, with pyinstrument.

``python -m bench.profile [search|facets|update|build] [--name 20news] [--work var/bench]``

- ``search``: the full search response (``session.search``) for the benchmark's query mix,
  one session per request as the web app does;
- ``facets``: the empty-query response (facet counts for the whole archive);
- ``update``: ``LetterIndex.update`` after one letter file changed;
- ``build``: a bulk build of the first ``--letters`` letters into a scratch folder.

Writes the text profile to ``--out`` (``bench/results/profile-<name>-<what>.txt``) and prints
it. pyinstrument is a development tool, not a dependency: ``pip install pyinstrument``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench.fts5 import letter_files
from bench.queries import build_mix
from bench.query_measures import request_for
from bench.server_process import REPO


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument(
        "what", nargs="?", default="search", choices=("search", "facets", "update", "build")
    )
    parser.add_argument("--name", default="20news", help="run name (folder under --work)")
    parser.add_argument("--work", default=str(REPO / "var" / "bench"))
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--letters", type=int, default=1000, help="letters for 'build'")
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: pip install pyinstrument", file=sys.stderr)
        return 1
    from indexer.archive import Archive
    from indexer.engine.index import LetterIndex
    from indexer.request import SearchRequest

    run_dir = Path(args.work) / args.name
    corpus, index_root = run_dir / "corpus", run_dir / "ours"
    if not LetterIndex(index_root).exists():
        print(f"no index at {index_root}: run 'python -m bench --corpus …' first", file=sys.stderr)
        return 1
    archive = Archive(index_root, result_cache=0)  # every request searches: nothing replayed
    profiler = Profiler(interval=0.0005)
    if args.what == "search":
        queries = build_mix(letter_files(corpus))
        with archive.session() as session:  # warm-up: open files, fill caches
            session.search(request_for(queries[0]))
        profiler.start()
        for query in queries:
            with archive.session() as session:
                session.search(request_for(query))
        profiler.stop()
    elif args.what == "facets":
        profiler.start()
        for _ in range(20):
            with archive.session() as session:
                session.search(SearchRequest())
        profiler.stop()
    elif args.what == "update":
        path = letter_files(corpus)[0]
        original = path.read_bytes()
        try:
            path.write_bytes(original + b"\nEdited by the profiler.\n")
            profiler.start()
            LetterIndex(index_root).update(corpus)
            profiler.stop()
        finally:
            path.write_bytes(original)
            LetterIndex(index_root).update(corpus)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="bench-profile-"))
        try:
            for path in letter_files(corpus)[: args.letters]:
                target = scratch / "corpus" / path.relative_to(corpus)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            profiler.start()
            LetterIndex(scratch / "index").rebuild(scratch / "corpus")
            profiler.stop()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"profile-{args.name}-{args.what}.txt"
    target.write_text(text)
    print(text)
    print(f"written to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

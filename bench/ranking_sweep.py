"""``python -m bench.ranking_sweep``: try ranking settings on SciFact train and Cranfield.

Prints, for every setting of the chosen grid, both collections' nDCG@10 and MAP beside the
reference BM25 of the same run, and the worst-case margin (``indexer.evaluation.sweep``);
the best setting is starred. Only SciFact *train* judgments are used (never a test split).

    python -m bench.ranking_sweep [--grid coarse] [--eval ../shared/eval] [--only cranfield]
        [--untitled] [--max-queries N]

SciFact takes about 30 s per setting on a loaded 2-core machine, Cranfield about 5 s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indexer.engine.collection_index import TUNED, OursParams
from indexer.evaluation.collections import load_collection
from indexer.evaluation.run import subset
from indexer.evaluation.sweep import format_sweep, grid, sweep, untitled

COLLECTIONS = ("scifact", "cranfield")  # SciFact with its train split only
DEFAULT_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"

#: named grids; each is a list of settings (the other knobs as the chosen defaults)
GRIDS: dict[str, list[OursParams]] = {
    "defaults": [TUNED],
    "old": [TUNED, OursParams(k1=1.2, b=0.75, title_boost=0.25)],  # the SciFact-only tuning
    "coarse": grid(k1=(0.9, 1.2), b=(0.4, 0.6, 0.75), title_boost=(0.25, 0.5)),
    "candidates": grid(k1=(0.9, 1.0), b=(0.4, 0.5), title_boost=(0.3, 0.4)),
    "near-lucene": grid(
        k1=(0.8, 0.9, 1.0), b=(0.3, 0.4, 0.5), title_boost=(0.3, 0.4), title_b=(None, 0.0, 0.4)
    ),
    "title": grid(title_boost=(0.0, 0.1, 0.25, 0.5, 1.0)),
    "title-b": grid(title_b=(None, 0.0, 0.3, 0.5, 1.0)),
    "k1": grid(k1=(0.6, 0.9, 1.2, 1.5, 2.0)),
    "b": grid(b=(0.3, 0.4, 0.5, 0.6, 0.75, 0.9)),
    "idf": grid(document_idf=(True, False)),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ranking_sweep", description=__doc__)
    parser.add_argument("--grid", choices=sorted(GRIDS), default="coarse")
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="folder of collections")
    parser.add_argument("--max-queries", type=int, default=None, help="first N queries only")
    parser.add_argument(
        "--only", choices=COLLECTIONS, default=None, help="one collection (a quick first pass)"
    )
    parser.add_argument(
        "--untitled", action="store_true", help="move each title into its text (no title field)"
    )
    args = parser.parse_args(argv)
    folders = [args.eval / name for name in COLLECTIONS if args.only in (None, name)]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        parser.error(f"no such collection folder: {', '.join(missing)}")
    collections = [subset(load_collection(f, "train"), args.max_queries) for f in folders]
    if args.untitled:
        collections = [untitled(c) for c in collections]
    rows = sweep(collections, GRIDS[args.grid], progress=lambda m: print(m, file=sys.stderr))
    print(format_sweep(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

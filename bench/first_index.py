"""The first ``letters index`` of an empty index beside ``letters index --rebuild``.

Both are the real command (``python -m indexer.cli index --quiet``), each in its own process
on a fresh index folder, on a sample of the corpus (every k-th message: the whole corpus
would double the bench's build time). Wall time of the command, start-up included for both.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.logs import log
from bench.server_process import LETTERS, REPO, repo_env
from bench.stats import ratio

SAMPLE_EVERY = 16  # 20news: 1,178 letters


def run_index(corpus: Path, index: Path, rebuild: bool) -> float:
    """Seconds of one ``letters index`` (``--rebuild``) into an empty ``index`` folder."""
    if index.exists():
        shutil.rmtree(index)
    command = [*LETTERS, "index", "--quiet", "--corpus", str(corpus), "--index", str(index)]
    start = time.perf_counter()
    done = subprocess.run(
        command + (["--rebuild"] if rebuild else []),
        cwd=REPO,
        env=repo_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"`letters index` failed: {(done.stderr or done.stdout)[-2000:]}")
    return seconds


def first_index_measures(sample: Path, work: Path, letters: int, rounds: int = 2) -> dict[str, Any]:
    """First index, then rebuild, ``rounds`` times (alternating: the order's effect averages
    out); the best of each is compared."""
    log(f"first `letters index` vs `--rebuild` on {letters} letters …")
    first: list[float] = []
    rebuild: list[float] = []
    for _ in range(rounds):
        first.append(run_index(sample, work / "first", rebuild=False))
        rebuild.append(run_index(sample, work / "rebuild", rebuild=True))
    for folder in ("first", "rebuild"):
        shutil.rmtree(work / folder, ignore_errors=True)
    best_first, best_rebuild = min(first), min(rebuild)
    return {
        "letters": letters,
        "sample_every": SAMPLE_EVERY,
        "first_index_s": [round(s, 2) for s in first],
        "rebuild_s": [round(s, 2) for s in rebuild],
        "ratio_first_to_rebuild": ratio(best_first, best_rebuild),
    }

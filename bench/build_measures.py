"""Bulk build of each engine in its own subprocess (:mod:`bench.worker`), and its reuse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.logs import log
from bench.server_process import REPO, repo_env
from bench.stats import ratio


def run_build(engine: str, corpus: Path, target: Path) -> dict[str, Any]:
    """One engine's bulk build in a fresh subprocess (see :mod:`bench.worker`)."""
    env = repo_env()
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
    build["reused_from"] = build.get("reused_from") or {  # the run that built them
        "date": last["date"],
        "indexer_digest": last["indexer_digest"],
    }
    return build

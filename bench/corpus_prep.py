"""The benchmark's corpora, converted once under ``--work`` and reused while the recipe holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from bench import newsgroups
from bench.fts5 import letter_files
from bench.logs import log
from bench.server_process import REPO

QUICK_EVERY = 8  # --quick keeps every 8th message: 2,356 letters of 20news


def prepare_corpus(
    kind: str, work: Path, quick: bool, scale: int, every: int | None = None
) -> Path:
    """The corpus folder for a run, converted once and reused while its recipe is unchanged.

    ``every`` keeps every k-th message (``quick``: every 8th), in a folder of its own.
    """
    if every is None or every == 1:
        every = QUICK_EVERY if quick else 1
        name = f"{kind}{'-quick' if quick else ''}"
    else:
        name = f"{kind}-every{every}"
    folder = work / name / "corpus"
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

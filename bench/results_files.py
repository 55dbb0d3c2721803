"""Writing a run's results: the JSON of everything measured and its Markdown summaries, each
replaced atomically (a reader never sees half a file)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_run(
    out: Path, json_name: str, result: dict[str, Any], markdown: str, *md_names: str
) -> tuple[Path, Path]:
    """``out/json_name`` and each ``out/md_name``; returns the JSON and the last Markdown path."""
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / json_name
    write_atomically(json_path, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    md_path = json_path
    for name in md_names:
        md_path = out / name
        write_atomically(md_path, markdown)
    return json_path, md_path

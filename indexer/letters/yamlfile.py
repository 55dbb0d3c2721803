"""Reading the archive's own YAML data files (the authority file, the concept thesaurus): a
mapping with a list of entries under one key, or a message naming the file and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def read_entries(path: Path, key: str, error: type[Exception]) -> tuple[dict[str, Any], list[Any]]:
    """The file's mapping and the list under ``key``; ``error`` names what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot be read as YAML: {exc}") from exc
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise error(f"{path}: expected a mapping with a list under '{key}'")
    return data, entries

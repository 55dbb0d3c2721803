"""What a result was measured on: the machine, and which version of the code."""

from __future__ import annotations

import hashlib
import os
import platform
import sqlite3
from pathlib import Path
from typing import Any

from bench.server_process import REPO


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

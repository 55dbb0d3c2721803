"""Small statistics and measuring helpers shared by the benchmark modules."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0…100) by linear interpolation between closest ranks.

    The same definition as numpy's default (``method="linear"``): p=50 of an even count is the
    mean of the middle two values; p=0 and p=100 are the minimum and the maximum.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {p}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(seconds: Sequence[float]) -> dict[str, Any]:
    """Milliseconds: count, mean, p50, p95, p99 and max of a list of durations in seconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "mean_ms": round(sum(ms) / len(ms), 3),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(max(ms), 3),
    }


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def ratio(ours: float | None, theirs: float | None) -> float | None:
    """ours / theirs, or None when either is missing or theirs is zero."""
    if ours is None or theirs is None or theirs == 0:
        return None
    return round(ours / theirs, 2)


def tree_bytes(path: Path) -> int:
    """Bytes of all files under a folder (or of one file), following no symlinks."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            file = Path(root) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def server_memory_kb(pid: int) -> dict[str, int]:
    """:func:`process_memory_kb` summed over a server process and its worker processes
    (``letters serve --workers N``); peaks are summed too, an upper bound of the joint peak."""
    total: dict[str, int] = {}
    for each in (pid, *child_pids(pid)):
        for key, value in process_memory_kb(each).items():
            total[key] = total.get(key, 0) + value
    return total


def per_process_memory_kb(pid: int) -> list[dict[str, int]]:
    """:func:`process_memory_kb` of a server process and of each of its workers, with its pid:
    a target per process is judged on each, not on the sum."""
    return [{"pid": each, **process_memory_kb(each)} for each in (pid, *child_pids(pid))]


def child_pids(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return sorted(found)


def process_memory_kb(pid: int | str = "self") -> dict[str, int]:
    """VmRSS (now), VmHWM (peak), RssAnon and RssFile of a process in KiB, from /proc.

    Empty when unreadable. RssFile is memory-mapped files (shared with the page cache);
    RssAnon is the process's own heap.
    """
    result: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return result
    for line in text.splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            result[key] = int(value.split()[0])
    return result

"""Search requests per second through the real WSGI server, on loopback only.

Starts ``letters serve`` (:mod:`bench.server_process`) on a free 127.0.0.1 port, sends a
bounded number of ``/api/search`` requests (the query mix, in order) from a pool of client
threads, each with its own keep-alive ``http.client`` connection, and stops the server. The
load is bounded both in count and in time, and every address is on this machine.
"""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.load_client import get
from bench.server_process import HOST, ServerFailed, running_server
from bench.stats import latency_summary, per_process_memory_kb, server_memory_kb

PATH = "/api/search"
READY = PATH  # the empty query answers readiness: not one of the measured requests
THREADS = 8  # per server process, as ``letters serve`` by default


def measure_web(
    index_root: Path,
    corpus: Path,
    targets: Sequence[str],
    requests: int = 1000,
    clients: int = 8,
    time_limit: float = 120.0,
    warmup: int = 40,
    memory_limit_kb: int | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """rps, latency percentiles and errors of ``requests`` searches; server memory too.

    ``targets``: URL paths with query strings, used in order (cycled). Returns
    ``{"skipped": reason}`` when the web app cannot be served. The load stops early at
    ``time_limit`` seconds, or when the server's RSS passes ``memory_limit_kb`` (default: half
    the machine's memory), and the result says so.
    """
    if memory_limit_kb is None:
        memory_limit_kb = default_memory_limit_kb()
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(
                running_server(
                    index_root, corpus, threads=THREADS, workers=workers, ready_path=READY
                )
            )
        except ServerFailed as exc:
            return {"skipped": f"web app not measurable: {exc}"}
        port = server.port
        idle = server_memory_kb(server.pid)
        local = threading.local()
        lock = threading.Lock()
        latencies: list[float] = []
        errors: list[str] = []
        deadline = time.monotonic() + time_limit

        def one(i: int) -> None:
            if time.monotonic() > deadline:
                return
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection(HOST, port, timeout=60)
            start = time.perf_counter()
            try:
                status, _body = get(conn, targets[i % len(targets)])
                problem = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                conn.close()
                local.conn = None
            elapsed = time.perf_counter() - start
            with lock:
                if problem:
                    errors.append(problem)
                else:
                    latencies.append(elapsed)

        with ThreadPoolExecutor(clients) as pool:  # warm-up, not counted
            list(pool.map(one, range(warmup)))
        latencies.clear()
        errors.clear()
        deadline = time.monotonic() + time_limit
        stop = threading.Event()
        over_memory: list[int] = []

        def watch() -> None:  # end the load early if the server eats the machine's memory
            nonlocal deadline
            while not stop.wait(0.2):
                rss = server_memory_kb(server.pid).get("VmRSS", 0)
                if rss > memory_limit_kb:
                    over_memory.append(rss)
                    deadline = 0.0
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(one, range(warmup, warmup + requests)))  # not the warm-up's
        wall = time.perf_counter() - start
        stop.set()
        watcher.join()
        done = len(latencies) + len(errors)
        memory = server_memory_kb(server.pid)
        processes = per_process_memory_kb(server.pid)
        return {
            "requests": done,
            "planned": requests,
            "different_targets": len(
                {targets[i % len(targets)] for i in range(warmup, warmup + done)}
            ),
            "warmup_requests": warmup,
            "clients": clients,
            "server_threads": THREADS,
            "server_workers": workers,
            "seconds": round(wall, 3),
            "rps": round(len(latencies) / wall, 1) if wall else None,
            "errors": len(errors),
            "error_examples": sorted(set(errors))[:5],
            "latency": latency_summary(latencies) if latencies else None,
            "stopped_by_time_limit": done < requests and not over_memory,
            "stopped_by_memory_limit_kb": memory_limit_kb if over_memory else None,
            "server_rss_idle_kb": idle.get("VmRSS"),
            "server_rss_kb": memory.get("VmRSS"),
            "server_peak_rss_kb": memory.get("VmHWM"),
            "server_rss_anon_kb": memory.get("RssAnon"),
            "server_rss_file_kb": memory.get("RssFile"),
            "server_processes": processes,
            "server_peak_rss_per_process_max_kb": max(
                (p.get("VmHWM", 0) for p in processes), default=None
            ),
        }


def default_memory_limit_kb() -> int:
    """Half the machine's memory: the load stops early when the server grows past it."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 2
    except OSError:
        pass
    return 8 * 1024 * 1024


def targets_for(queries: Sequence[Any]) -> list[str]:
    """``/api/search?…`` for every query of the mix."""
    return [f"{PATH}?{urlencode(q.params())}" for q in queries]


def distinct_targets(queries: Sequence[Any], count: int) -> list[str]:
    """Up to ``count`` different ``/api/search?…`` targets, in order: each request of the
    load is seen once, so the throughput is the uncached one (a results cache would answer a
    repeat from memory)."""
    return list(dict.fromkeys(targets_for(queries)))[:count]

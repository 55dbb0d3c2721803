"""The query sets over HTTP, one request at a time: ``/api/search`` and the HTML search page
through the real waitress server (``letters serve``), per kind, first sight and repeat.

Each of the two paths gets a server of its own (one process, so that a repeat reaches the
process that saw the request first; a results cache lives in a process), warmed on other
queries: the page and the API may share a cache, and a page after its API request would be a
repeat. One client thread with a keep-alive connection: latency, not throughput
(:mod:`bench.web` measures that). Any answer but 200 is an error of the run, counted per path.
"""

from __future__ import annotations

import http.client
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.first_sight import first_sight_measures, warmup_set
from bench.load_client import get
from bench.queries import Query
from bench.query_measures import request_for
from bench.server_process import HOST, ServerFailed, running_server

PATHS = {"api": "/api/search", "page": "/search"}
READY = "/api/search"  # the empty query: not one of the measured requests
THREADS = 8


def url_for(path: str, query: Query) -> str:
    """The request of the in-process measure, as the web app's URL parameters."""
    return f"{path}?{request_for(query).query_string()}"


class Client:
    """One keep-alive connection to a server; a request answers its hit count as 1 (a page
    has no count to read) and records every answer that is not a 200."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)
        self.errors: list[str] = []

    def __call__(self, query: Query) -> int:
        target = url_for(self.path, query)
        try:
            status, _body = get(self.conn, target)
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
            self.errors.append(f"{type(exc).__name__}: {exc} ({target[:200]})")
            return 0
        if status != 200:
            self.errors.append(f"HTTP {status} ({target[:200]})")
            return 0
        return 1


def web_kind_measures(
    index_root: Path, corpus: Path, queries: Sequence[Query], warmup: Sequence[Query]
) -> dict[str, Any]:
    """Per path: the first-sight summary (as :func:`bench.first_sight.summarize`, the repeat
    under ``cached``), its errors; ``{"skipped": …}`` when the app cannot be served."""
    result: dict[str, Any] = {"server_workers": 1, "server_threads": THREADS, "clients": 1}
    warm = warmup_set(warmup, queries)
    for name, path in PATHS.items():
        try:
            with running_server(
                index_root, corpus, threads=THREADS, workers=1, ready_path=READY
            ) as server:
                client = Client(server.port, path)
                measured = first_sight_measures({name: client}, queries, warm, f"web {path}")
                client.conn.close()
        except ServerFailed as exc:
            return {"skipped": f"web app not measurable: {exc}"}
        measured["errors"] = len(client.errors)
        measured["error_examples"] = sorted(set(client.errors))[:5]
        result[name] = measured
    return result

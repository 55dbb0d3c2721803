"""The load test's clients: threads with keep-alive connections that send a planned workload.

An ordinary request is an error unless answered 200. A hostile request is an error only when
answered 5xx (or not at all): a 4xx is the right answer to a bad parameter. Every request's
status is counted, and the slowest are kept.
"""

from __future__ import annotations

import heapq
import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bench.background import rounded
from bench.load_plan import KINDS, Request
from bench.server_process import HOST, STOP_TIMEOUT

REQUEST_TIMEOUT = 60.0
POLL = 0.2
SLOWEST = 5  # requests kept as the slowest of a run


def get(conn: http.client.HTTPConnection, target: str) -> tuple[int, bytes]:
    conn.request("GET", target)
    response = conn.getresponse()
    return response.status, response.read()


def problem_of(request: Request, status: int) -> str | None:
    """Why an answer is an error of the run (None: it is not)."""
    if request.kind == "hostile":
        return f"HTTP {status}" if status >= 500 else None
    return None if status == 200 else f"HTTP {status}"


@dataclass(frozen=True, order=True)
class Timing:
    """One answered (or failed) request: how long it took and what came back."""

    ms: float
    kind: str
    status: str  # "200", "404", … or "error" (no answer)
    target: str
    label: str = ""

    def as_dict(self) -> dict[str, object]:
        return {**rounded(self, ms=1), "target": self.target[:300]}


@dataclass
class Outcome:
    """What one load phase measured."""

    planned: int
    clients: int
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    statuses: Counter[str] = field(default_factory=Counter)
    unexpected: Counter[str] = field(default_factory=Counter)  # hostile: "label: got status"
    slowest: list[Timing] = field(default_factory=list)  # a min-heap of the SLOWEST slowest
    seconds: float = 0.0
    stopped: str | None = None  # "time limit", "memory limit"
    error_times: list[float] = field(default_factory=list)  # seconds after the start
    rss_samples_kb: list[int] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values())

    @property
    def done(self) -> int:
        return self.ok + self.error_count

    def record(
        self, request: Request, status: int | None, seconds: float, problem: str | None
    ) -> None:
        """Count one request (``status`` None: no answer); the caller holds the lock."""
        shown = "error" if status is None else str(status)
        self.statuses[shown] += 1
        timing = Timing(seconds * 1000, request.kind, shown, request.target, request.label)
        if len(self.slowest) < SLOWEST:
            heapq.heappush(self.slowest, timing)
        else:
            heapq.heappushpop(self.slowest, timing)
        if request.kind == "hostile" and status is not None:
            got = "200" if status == 200 else f"{status // 100}xx"
            if got != request.expect:
                self.unexpected[f"{request.label}: {status}"] += 1
        if problem:
            self.errors[request.kind].append(f"{problem} ← {request.target[:300]}")
        else:
            self.latencies[request.kind].append(seconds)


def run_load(
    port: int,
    requests: Sequence[Request],
    clients: int,
    time_limit: float,
    rss_kb: Callable[[], int] | None = None,
    memory_limit_kb: int | None = None,
) -> Outcome:
    """Send ``requests`` (in order, from ``clients`` threads with keep-alive connections).

    Stops at ``time_limit`` seconds, or when ``rss_kb()`` passes ``memory_limit_kb``. The client
    threads are always joined before this returns (also on Ctrl+C).
    """
    outcome = Outcome(planned=len(requests), clients=clients)
    lock = threading.Lock()
    stop = threading.Event()
    cursor = iter(range(len(requests)))
    deadline = time.monotonic() + time_limit
    origin = time.perf_counter()

    def client() -> None:
        conn: http.client.HTTPConnection | None = None
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                with lock:
                    i = next(cursor, None)
                if i is None:
                    return
                request = requests[i]
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
                start = time.perf_counter()
                status: int | None = None
                try:
                    status, _body = get(conn, request.target)
                    problem = problem_of(request, status)
                except Exception as exc:  # every failure is an error of the run, never a crash
                    problem = f"{type(exc).__name__}: {exc}"
                    conn.close()
                    conn = None
                elapsed = time.perf_counter() - start
                with lock:
                    outcome.record(request, status, elapsed, problem)
                    if problem:
                        outcome.error_times.append(time.perf_counter() - origin)
        finally:
            if conn is not None:
                conn.close()

    threads = [threading.Thread(target=client, name=f"load-{n}") for n in range(clients)]
    try:
        for thread in threads:
            thread.start()
        while alive := [thread for thread in threads if thread.is_alive()]:
            if rss_kb is not None:  # first checked as the load starts, then every POLL
                rss = rss_kb()
                outcome.rss_samples_kb.append(rss)
                if memory_limit_kb is not None and rss > memory_limit_kb:
                    outcome.stopped = "memory limit"
                    stop.set()
            if time.monotonic() >= deadline:
                stop.set()
            alive[0].join(POLL)
    finally:
        stop.set()
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + STOP_TIMEOUT)
    outcome.seconds = time.perf_counter() - origin
    if outcome.stopped is None and outcome.done < outcome.planned:
        outcome.stopped = "time limit"
    return outcome

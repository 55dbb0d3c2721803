"""Open file handles and memory of a server and its worker processes, sampled over time.

A leak shows as growth between a sample taken once the server is warm (its caches filled) and
the last one; :func:`within_bounds` says whether the growth stays under the stated bounds.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from bench.background import Background
from bench.stats import child_pids, process_memory_kb


@dataclass(frozen=True)
class Sample:
    t: float  # seconds after the sampler started
    fds: int  # open file handles, summed over the processes
    rss_kb: int  # resident memory, summed over the processes
    processes: int

    def as_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "t": round(self.t, 1)}


def open_fds(pid: int) -> int:
    """Entries of ``/proc/<pid>/fd`` (0 when the process is gone)."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def sample(pid: int, t: float) -> Sample:
    pids = (pid, *child_pids(pid))
    fds = sum(open_fds(p) for p in pids)
    rss = sum(process_memory_kb(p).get("VmRSS", 0) for p in pids)
    return Sample(t, fds, rss, len(pids))


class Sampler(Background):
    """Samples ``pid`` (and its children) every ``interval`` seconds in a daemon thread."""

    thread_name = "soak-sampler"

    def __init__(self, pid: int, interval: float) -> None:
        self.pid, self.interval = pid, interval
        self.samples: list[Sample] = []
        super().__init__()

    def _run(self) -> None:
        while True:
            self.samples.append(sample(self.pid, self._now()))
            if self._stop.wait(self.interval):
                return

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        self.samples.append(sample(self.pid, self._now()))


def baseline(samples: list[Sample], warmup: float) -> Sample | None:
    """The first sample taken at or after ``warmup`` seconds."""
    return next((s for s in samples if s.t >= warmup), None)


def within_bounds(
    idle: tuple[Sample, Sample], first: Sample, last: Sample, fd_bound: int, rss_bound: float
) -> tuple[bool, list[str]]:
    """Whether the open files grew by at most ``fd_bound`` between the ``idle`` samples (before
    and after the traffic: no client sockets, only what the server keeps), and the RSS by at
    most ``rss_bound`` (a fraction) from ``first`` to ``last``; the reasons when not."""
    problems = []
    if idle[1].fds > idle[0].fds + fd_bound:
        problems.append(f"open files grew {idle[0].fds} → {idle[1].fds} (bound +{fd_bound})")
    if last.rss_kb > first.rss_kb * (1 + rss_bound):
        problems.append(
            f"RSS grew {first.rss_kb / 1024:.0f} → {last.rss_kb / 1024:.0f} MB "
            f"(bound +{rss_bound:.0%})"
        )
    if last.processes != first.processes:
        problems.append(f"server processes {first.processes} → {last.processes}")
    return not problems, problems

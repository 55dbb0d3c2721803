"""Time bounds that hold on a busy machine and still catch an unbounded search.

A search stopped by its budget overruns it by the longest step between two checks of the
clock (plus, for a real server, the request's own handling). When other work shares the
cores, every step is slower by about the same factor, so a fixed slack fails on a loaded
machine (two cores, seven test runs). The tests therefore allow ``max(slack, FACTOR ×
reference)``: ``reference`` is a cheap request of the same kind timed in the same test, right
after the one judged. On a quiet machine that is the fixed slack; under load, proportionally
more. A search that ignores its budget still fails: it overruns by seconds to minutes, hundreds
of reference times (``strike~9`` took seconds on five letters, ten fuzzy words 25 s).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: how many reference requests the overrun may be worth: a plain search answers in tens of
#: milliseconds on a quiet machine, so 20 of them is about the half-second slack
FACTOR = 20
REPEAT = 3


def timed(action: Callable[[], T]) -> tuple[T, float]:
    """The action's result and the wall-clock seconds it took."""
    start = time.monotonic()
    result = action()
    return result, time.monotonic() - start


def reference_seconds(action: Callable[[], Any], repeat: int = REPEAT) -> float:
    """The median seconds of a cheap action, timed now: how slow the machine is at the moment."""
    return statistics.median(timed(action)[1] for _ in range(repeat))


def allowance(reference: Callable[[], Any], slack: float, factor: float = FACTOR) -> float:
    """What a bounded action may overrun its budget by now (see the module's docstring)."""
    return max(slack, factor * reference_seconds(reference))


def assert_within(
    seconds: float,
    budget: float,
    reference: Callable[[], Any],
    slack: float,
    what: object = "",
) -> None:
    """``seconds`` is within ``budget`` plus the allowance; the reference is timed only when
    the fixed slack is exceeded, so a quiet machine pays nothing for the check."""
    if seconds <= budget + slack:
        return
    limit = budget + allowance(reference, slack)
    assert seconds <= limit, f"{seconds:.2f} s > {limit:.2f} s (budget {budget:g} s): {what}"

"""The time one search may take, shared by every stage of it.

A search creates one :class:`Budget` when it starts; parsing, term expansion, matching,
scoring, facets, snippets and the spelling suggestion all draw on it, and each loop that can
grow checks it, so that no request holds a server thread much beyond the limit. A stage that
finds the budget spent stops and keeps what it has; the result then says ``timed_out``.
"""

from __future__ import annotations

import time


class Budget:
    """A deadline; ``timed_out`` remembers that some stage stopped early because of it."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.timed_out = False

    def remaining(self) -> float:
        """Seconds left (a little more than none, for Whoosh's time limit which needs > 0)."""
        return max(self.deadline - time.monotonic(), 0.001)

    def spent(self) -> bool:
        """Whether time is up (and, if so, remember that the answer is partial)."""
        if not self.timed_out and time.monotonic() >= self.deadline:
            self.timed_out = True
        return self.timed_out

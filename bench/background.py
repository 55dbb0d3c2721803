"""A daemon thread that runs beside a measurement: started by ``with``, stopped and joined at
its end (so no test or run leaves one behind)."""

from __future__ import annotations

import threading
import time
from dataclasses import asdict
from typing import Any


class Background:
    """Subclasses implement :meth:`_run`, which returns once ``self._stop`` is set."""

    thread_name = "background"
    join_timeout: float | None = None

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._origin = time.monotonic()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def _now(self) -> float:
        return time.monotonic() - self._origin

    def __enter__(self) -> Any:
        self._origin = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(self.join_timeout)


def rounded(record: Any, **digits: int) -> dict[str, Any]:
    """A dataclass as a dict, the named fields rounded to so many digits (None stays None)."""
    data = asdict(record)
    for name, places in digits.items():
        if data[name] is not None:
            data[name] = round(data[name], places)
    return data

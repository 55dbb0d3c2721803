"""A background thread per server process that keeps the index's shared tables built.

The facet tables, date order and whole-archive counts belong to one index generation and are
built by the first search that needs them: seconds on a large archive, after every start and
every ``letters index``. This thread builds them as soon as a new generation appears, so that
a person's search rarely has to wait for it (searches arriving meanwhile wait for the one
build instead of repeating it).
"""

from __future__ import annotations

import logging
import threading

from indexer.archive import Archive, IndexProblem


class Warmer:
    """The thread, and a way to stop it (the server never needs to: it is a daemon thread)."""

    def __init__(self, archive: Archive, every_seconds: float, logger: logging.Logger) -> None:
        self._stop = threading.Event()
        self.thread = threading.Thread(
            target=self._run,
            args=(archive, every_seconds, logger),
            name="index-warmer",
            daemon=True,
        )
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()

    def _run(self, archive: Archive, every_seconds: float, logger: logging.Logger) -> None:
        while not self._stop.is_set():
            try:
                archive.warm()
            except (IndexProblem, OSError) as exc:  # no index yet, or a swap in progress
                logger.debug("index warm-up skipped: %s", exc)
            except Exception:  # never let a bad moment end the thread
                logger.exception("index warm-up failed")
            self._stop.wait(every_seconds)

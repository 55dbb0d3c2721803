"""Data derived from an index generation is built once, even when requests arrive together."""

from __future__ import annotations

import threading
import time

import pytest

from indexer.engine import gencache


def test_concurrent_requests_build_an_entry_once(searcher) -> None:  # type: ignore[no-untyped-def]
    reader = searcher.reader()
    builds: list[int] = []
    asking = threading.Semaphore(0)  # released by each thread as it asks

    def slow_build(_reader: object) -> object:
        builds.append(threading.get_ident())
        for _ in range(8):  # every thread has asked (the wait is counted, not a guess in seconds)
            assert asking.acquire(timeout=60)
        time.sleep(0.2)  # and reached the cache meanwhile
        return object()

    results: list[object] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        asking.release()
        results.append(gencache.cached(reader, "test-single-flight", slow_build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len(results) == 8 and all(r is results[0] for r in results)


def test_a_failed_build_is_retried_by_the_next_request(searcher) -> None:  # type: ignore[no-untyped-def]
    reader = searcher.reader()
    attempts: list[int] = []

    def flaky(_reader: object) -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("disk hiccup")
        return "built"

    with pytest.raises(OSError, match="disk hiccup"):
        gencache.cached(reader, "test-retry", flaky)
    assert gencache.cached(reader, "test-retry", flaky) == "built"
    assert len(attempts) == 2

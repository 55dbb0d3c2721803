"""A bulk build on every core: the corpus split into consecutive shares, each written as one
Whoosh segment by a spawned worker (``build_worker``), the segments then put in the table of
contents in corpus order, so the index numbers its letters as a serial build does.

Reading, parsing, rendering, analysing and writing postings all happen in the workers; the
parent only hands out the shares, shows progress and decides in corpus order which letters
stay (``rebuild``). Whoosh's own ``MpWriter`` forks its workers, which would outlive a killed
indexer; these are spawned (a fresh ``python -m``) and watch their parent.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from whoosh.writing import IndexWriter

from indexer.engine.build_worker import Outcome, Share
from indexer.engine.errors import IndexProblem
from indexer.engine.manifest import Entry
from indexer.engine.writing import WRITER_MEMORY_MB, Progress
from indexer.letters.authority import Authorities
from indexer.letters.corpus import CorpusFile

#: fewer files than this per worker are indexed in the process itself: starting a worker (a
#: fresh interpreter and its imports) costs about as much as indexing a hundred letters
MIN_FILES_PER_WORKER = 200
_POLL_S = 1.0  # how often a wait for workers looks whether one died
WORKER_MODULE = "indexer.engine.build_worker"


def default_jobs() -> int:
    return os.cpu_count() or 1


def worker_count(jobs: int, files: int) -> int:
    """How many workers a build of ``files`` files gets with ``jobs`` allowed (1: none)."""
    return max(1, min(jobs, files // MIN_FILES_PER_WORKER))


def write_shares(
    folder: str,
    corpus: str,
    files: Sequence[CorpusFile],
    workers: int,
    authorities: Authorities,
    earlier: Mapping[str, Entry],
    arrival: str,
    progress: Progress | None,
) -> tuple[list[tuple[int, Outcome]], list[Any]]:
    """Index ``files`` in ``workers`` spawned processes; (share, outcome) per file in corpus
    order, and the segments in share order (not yet in the table of contents)."""
    size = -(-len(files) // workers)  # consecutive shares, the last one smaller
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    shares = [
        Share(
            folder=folder,
            corpus=corpus,
            files=[f.relative for f in chunk],
            earlier={f.relative: earlier[f.relative] for f in chunk if f.relative in earlier},
            arrival=arrival,
            authorities=authorities,
            limitmb=max(32, WRITER_MEMORY_MB // len(chunks)),
            parent=os.getpid(),
        )
        for chunk in chunks
    ]
    pool = _Workers(shares)
    try:
        outcomes: dict[str, tuple[int, Outcome]] = {}
        for _file in progress(files) if progress else files:
            share, outcome = pool.next_outcome()
            outcomes[outcome.relative] = (share, outcome)
        segments = pool.segments()
    finally:
        pool.close()
    return [outcomes[f.relative] for f in files], segments


def add_segments(writer: IndexWriter, segments: Sequence[Any]) -> None:
    """Put the workers' segments into ``writer``'s table of contents, before anything it adds
    itself (commit it with ``merge=False`` to keep them as they are)."""
    writer.segments.extend(segments)
    writer._setup_doc_offsets()


class _Workers:
    """The spawned workers and what they sent, read as it arrives from whichever is ready."""

    def __init__(self, shares: Sequence[Share]) -> None:
        self._count = len(shares)
        self._open: dict[Connection, tuple[int, subprocess.Popen[bytes]]] = {}
        self._segments: dict[int, Any] = {}
        self._outcomes: list[tuple[int, Outcome]] = []
        self._processes: list[subprocess.Popen[bytes]] = []
        try:
            for number, share in enumerate(shares):
                self._start(number, share)
        except BaseException:
            self.close()
            raise

    def _start(self, number: int, share: Share) -> None:
        """A fresh interpreter (``python -m``, not multiprocessing, which would run the
        parent's main module again), given only the pipe it answers on."""
        receiving, sending = os.pipe()
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", WORKER_MODULE, str(sending)],
                stdin=subprocess.PIPE,
                pass_fds=(sending,),
                env={**os.environ, "PYTHONPATH": _import_path()},
            )
        except BaseException:
            os.close(receiving)
            raise
        finally:
            os.close(sending)  # the worker's end: EOF here when the worker is gone
        self._open[Connection(receiving, writable=False)] = (number, process)
        self._processes.append(process)
        assert process.stdin is not None
        with process.stdin:
            pickle.dump(share, process.stdin)

    def next_outcome(self) -> tuple[int, Outcome]:
        while not self._outcomes:
            self._receive()
        return self._outcomes.pop(0)

    def segments(self) -> list[Any]:
        while len(self._segments) < self._count:
            self._receive()
        return [self._segments[n] for n in range(self._count)]

    def _receive(self) -> None:
        if not self._open:
            raise IndexProblem("the indexing workers ended before every file was indexed")
        for conn in wait(list(self._open), timeout=_POLL_S):
            assert isinstance(conn, Connection)
            number, process = self._open[conn]
            try:
                kind, payload = conn.recv()
            except EOFError:
                del self._open[conn]
                conn.close()
                if number not in self._segments:
                    status = process.wait(5)
                    raise IndexProblem(
                        f"indexing worker {number + 1} stopped (exit status {status})"
                    ) from None
                continue
            if kind == "file":
                self._outcomes.append((number, payload))
            elif kind == "segment":
                self._segments[number] = payload
            else:  # "failed": the worker's traceback
                last = payload.strip().splitlines()[-1]
                raise IndexProblem(f"indexing worker {number + 1} failed: {last}") from (
                    RuntimeError(payload)
                )

    def close(self) -> None:
        """Wait for the workers; after a failure, stop those still running first."""
        finished = len(self._segments) == self._count
        for conn in self._open:
            conn.close()
        self._open.clear()
        for process in self._processes:
            if not finished and process.poll() is None:
                process.kill()
            process.wait()


def _import_path() -> str:
    """The folder this package is imported from first, then the caller's own path."""
    here = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join([here, *filter(None, [os.environ.get("PYTHONPATH")])])

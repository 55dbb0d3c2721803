"""One worker process of a parallel build: reads, parses, renders and analyses its share of
the corpus files and writes them as one Whoosh segment into the new generation folder.

It is spawned (a fresh interpreter: no inherited lock, file or thread of the indexer), never
takes a lock (the parent holds the root's write lock and adds the segment to the table of
contents), and exits as soon as its parent is gone, so a killed indexer leaves no worker
behind. The parent decides which letters stay (duplicate ids across shares, broken files that
keep their previous version): a worker indexes every file it can read and says what it found.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer.engine.manifest import Entry
from indexer.engine.schema import build_schema
from indexer.engine.writing import arrival_time, index_document
from indexer.letters.authority import Authorities
from indexer.letters.letter import LetterError, load_letter

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_POLL_S = 0.2


@dataclass(frozen=True)
class Share:
    """What one worker indexes: files of the corpus (relative paths, in corpus order)."""

    folder: str  # the new generation (an empty committed index)
    corpus: str
    files: Sequence[str]
    earlier: Mapping[str, Entry]  # the record of the generation in use, for these files
    arrival: str  # when new content arrives (one time for the whole build)
    authorities: Authorities
    limitmb: int
    parent: int  # the indexer's pid: the worker exits when it is gone


@dataclass(frozen=True)
class Outcome:
    """One file as the worker found it: a letter in the segment (at ``docnum``) or a problem."""

    relative: str
    docnum: int = -1
    id: str = ""
    content_hash: str = ""
    arrived: str | None = None
    warnings: list[str] = field(default_factory=list)
    problem: str = ""  # the reason the file cannot be read (empty: a letter)
    problem_at: str = ""  # the file as the problem names it


def main(argv: Sequence[str]) -> None:
    """``python -m indexer.engine.build_worker FD``: the Share comes pickled on standard
    input, the answers go to the pipe FD."""
    results = Connection(int(argv[0]), readable=False)
    share = pickle.load(sys.stdin.buffer)
    run(share, results)


def run(share: Share, results: Connection) -> None:
    """Process entry point: an Outcome per file, then ``("segment", segment)``, on
    ``results``; ``("failed", traceback)`` if something other than a letter went wrong."""
    _die_with_parent(share.parent)
    try:
        segment = _write_segment(share, results)
    except BaseException:
        results.send(("failed", traceback.format_exc()))
        raise
    results.send(("segment", segment))
    results.close()


def _write_segment(share: Share, results: Connection) -> object:
    index = whoosh_index.open_dir(share.folder, schema=build_schema())
    # no lock (the parent holds the root's), a segment of its own, separate files
    writer = SegmentWriter(index, _lk=False, limitmb=share.limitmb, compound=False)
    try:
        for relative in share.files:
            outcome = _add_file(writer, share, relative)
            results.send(("file", outcome))
        # the segment's files, not the table of contents (the parent writes that); the temp
        # folder is shared with the other workers, so it is left for the parent to remove
        return writer._finalize_segment()
    except BaseException:
        writer.cancel()
        raise


def _add_file(writer: SegmentWriter, share: Share, relative: str) -> Outcome:
    corpus = Path(share.corpus)
    try:
        letter = load_letter(corpus / relative, root=corpus)
    except LetterError as exc:
        return Outcome(relative, problem=exc.reason, problem_at=exc.path)
    arrived = arrival_time(share.earlier.get(relative), letter.content_hash, share.arrival)
    docnum = writer.docnum
    writer.add_document(**index_document(letter, share.authorities, arrived))
    return Outcome(relative, docnum, letter.id, letter.content_hash, arrived, letter.warnings())


def _die_with_parent(parent: int) -> None:
    """Exit when the indexer is gone: the kernel's parent-death signal where there is one,
    and a thread that watches the parent's pid everywhere (also covers the race in which the
    parent died before the signal was asked for)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watching thread alone
        pass
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_S)
    os._exit(1)


if __name__ == "__main__":
    # through the module's own name, so what it sends unpickles as build_worker.Outcome
    from indexer.engine import build_worker

    build_worker.main(sys.argv[1:])

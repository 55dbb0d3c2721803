"""Crashes and concurrent writers, with real processes: nothing indexed is ever lost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.archive import Archive
from indexer.cli import EXIT_BUSY
from indexer.engine.index import LetterIndex
from indexer.request import SearchRequest
from tests.conftest import CORPUS, REPO

EXTRA_LETTERS = 3000


def total(root: Path) -> int:
    with Archive(root).session() as session:
        return session.search(SearchRequest()).total


@pytest.fixture
def big_corpus(tmp_path: Path) -> Path:
    """The five seed letters plus enough generated ones to make indexing take seconds."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for i in range(EXTRA_LETTERS):
        (corpus / "letters" / f"gen-{i:05d}.md").write_text(
            f"---\nid: gen-{i:05d}\ntitle: Generated letter {i}\ndate: 2020-03-{i % 28 + 1:02d}\n"
            f"senders: [Federation {i % 17}]\n---\nDear colleagues,\n\nWe write about the "
            f"strike at plant {i % 13} and the dismissal of {i} workers.\n\nIn solidarity.\n",
            encoding="utf-8",
        )
    return corpus


def start_indexer(corpus: Path, root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "indexer.cli", "index", "-q", "--corpus", str(corpus),
               "--index", str(root), *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[bytes], timeout: float = 120) -> tuple[int, str]:
    """Wait for a process; its exit status and what it wrote to stderr."""
    _out, err = process.communicate(timeout=timeout)
    return process.returncode, err.decode("utf-8", "replace")


def wait_until(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


@pytest.fixture
def small_index(tmp_path: Path) -> Path:
    root = tmp_path / "index"
    LetterIndex(root).rebuild(CORPUS)
    assert total(root) == 5
    return root


def test_sigkill_during_rebuild_keeps_the_previous_index(
    small_index: Path, big_corpus: Path
) -> None:
    before = {p.name for p in small_index.glob("gen-*")}
    process = start_indexer(big_corpus, small_index, "--rebuild")
    wait_until(lambda: {p.name for p in small_index.glob("gen-*")} - before)
    time.sleep(1.0)  # well inside the build of 3,005 letters
    process.send_signal(signal.SIGKILL)
    assert finish(process, 10)[0] == -signal.SIGKILL
    assert total(small_index) == 5  # the index in use is complete and searchable

    # the next run recovers by itself: no stale lock, the half-written folder removed
    status, err = finish(start_indexer(big_corpus, small_index))
    assert status == 0, err
    assert total(small_index) == 5 + EXTRA_LETTERS
    assert len(list(small_index.glob("gen-*"))) <= 2  # current, and at most the previous one


def test_sigkill_during_update_keeps_a_complete_index(small_index: Path, big_corpus: Path) -> None:
    process = start_indexer(big_corpus, small_index)
    time.sleep(2.0)  # imports done; the writer is adding letters
    process.send_signal(signal.SIGKILL)
    finish(process, 10)
    assert total(small_index) in (5, 5 + EXTRA_LETTERS)  # before or after, never between

    status, err = finish(start_indexer(big_corpus, small_index))
    assert status == 0, err
    assert total(small_index) == 5 + EXTRA_LETTERS


def test_second_writer_is_refused_while_the_first_writes(
    small_index: Path, big_corpus: Path
) -> None:
    first = start_indexer(big_corpus, small_index, "--rebuild")
    try:
        before = {p.name for p in small_index.glob("gen-*")}
        wait_until(lambda: len(before) < 2 and len(list(small_index.glob("gen-*"))) > len(before))
        status, err = finish(start_indexer(big_corpus, small_index), 60)
        assert status == EXIT_BUSY
        assert "is busy" in err
    finally:
        first_status, first_err = finish(first)
    assert first_status == 0, first_err
    assert total(small_index) == 5 + EXTRA_LETTERS

"""The bulk build in worker processes: the same index as the serial build, bad letters named
with their paths, and workers that never outlive a killed indexer or keep its lock."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from indexer.archive import Archive
from indexer.engine import parallel_build, writing
from indexer.engine.index import LetterIndex
from indexer.formats.importer import import_file
from indexer.request import SearchRequest
from tests.conftest import CORPUS, REPO
from tests.corpora import LETTERS1916, SHARED
from tests.processes import alive
from tests.test_crash import EXTRA_LETTERS, big_corpus, finish, start_indexer, total, wait_until

__all__ = ["big_corpus"]  # a fixture of test_crash, used here too

QUERIES = ["strike", "workers", "Dublin", '"trade union"', "rising OR war", "", "nosuchwordzz"]
DATA = REPO / "tests" / "data" / "letters-ru-kk"


@pytest.fixture
def mixed_corpus(tmp_path: Path) -> Path:
    """Letters of several sources: the seeds, the Russian and Kazakh test letters, letters1916
    letters imported from their TEI, a broken file and two files with one id in different
    shares of the build."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    letters = corpus / "letters"
    for path in sorted(DATA.glob("*.md")):
        if path.name != "README.md":
            shutil.copy(path, letters / path.name)
    if SHARED.is_dir():
        for path in sorted(LETTERS1916.glob("*.xml"))[:40]:
            import_file(path, letters)
    (letters / "0000-broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", "utf-8")
    return corpus


def add_duplicates(corpus: Path) -> None:
    """Two files with one id, the first and the last of the corpus (different shares)."""
    for name in ("0001-first.md", "zzzz-second.md"):
        (corpus / "letters" / name).write_text(
            f"---\nid: same-id\ntitle: Twice {name}\ndate: 1916-04-24\n---\nA letter.\n", "utf-8"
        )


def contents(root: Path) -> dict[str, Any]:
    """What a reader can tell of an index read afresh from disk (in a new process, as a server
    reads it): its stored records in index order, and the results of a few searches."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys, pickle; from tests.test_parallel_build import "
         "read_contents; pickle.dump(read_contents(sys.argv[1]), sys.stdout.buffer)", str(root)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, check=True,
    )  # fmt: skip
    return pickle.loads(done.stdout)  # type: ignore[no-any-return]


def read_contents(root: str | Path) -> dict[str, Any]:
    """The stored records and the results of ``QUERIES`` (hits, scores, snippets, facets,
    suggestions)."""
    index = LetterIndex(root)
    with index.searcher() as searcher:
        reader = searcher.reader()
        stored = [reader.stored_fields(n) for n in reader.all_doc_ids()]
    with Archive(root).session() as session:
        results = [session.search(SearchRequest(q=q, per_page=50)) for q in QUERIES]
    for hit in (hit for result in results for hit in result.hits):
        # sums over segments may differ in the last bit of a float, never in the ranking
        hit.score = None if hit.score is None else round(hit.score, 9)
    return {"stored": stored, "results": results}


def report_of(report: writing.IndexReport) -> dict[str, Any]:
    return {
        "added": report.added,
        "kept": report.kept,
        "errors": [str(e) for e in report.errors],
        "warnings": report.warnings,
    }


def test_parallel_build_gives_the_index_of_the_serial_build(
    mixed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel_build, "MIN_FILES_PER_WORKER", 1)  # workers for a few letters
    monkeypatch.setattr(writing, "now", lambda: "2026-01-01T00:00:00Z")  # one arrival time
    serial = LetterIndex(tmp_path / "serial").rebuild(mixed_corpus, jobs=1)
    parallel = LetterIndex(tmp_path / "parallel").rebuild(mixed_corpus, jobs=3)

    assert report_of(parallel) == report_of(serial)
    assert str(mixed_corpus / "letters/0000-broken.md: front matter") in parallel.errors[0].args[0]
    with LetterIndex(tmp_path / "parallel").searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 3  # one segment per worker
    assert contents(tmp_path / "parallel") == contents(tmp_path / "serial")


def test_a_duplicate_id_in_another_share_is_refused_as_in_the_serial_build(
    mixed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel_build, "MIN_FILES_PER_WORKER", 1)
    add_duplicates(mixed_corpus)
    serial = LetterIndex(tmp_path / "serial").rebuild(mixed_corpus, jobs=1)
    parallel = LetterIndex(tmp_path / "parallel").rebuild(mixed_corpus, jobs=3)

    assert report_of(parallel) == report_of(serial)
    message = (
        "letters/zzzz-second.md: duplicate id 'same-id' (already used by letters/0001-first.md)"
    )
    assert message in report_of(parallel)["errors"]
    for root in (tmp_path / "serial", tmp_path / "parallel"):
        with Archive(root).session() as session:
            hits = session.search(SearchRequest(q="twice")).hits
        assert [(h.id, h.title) for h in hits] == [("same-id", "Twice 0001-first.md")]
        assert total(root) == len(serial.added)


def test_a_broken_file_in_a_worker_keeps_its_previous_version(
    mixed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel_build, "MIN_FILES_PER_WORKER", 1)
    root = tmp_path / "index"
    LetterIndex(root).rebuild(mixed_corpus, jobs=2)
    seed = mixed_corpus / "letters" / sorted(p.name for p in CORPUS.glob("letters/*.md"))[0]
    seed.write_text("---\ndate: [not a date\n---\n", "utf-8")

    report = LetterIndex(root).rebuild(mixed_corpus, jobs=2)

    relative = f"letters/{seed.name}"
    assert report.kept == [LetterIndex(root).stored_letter(relative).id]  # type: ignore[union-attr]
    broken = mixed_corpus / "letters" / "0000-broken.md"
    assert [e.path for e in report.errors] == [str(broken), str(seed)]
    assert len(report.kept) == 1 and LetterIndex(root).stored_letter(relative) is not None
    assert total(root) == len(report.added) + 1


def test_the_first_index_of_an_empty_index_is_a_bulk_build(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "letters").mkdir(parents=True)
    root = tmp_path / "index"
    assert LetterIndex(root).update(corpus).rebuilt  # no index yet
    shutil.rmtree(corpus / "letters")
    shutil.copytree(CORPUS / "letters", corpus / "letters")

    report = LetterIndex(root).update(corpus)  # an index without letters: built in bulk

    assert report.rebuilt and len(report.added) == 5 and not report.errors
    assert total(root) == 5
    assert not LetterIndex(root).update(corpus).rebuilt  # with letters: an update again


def _workers_of(parent: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and parallel_build.WORKER_MODULE.encode() in command:
            found.add(int(entry.name))
    return found


def _lock_is_free(root: Path) -> bool:
    with open(root / "write.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc (Linux)")
def test_sigkill_during_a_parallel_build_leaves_no_worker_and_a_working_index(
    big_corpus: Path, tmp_path: Path
) -> None:
    root = tmp_path / "index"
    LetterIndex(root).rebuild(CORPUS)
    process = start_indexer(big_corpus, root, "--rebuild", "--jobs", "2")
    wait_until(lambda: len(_workers_of(process.pid)) == 2, timeout=60)
    workers = _workers_of(process.pid)
    time.sleep(1.0)  # the workers are indexing
    process.send_signal(signal.SIGKILL)
    assert finish(process, 10)[0] == -signal.SIGKILL

    assert _lock_is_free(root)  # never inherited, never taken by a worker
    wait_until(lambda: not any(alive(pid) for pid in workers), timeout=10)
    assert total(root) == 5  # the index in use is complete and searchable

    status, err = finish(start_indexer(big_corpus, root, "--jobs", "2"), 300)
    assert status == 0, err
    assert total(root) == 5 + EXTRA_LETTERS
    assert len(list(root.glob("gen-*"))) <= 2


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_a_bad_jobs_value_is_named(jobs: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import cli

    args = ["index", "--corpus", str(CORPUS), "--index", str(tmp_path / "index"), "--jobs", jobs]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "Invalid value for '--jobs' / '-j'" in result.output
    assert not (tmp_path / "index").exists()


def test_jobs_on_the_command_line_builds_in_that_many_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import cli

    monkeypatch.setattr(parallel_build, "MIN_FILES_PER_WORKER", 1)
    root = tmp_path / "index"
    args = ["index", "-q", "--corpus", str(CORPUS), "--index", str(root), "--jobs", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with LetterIndex(root).searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 2
    assert total(root) == 5


def test_a_worker_killed_mid_build_fails_the_build_and_keeps_the_index_in_use(
    big_corpus: Path, tmp_path: Path
) -> None:
    import threading

    from indexer.engine.errors import IndexProblem

    root = tmp_path / "index"
    LetterIndex(root).rebuild(CORPUS)
    before = {p.name for p in root.glob("gen-*")}
    failures: list[BaseException] = []

    def build() -> None:
        try:
            LetterIndex(root).rebuild(big_corpus, jobs=2)
        except BaseException as exc:  # the test looks at it
            failures.append(exc)

    thread = threading.Thread(target=build)
    thread.start()
    wait_until(lambda: len(_workers_of(os.getpid())) == 2, timeout=60)
    victim = min(_workers_of(os.getpid()))
    time.sleep(0.5)
    os.kill(victim, signal.SIGKILL)
    thread.join(120)

    assert [type(e) for e in failures] == [IndexProblem]
    assert "stopped (exit status -9)" in str(failures[0])
    assert not _workers_of(os.getpid())  # the other worker was stopped too
    assert {p.name for p in root.glob("gen-*")} == before  # the half-built folder is gone
    assert total(root) == 5 and _lock_is_free(root)

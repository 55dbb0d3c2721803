"""Indexes of shared corpora for the tests that need a real edition (a plugin of conftest.py):
``letters1916_index``, every letters1916 TEI letter imported with ``letters import`` into a
corpus of its own and indexed once per session, ``letters1916_server`` serving it, and
``news_archive``, every 12th message of 20 Newsgroups as letters, indexed once.

Under pytest-xdist each worker is a session of its own; :func:`built_once` makes these indexes
once per run all the same (the first worker to ask builds, the others wait and reuse), since
building them is a large share of the run. Tests only read them: copy one before changing it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexer.engine.index import LetterIndex
from indexer.formats.importer import import_file

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
LETTERS1916 = SHARED / "corpora" / "letters1916" / "editions"
NEWSGROUPS = SHARED / "corpora" / "20news-bydate"
NEWS_EVERY = 12  # 1,571 of the 18,846 messages


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The folder ``name``, made by ``build`` once for the whole run: under pytest-xdist in the
    run's temporary folder that all workers share, under a lock; a build that failed is redone
    (and fails again) for the next worker instead of being reused half made."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-of-user/pytest-N, above each worker's popen-gwN
    target, done = base / name, base / f"{name}.done"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            build(target)
            done.touch()
    return target


def _build_letters1916(root: Path) -> None:
    corpus = root / "corpus"
    (corpus / "letters").mkdir(parents=True)
    for path in sorted(LETTERS1916.glob("*.xml")):
        import_file(path, corpus / "letters")
    report = LetterIndex(root / "index").rebuild(corpus)
    assert not report.errors, report.errors[:3]
    assert len(report.added) == 478


@pytest.fixture(scope="session")
def letters1916_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of all 478 letters1916 letters (skipped only when ../shared is absent)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return built_once(tmp_path_factory, "letters1916-all", _build_letters1916) / "index"


@pytest.fixture(scope="session")
def letters1916_server(letters1916_index: Path, serve) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The real app on waitress, serving the letters1916 index."""
    with serve(letters1916_index) as base:
        yield base


def _build_news(root: Path) -> None:
    from bench.newsgroups import convert

    written = sum(1 for _ in convert(root / "corpus", source=NEWSGROUPS, every=NEWS_EVERY))
    assert written > 1500
    report = LetterIndex(root / "index").rebuild(root / "corpus")
    assert not report.errors, report.errors[:3]


@pytest.fixture(scope="session")
def news_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus, index): every 12th message of 20 Newsgroups as letters, about 1,570, indexed
    once for the budget and the hostile-server tests (skipped when the corpus is absent)."""
    if not NEWSGROUPS.is_dir():
        pytest.skip(f"no 20 Newsgroups corpus at {NEWSGROUPS}")
    root = built_once(tmp_path_factory, "news", _build_news)
    return root / "corpus", root / "index"

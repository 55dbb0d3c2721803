"""Shared fixtures: one real on-disk index of the five seed letters, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.archive import Archive
from indexer.index import LetterIndex

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real Whoosh index of corpus/ (read-only for tests: copy it before changing)."""
    root = tmp_path_factory.mktemp("index")
    report = LetterIndex(root).rebuild(CORPUS)
    assert not report.errors, report.errors
    return root


@pytest.fixture(scope="session")
def archive(index_root: Path) -> Archive:
    return Archive(index_root)


@pytest.fixture
def session(archive: Archive):  # type: ignore[no-untyped-def]
    with archive.session() as s:
        yield s


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that add, change or break files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target

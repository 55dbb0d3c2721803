"""Indexes of shared corpora for the tests that need a real edition (a plugin of conftest.py):
``letters1916_index``, every letters1916 TEI letter imported with ``letters import`` into a
corpus of its own and indexed once per session, and ``letters1916_server`` serving it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.engine.index import LetterIndex
from indexer.formats.importer import import_file

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
LETTERS1916 = SHARED / "corpora" / "letters1916" / "editions"


@pytest.fixture(scope="session")
def letters1916_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The index of all 478 letters1916 letters (skipped only when ../shared is absent)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    root = tmp_path_factory.mktemp("letters1916-all")
    corpus = root / "corpus"
    (corpus / "letters").mkdir(parents=True)
    for path in sorted(LETTERS1916.glob("*.xml")):
        import_file(path, corpus / "letters")
    report = LetterIndex(root / "index").rebuild(corpus)
    assert not report.errors, report.errors[:3]
    assert len(report.added) == 478
    yield root / "index"
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def letters1916_server(letters1916_index: Path, serve) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The real app on waitress, serving the letters1916 index."""
    with serve(letters1916_index) as base:
        yield base

"""Shared fixtures: one real on-disk index of the five seed letters, built once per session."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from webapp import create_app

#: real servers and the browser, for every test module that asks for them (tests/servers.py)
pytest_plugins = ["servers", "corpora"]

#: The test files that take longest (fixtures included), first: the xdist workers take whole
#: files in collection order (setup.cfg), so a long one started last would leave the other
#: worker idle at the end. 20news is indexed by the first of test_budget and
#: test_hostile_server, which are apart so that the other worker does not wait for it.
LONGEST_FIRST = (
    "test_serving.py", "test_budget.py", "test_crash.py", "test_http.py", "test_quality_set.py",
    "test_hostile_server.py", "test_evaluation.py", "test_properties.py", "test_cmif.py",
    "test_browser_timeplaces.py", "test_network.py", "test_tei.py",
)  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files of :data:`LONGEST_FIRST` first, in that order; the rest as collected."""
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"

#: The five letters of corpus/, by short names the tests use.
ITUC = "International Trade Union Confederation (ITUC)"
INDUSTRIALL = "IndustriALL Global Union"
LO = "Norwegian Confederation of Trade Unions (LO Norway)"
IDS = {
    "industriall-2024": "2024-01-10-industriall-right-to-strike-west-oil-software",
    "ituc-2024": "2024-01-19-ituc-west-oil-software-striker-dismissals",
    "press-2024": "2024-01-19-ituc-sanctions-striking-workers-west-oil-software",
    "joint-2021": "2021-02-02-ituc-industriall-fuel-energy-union-repression",
    "lo-2021": "2021-02-09-lo-norway-trade-union-rights-violations",
}


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
def searcher(index_root: Path):  # type: ignore[no-untyped-def]
    """A Whoosh searcher on the session's index, for tests of the engine's own parts."""
    with LetterIndex(index_root).searcher() as opened:
        yield opened


@pytest.fixture
def snapshot(index_root: Path):  # type: ignore[no-untyped-def]
    """The engine's own view of the session's index (searcher and authorities), for tests of
    the engine's parts."""
    with closing(LetterIndex(index_root).snapshot(5.0)) as opened:
        yield opened


@pytest.fixture(scope="session")
def app(index_root: Path) -> Flask:
    """The web app on the session's index, in testing mode."""
    return create_app({"TESTING": True, "INDEX_PATH": str(index_root)})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that add, change or break files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target

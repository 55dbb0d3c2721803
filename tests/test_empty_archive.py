"""A new archive holds no letters yet: every page, API and command answers, none fails.

Whoosh reads an index without segments through its ``EmptyReader``, which has no segments and
no columns; the per-generation caches and the date table once broke on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from indexer.cli.main import cli
from indexer.engine.index import LetterIndex
from webapp import create_app


@pytest.fixture(scope="module")
def empty_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("empty")
    corpus, index = root / "corpus", root / "index"
    (corpus / "letters").mkdir(parents=True)
    report = LetterIndex(index).rebuild(corpus)
    assert (report.added, report.errors) == ([], [])
    return corpus, index


@pytest.fixture(scope="module")
def empty_app(empty_archive: tuple[Path, Path]) -> Flask:
    return create_app({"TESTING": True, "INDEX_PATH": str(empty_archive[1])})


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=strike",
        "/search?q=",
        "/search?q=strike&sort=newest&year=2024",
        "/api/search?q=strike",
        "/kwic?q=strike",
        "/kwic.csv?q=strike",
        "/people",
        "/api/people",
        "/places",
        "/network",
        "/network.json",
        "/network.gexf",
        "/export.csv?q=strike",
        "/export.json",
        "/export.cmif.xml",
        "/feed.atom?q=strike",
        "/batch?queries=strike%0Aunion",
        "/set",
        "/set.json",
        "/help",
    ],
)
def test_every_page_of_an_empty_archive_answers(empty_app: Flask, path: str) -> None:
    response = empty_app.test_client().get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])


def test_an_empty_archive_finds_nothing_and_says_so(empty_app: Flask) -> None:
    data = empty_app.test_client().get("/api/search?q=strike").get_json()
    assert (data["total"], data["hits"]) == (0, [])


@pytest.mark.parametrize("path", ["/letters/no-such-letter", "/people/nobody", "/places/nowhere"])
def test_an_empty_archive_names_what_it_does_not_hold(empty_app: Flask, path: str) -> None:
    assert empty_app.test_client().get(path).status_code == 404


@pytest.mark.parametrize(
    "args, expected",
    [
        (["search", "strike"], "0 letter"),
        (["search", ""], "0 letter"),
        (["kwic", "strike"], "0 occurrence"),
        (["people"], "0 people"),
    ],
)
def test_the_cli_on_an_empty_archive(
    empty_archive: tuple[Path, Path], args: list[str], expected: str
) -> None:
    _corpus, index = empty_archive
    result = CliRunner().invoke(cli, [*args, "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert expected in result.output

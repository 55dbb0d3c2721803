"""The Russian and Kazakh test letters (tests/data/letters-ru-kk) beside the seed letters: an
archive in several languages for the tests of concept search."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from indexer.request import SearchRequest
from tests.conftest import CORPUS

TEST_LETTERS = Path(__file__).parent / "data" / "letters-ru-kk"
RU_STRIKE = "2024-01-15-initiative-group-wos-zabastovka-uvolneniya"
RU_LIQUIDATION = "2021-02-05-pravozashchitniki-likvidatsiya-knprk"
KK_STRIKE = "2024-01-16-zhanaozen-munayshylary-ereuil"
KK_LIQUIDATION = "2021-02-10-enbek-zhane-quqyq-kasipodaq-taratu"
OTHER_LANGUAGES = {RU_STRIKE, RU_LIQUIDATION, KK_STRIKE, KK_LIQUIDATION}


def with_test_letters(target: Path) -> Path:
    """A copy of corpus/ with the Russian and Kazakh test letters among its letters."""
    shutil.copytree(CORPUS, target)
    letters = target / "letters" / "ru-kk"
    shutil.copytree(TEST_LETTERS, letters, ignore=shutil.ignore_patterns("README.md"))
    return target


def mixed_index(folder: Path) -> Path:
    """An index (in ``folder``) of the seed letters and the Russian and Kazakh test letters."""
    corpus = with_test_letters(folder / "corpus")
    root = folder / "index"
    report = LetterIndex(root).rebuild(corpus)
    assert not report.errors and len(report.added) == 9
    return root


def found(root: Path, q: str, **request: Any) -> tuple[list[tuple[str, str]], Any]:
    """(id, language) of every hit, in rank order, and the result."""
    with Archive(root).session() as session:
        result = session.search(SearchRequest(**{"q": q, "per_page": 100, **request}))
    return [(h.id, h.language) for h in result.hits], result

"""The Russian and Kazakh test letters (tests/data/letters-ru-kk), as the issue asks: found by
English queries for their subject, and by the names in them written in every script and
alphabet people use (Kazakh Cyrillic, Russian spelling, the Kazakh Latin alphabets, English)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.archive import Archive, ArchiveSession
from indexer.request import SearchRequest
from tests.conftest import CORPUS

TEST_LETTERS = Path(__file__).parent / "data" / "letters-ru-kk"
RU_STRIKE = "2024-01-15-initiative-group-wos-zabastovka-uvolneniya"
KK_STRIKE = "2024-01-16-zhanaozen-munayshylary-ereuil"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    corpus = tmp_path_factory.mktemp("crosslang") / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(
        TEST_LETTERS, corpus / "letters" / "ru-kk", ignore=shutil.ignore_patterns("README.md")
    )
    archive = Archive(tmp_path_factory.mktemp("crosslang-index"))
    assert not archive.rebuild(corpus).errors
    with archive.session() as opened:
        yield opened


def ids(session: ArchiveSession, q: str) -> set[str]:
    return {hit.id for hit in session.search(SearchRequest(q=q, per_page=100)).hits}


@pytest.mark.parametrize("q", ["strike", "strikes", "dismissal", "dismissed workers"])
def test_english_queries_for_their_subject_find_both_letters(session, q: str) -> None:  # type: ignore[no-untyped-def]
    assert {RU_STRIKE, KK_STRIKE} <= ids(session, q)


@pytest.mark.parametrize(
    "q",
    [
        *("Tokayev", "Токаев", "Тоқаев", "Toqaev", "Tokaev"),  # the president
        *("Zhanaozen", "Жанаозен", "Жаңаөзен", "Jañaözen", "Zhanaozen"),  # the town
        *("Kazakhstan", "Казахстан", "Қазақстан", "Qazaqstan"),  # the country
    ],
)
def test_names_in_every_script_find_the_kazakh_letter(session, q: str) -> None:  # type: ignore[no-untyped-def]
    assert KK_STRIKE in ids(session, q), q


def test_exact_words_find_only_letters_that_write_them(session) -> None:  # type: ignore[no-untyped-def]
    assert KK_STRIKE not in ids(session, "exact:strike")
    assert RU_STRIKE in ids(session, "забастовка") and KK_STRIKE in ids(session, "ереуіл")

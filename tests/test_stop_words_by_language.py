"""A word that is a stop word in one language only (German "und", "war") is still found in
that language's letters when it is all the query says (issue #13: stop words alone are
searched as words)."""

from __future__ import annotations

import pytest

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from indexer.request import SearchRequest

LETTERS = {
    "de-und": ("de", "Wir kamen und gingen wieder nach Hause, nach Zürich."),
    "de-war": ("de", "Er war gestern hier in Zürich."),
    "en-war": ("en", "The wars were long and the war office was silent."),
    "en-other": ("en", "Nothing of the sort happened here."),
}
TEMPLATE = """---
id: {id}
title: Brief
date: 1870-05-01
language: {language}
senders: [Ann Lee]
---

{body}
"""


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("stop-words")
    letters = root / "corpus" / "letters"
    letters.mkdir(parents=True)
    for letter_id, (language, body) in LETTERS.items():
        text = TEMPLATE.format(id=letter_id, language=language, body=body)
        (letters / f"{letter_id}.md").write_text(text, encoding="utf-8")
    report = LetterIndex(root / "index").rebuild(root / "corpus")
    assert not report.errors, report.errors
    return Archive(root / "index")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("und", {"de-und"}),  # a German stop word, and nothing else
        ("war", {"de-war", "en-war"}),  # a German stop word, an English word
        ("wars", {"en-war"}),  # stemmed as usual in English
        ("the", {"en-war", "en-other"}),  # stop words of every language: as written
        ("war office", {"en-war"}),
    ],
)
def test_a_stop_word_of_one_language_alone_is_searched(
    small_archive: Archive, q: str, expected: set[str]
) -> None:
    with small_archive.session() as session:
        assert session.matching_ids(SearchRequest(q=q)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("und Zürich", {"de-und"}),  # "und" as written, in the letter's own language
        ("Hause und", {"de-und"}),
        ("war hier", {"de-war"}),
        ("war long", {"en-war"}),  # English: "war" stemmed as usual (wars)
        ('"und"', {"de-und"}),
        ("title:und", set()),  # a field named: as that field reads it
    ],
)
def test_beside_other_words_such_a_word_is_searched_as_written_too(
    small_archive: Archive, q: str, expected: set[str]
) -> None:
    with small_archive.session() as session:
        assert session.matching_ids(SearchRequest(q=q)) == expected

"""Which fields a quoted phrase and a proximity search look at: the letter's own words (its
title, text, people and place), not the editors' summary unless it is named, and for words
near each other only running text (issue #13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from indexer.request import SearchRequest

LETTERS = {
    "rising": ("Dublin", "A note on the day.", "The Easter Rising began on Monday at noon."),
    "before": ("Dublin", "Written days before the Easter Rising.", "Nothing happens at Easter."),
    "camp": (
        "Frongoch Internment Camp",
        "The prisoners complain.",
        "The camp leaders wrote to the board about our long internment here.",
    ),
    "inside": ("Wales", "From a prisoner.", "Conditions in the internment camp are bad."),
}
TEMPLATE = """---
id: {id}
title: Letter {id}
date: 1916-05-01
place: {place}
senders: [Ann Lee]
summary: {summary}
---

{body}
"""


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("phrase-fields")
    letters = root / "corpus" / "letters"
    letters.mkdir(parents=True)
    for letter_id, (place, summary, body) in LETTERS.items():
        text = TEMPLATE.format(id=letter_id, place=place, summary=summary, body=body)
        (letters / f"{letter_id}.md").write_text(text, encoding="utf-8")
    report = LetterIndex(root / "index").rebuild(root / "corpus")
    assert not report.errors, report.errors
    return Archive(Path(root / "index"))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"Easter Rising"', {"rising"}),  # "before" has it in its summary only
        ("Easter Rising", {"rising", "before"}),  # words, not a phrase: the summary counts
        ('summary:"Easter Rising"', {"before"}),
        ('"internment camp"', {"camp", "inside"}),  # the place's name is the letter's
        ('"internment camp"~3', {"inside"}),  # a place is no sentence
        ('place:"internment camp"~3', {"camp"}),
        ('"camp internment"~8', {"camp", "inside"}),
        ('"written days"~2', set()),
        ('summary:"written days"~2', {"before"}),
    ],
)
def test_a_phrase_means_the_letters_own_words(
    small_archive: Archive, q: str, expected: set[str]
) -> None:
    with small_archive.session() as session:
        assert session.matching_ids(SearchRequest(q=q)) == expected


def test_a_phrase_hit_shows_passages_that_contain_the_phrase(small_archive: Archive) -> None:
    with small_archive.session() as session:
        result = session.search(SearchRequest(q='"easter rising"'))
    snippets = [(hit.id, p.snippet) for hit in result.hits for p in hit.passages]
    assert [(i, re.findall(r"<mark>(.*?)</mark>", s)) for i, s in snippets] == [
        ("rising", ["Easter Rising"])
    ]

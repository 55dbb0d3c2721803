"""'Did you mean' compares spellings as written (issue #13): a word no letter writes is a
misspelling even when its stem finds letters (represion: the stem of "represent"; McDowel:
the stem of McDowell); a name typed with a capital prefers the names of people and places
(Dufy: Duffy, not duty); a spelling a few letters write gives way to one written in many
times as many (Zürch, Zürich); an authority's variant no letter writes, to the letters'
spelling (Tokaev: Tokayev)."""

from __future__ import annotations

import pytest

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from indexer.request import SearchRequest

TEMPLATE = """---
id: {id}
title: Letter {id}
date: 1870-05-{day:02d}
language: {language}
senders: [{sender}]
---

{body}
"""
LETTERS = [
    ("en", "George Duffy", "A note from my office."),
    *[("en", "Ann Lee", f"It is my duty to write, number {n}.") for n in range(3)],
    ("en", "Ann Lee", "Mr McDowell came by; he will represent us."),
    *[("de", "Hans Meier", f"Ich bin in Zürich, Brief {n}.") for n in range(12)],
    ("de", "Hans Meier", "Ich fahre nach Zürch."),
]


@pytest.fixture(scope="module")
def spellings(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("spellings")
    letters = root / "corpus" / "letters"
    letters.mkdir(parents=True)
    for n, (language, sender, body) in enumerate(LETTERS):
        text = TEMPLATE.format(id=f"l{n}", day=n % 28 + 1, language=language, sender=sender,
                               body=body)  # fmt: skip
        (letters / f"l{n}.md").write_text(text, encoding="utf-8")
    report = LetterIndex(root / "index").rebuild(root / "corpus")
    assert not report.errors, report.errors
    return Archive(root / "index")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("represion", None),  # its stem finds "represent", but there is no spelling near it
        ("McDowel", ("McDowell", 1)),
        ("Dufy", ("Duffy", 1)),
        ("dufy", ("duty", 3)),  # a word, not a name: the more frequent spelling
        ("Zurch", ("Zurich", 13)),  # Zurich finds the Zürch letter too, by its stem
        ("Zürich", None),
        ("duty", None),
        ("represent", None),
    ],
)
def test_spellings_are_compared_as_written(
    spellings: Archive, q: str, expected: tuple[str, int] | None
) -> None:
    with spellings.session() as session:
        result = session.search(SearchRequest(q=q))
    got = (result.suggestion, result.suggestion_total) if result.suggestion else None
    assert got == expected


@pytest.mark.parametrize(
    ("q", "expected"), [("Tokaev", ("Tokayev", 4)), ("represion", ("repression", 4))]
)
def test_the_seed_letters_spellings(session, q: str, expected: tuple[str, int]) -> None:  # type: ignore[no-untyped-def]
    result = session.search(SearchRequest(q=q))
    assert (result.suggestion, result.suggestion_total) == expected
    assert result.total >= 1  # the query has hits: the suggestion is offered all the same

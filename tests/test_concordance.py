"""The concordance (``letters kwic``, ``/kwic``, ``/kwic.csv``): every occurrence in context,
checked against the letters' own text on the seed letters and on letters of 1916."""

from __future__ import annotations

import csv
import io
import re
from itertools import count
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import Archive, ArchiveSession
from indexer.cli.main import cli
from indexer.concordance import ConcordanceRequest, Line, concordance
from indexer.letters.text import fold_text
from indexer.request import BadRequest
from tests.pagedom import parse

STRIKE_FORMS = re.compile(r"\b(strike|strikes|striking|struck)\b", re.IGNORECASE)


def kwic(session: ArchiveSession, **params: str) -> list[Line]:
    request = ConcordanceRequest.from_params({k: [v] for k, v in params.items()})
    return concordance(session, request).lines


def occurrences(session: ArchiveSession, pattern: re.Pattern[str], ids: set[str]) -> list[tuple]:
    """(letter, ¶, matched text) of every match of ``pattern`` in the letters' passages."""
    found = []
    for letter_id in ids:
        letter = session.letter(letter_id)
        assert letter is not None
        for n, _kind, text in letter.passages:
            found.extend((letter_id, n, m.group(0)) for m in pattern.finditer(text))
    return sorted(found)


def test_every_occurrence_of_a_word_is_a_line(session: ArchiveSession) -> None:
    lines = kwic(session, q="strike", concepts="0")
    ids = {line.letter_id for line in lines}
    assert len(ids) == 4
    expected = occurrences(session, STRIKE_FORMS, ids)
    assert sorted((line.letter_id, line.n, line.match) for line in lines) == expected


def test_a_concept_term_of_several_words_is_one_line(session: ArchiveSession) -> None:
    with_concepts = kwic(session, q="strike")
    alone = kwic(session, q="strike", concepts="0")
    added = [line.match for line in with_concepts if line not in alone]
    assert added and {fold_text(m) for m in added} <= {"industrial actions", "industrial action"}


def test_a_phrase_is_one_line_per_occurrence(session: ArchiveSession) -> None:
    lines = kwic(session, q='"right to strike"')
    ids = {line.letter_id for line in lines}
    pattern = re.compile(r"right to strike", re.IGNORECASE)
    assert sorted((line.letter_id, line.n, line.match) for line in lines) == occurrences(
        session, pattern, ids
    )
    assert lines and {fold_text(line.match) for line in lines} == {"right to strike"}


def test_context_is_the_text_around_the_match(session: ArchiveSession) -> None:
    for line in kwic(session, q="dismissal", context="3"):
        letter = session.letter(line.letter_id)
        assert letter is not None
        text = " ".join((letter.passage(line.n) or "").split())
        assert len(line.left.split()) <= 3 and len(line.right.split()) <= 3
        assert " ".join(f"{line.left}{line.match}{line.right}".split()) in text


def _first(words: str) -> str:
    """The first word, punctuation left out (a comma is no word to sort by)."""
    found = [fold_text(w) for w in re.findall(r"\w+", words)]
    return found[0] if found else "\uffff"


@pytest.mark.parametrize(
    ("order", "key"),
    [
        ("right", lambda line: _first(line.right)),
        ("left", lambda line: _first(" ".join(reversed(re.findall(r"\w+", line.left))))),
        ("match", lambda line: fold_text(line.match)),
        ("date", lambda line: line.date or "9999"),
    ],
)
def test_lines_are_sorted_by_the_order_asked(session: ArchiveSession, order: str, key) -> None:  # type: ignore[no-untyped-def]
    lines = kwic(session, q="strike OR union", order=order)
    assert len(lines) > 20
    keys = [key(line) for line in lines]
    assert keys == sorted(keys)


def test_pages_and_counts_add_up(session: ArchiveSession) -> None:
    everything = kwic(session, q="strike", per_page="500")
    pages = []
    for page in count(1):
        request = ConcordanceRequest.from_params(
            {"q": ["strike"], "per_page": ["7"], "page": [str(page)]}
        )
        found = concordance(session, request)
        if not found.page_lines():
            break
        pages.extend(found.page_lines())
    assert pages == everything
    found = concordance(session, ConcordanceRequest.from_params({"q": ["strike"]}))
    assert sum(n for _i, _t, n in found.per_letter) == len(everything)
    assert sum(n for _y, n in found.per_year) == len(everything)
    assert {y for y, _n in found.per_year} == {(line.date or "")[:4] for line in everything}
    assert found.complete


def test_reading_is_bounded_by_letters_and_time(session: ArchiveSession) -> None:
    request = ConcordanceRequest.from_params({"q": ["strike"]})
    few = concordance(session, request, max_letters=1)
    assert (few.letters_read, few.letters_matching, few.complete) == (1, 4, False)
    ticks = iter(range(0, 10_000, 1000))  # every look at the clock is 1000 s later
    late = concordance(session, request, clock=lambda: float(next(ticks)))
    assert late.timed_out and not late.complete and late.letters_read < 4


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"order": ["sideways"]}, "order"),
        ({"context": ["0"]}, "context"),
        ({"context": ["many"]}, "context"),
        ({"per_page": ["501"]}, "per_page"),
        ({"page": ["-1"]}, "page"),
        ({"sender": ["x" * 400]}, "sender"),
        ({"colour": ["red"]}, "colour"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, list[str]], param: str) -> None:
    with pytest.raises(BadRequest) as error:
        ConcordanceRequest.from_params({"q": ["strike"], **params})
    assert error.value.param == param


def test_the_page_shows_the_lines_with_links_to_their_paragraphs(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/kwic?q=strike&order=right&per_page=10&concepts=0")
    assert response.status_code == 200
    page = parse(response.text)
    rows = page.find_all("table.kwic tbody tr")
    assert len(rows) == 10
    for row in rows:
        assert STRIKE_FORMS.fullmatch(row.find(".kwic-match").text())
        href = row.find(".kwic-where a").attrs["href"]
        path, anchor = href.split("#")
        assert parse(client.get(path).text).find(f"#{anchor}"), href
    assert page.find(".result-count").text() == "37 occurrences in 4 of 4 matching letters"
    assert "concepts=0" in page.find("nav.sort a").attrs["href"]  # the choice is kept


def test_a_bad_parameter_answers_400_with_its_name(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/kwic?q=strike&order=sideways")
    assert response.status_code == 400
    assert "order must be one of date, left, match, right" in response.text
    assert client.get("/kwic.csv?q=strike&context=99").status_code == 400


def test_csv_has_every_line(client, session: ArchiveSession) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(client.get("/kwic.csv?q=strike").text)))
    lines = kwic(session, q="strike")
    assert [(r["id"], int(r["paragraph"]), r["match"]) for r in rows] == [
        (line.letter_id, line.n, line.match) for line in lines
    ]
    assert all(r["url"].startswith("http://localhost/letters/") for r in rows)


def test_cli_prints_aligned_lines_and_csv(index_root: Path, session: ArchiveSession) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["kwic", "strike", "--index", str(index_root), "--per-page", "5"])
    assert shown.exit_code == 0, shown.output
    body = shown.output.splitlines()[1:6]
    assert len({line.index("strike") for line in body}) == 1  # the matches line up
    as_csv = runner.invoke(cli, ["kwic", "strike", "--index", str(index_root), "--csv"])
    lines = kwic(session, q="strike")
    assert len(list(csv.DictReader(io.StringIO(as_csv.output)))) == len(lines)
    bad = runner.invoke(cli, ["kwic", "strike", "--index", str(index_root), "--context", "0"])
    assert bad.exit_code == 2 and "'context' must be between 1 and 20" in bad.output


@pytest.fixture(scope="module")
def session1916(letters1916_index: Path):  # type: ignore[no-untyped-def]
    """A session on every letters1916 letter, imported and indexed once (tests/corpora.py)."""
    with Archive(letters1916_index).session() as opened:
        yield opened


def test_letters_of_1916_sorted_by_right_context(session1916: ArchiveSession) -> None:
    lines = kwic(session1916, q="Dublin", order="right", context="4")
    ids = {line.letter_id for line in lines}
    assert len(ids) >= 5
    expected = occurrences(session1916, re.compile(r"\bDublin\b", re.IGNORECASE), ids)
    assert sorted((line.letter_id, line.n, line.match) for line in lines) == expected
    keys = [_first(line.right) for line in lines]
    assert keys == sorted(keys)

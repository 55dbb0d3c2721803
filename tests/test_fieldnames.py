"""A name before a colon that is no field ranks letters instead of filtering them, and web
addresses and times of day rank without emptying a search (issue #13)."""

from __future__ import annotations

import pytest

from indexer.request import SearchRequest
from indexer.results import SearchResult
from tests.conftest import IDS

STRIKE = {IDS["industriall-2024"], IDS["ituc-2024"], IDS["press-2024"], IDS["joint-2021"]}
ILO_ADDRESS = "https://www.ilo.org/dyn/normlex/en/f"  # written only in the ITUC 2024 letter


def run(session, q: str) -> SearchResult:  # type: ignore[no-untyped-def]
    """The search as typed (the concept thesaurus's terms would widen it: not tested here)."""
    return session.search(SearchRequest(q=q, per_page=100, concepts=False))


def found(session, q: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {hit.id for hit in run(session, q).hits}


@pytest.mark.parametrize(
    "q", ["foo:strike", "autor:strike", "author: strike", "Re: strike", "doc:strike"]
)
def test_the_words_after_an_unknown_field_are_searched_without_it(session, q: str) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q)
    assert {hit.id for hit in result.hits} == STRIKE == found(session, "strike")
    assert result.unknown_fields == [q.split(":")[0]]
    assert "is not a field" in result.notes[0] and "recipient:" in result.notes[0]


def test_an_unknown_field_name_ranks_the_letters_that_hold_it_first(session) -> None:  # type: ignore[no-untyped-def]
    plain = run(session, "strike")
    fielded = run(session, "Mangistau:strike")  # the word is in one strike letter only
    assert plain.hits[0].id != IDS["ituc-2024"]
    assert [h.id for h in fielded.hits][:1] == [IDS["ituc-2024"]]
    assert {h.id for h in fielded.hits} == STRIKE
    assert fielded.unknown_fields == ["Mangistau"]


@pytest.mark.parametrize("detail", ["10:30", "9:05:00", "http://example.org/a?b=c", ILO_ADDRESS])
def test_addresses_and_times_rank_but_do_not_empty_a_search(session, detail: str) -> None:  # type: ignore[no-untyped-def]
    result = run(session, f"strike {detail}")
    assert {h.id for h in result.hits} == STRIKE
    assert result.unknown_fields == [] and result.notes == []


def test_an_address_alone_finds_the_letters_that_write_it(session) -> None:  # type: ignore[no-untyped-def]
    assert found(session, ILO_ADDRESS) == {IDS["ituc-2024"]}
    assert [h.id for h in run(session, f"strike {ILO_ADDRESS}").hits][:1] == [IDS["ituc-2024"]]
    assert found(session, "23:59") == set()


def test_beside_a_date_an_address_or_time_ranks_too(session) -> None:  # type: ignore[no-untyped-def]
    in_2024 = found(session, "date:2024")
    assert found(session, "date:2024 10:30") == in_2024 and len(in_2024) == 3
    ranked = run(session, f"date:2024 {ILO_ADDRESS}")
    assert {h.id for h in ranked.hits} == in_2024 and ranked.hits[0].id == IDS["ituc-2024"]

"""Property-based tests: no query string or parameter set makes the search library fail."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.engine.query import parse_query
from indexer.engine.schema import build_schema
from indexer.request import BadRequest, SearchRequest

SCHEMA = build_schema()
PIECES = [
    "strike",
    "Токаев",
    "Høie",
    "right",
    "to",
    "workers",
    "KNPRK",
    "C087",
    "21/386-1",
    '"',
    "(",
    ")",
    "*",
    "?",
    "~",
    "~2",
    "^",
    ":",
    "-",
    "+",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "/",
    "\\",
    " ",
    "OR",
    "AND",
    "NOT",
    "date:",
    "date:2021",
    "date:2021..2024-02",
    "sender:",
    "to:",
    "lang:",
    "type:",
    "mention:",
    "title:",
    "body:",
    "..",
    "TO",
    "'",
    "’",
    "“",
    "\x00",
    "\n",
    "é",
    "ß",
]
QUERY = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join),
)
#: no per-example deadline (it failed slow examples on a loaded machine); the time a search may
#: take is tested in test_budget.py
BOUND = settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@BOUND
@given(QUERY)
def test_parser_never_raises(text: str) -> None:
    parsed = parse_query(text, SCHEMA)
    assert isinstance(parsed.explain(), str)


@BOUND
@given(QUERY, st.sampled_from(["relevance", "newest", "oldest"]), st.integers(1, 3))
def test_search_never_raises(archive, text: str, sort: str, page: int) -> None:  # type: ignore[no-untyped-def]
    with archive.session() as session:
        result = session.search(SearchRequest(q=text, sort=sort, page=page, per_page=2))
    assert 0 <= len(result.hits) <= 2
    assert result.total >= len(result.hits)
    for hit in result.hits:
        for passage in hit.passages:
            without_marks = passage.snippet.replace("<mark>", "").replace("</mark>", "")
            assert "<" not in without_marks


PARAM_NAMES = [
    "q",
    "sender",
    "recipient",
    "year",
    "from",
    "to",
    "sort",
    "page",
    "per_page",
    "type",
    "mention",
    "bogus",
]


@settings(max_examples=1000, deadline=None)
@given(st.dictionaries(st.sampled_from(PARAM_NAMES), st.lists(st.text(max_size=20), max_size=3)))
def test_parameters_are_accepted_or_refused_with_a_message(params: dict[str, list[str]]) -> None:
    try:
        request = SearchRequest.from_params(params)
    except BadRequest as exc:
        assert str(exc)
    else:
        assert request.page >= 1 and 1 <= request.per_page <= 100

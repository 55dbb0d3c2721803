"""The search library on the five seed letters: ranking, passages, filters, facets, JSON."""

from __future__ import annotations

import pytest

from indexer.engine.query import parse_query
from indexer.engine.search import SearchResult
from indexer.links import ArchiveLinks
from indexer.request import BadRequest, SearchRequest
from tests.conftest import IDS, INDUSTRIALL, ITUC, LO


def run(session, **params) -> SearchResult:  # type: ignore[no-untyped-def]
    multi = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return session.search(SearchRequest.from_params(multi))


def hit_ids(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


def facet(result: SearchResult, name: str) -> dict[str, tuple[int, bool]]:
    return {c.value: (c.count, c.selected) for c in result.facets[name]}


def test_right_to_strike_ranks_the_phrase_letters_first(session) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q="right to strike")
    with_phrase = [IDS["industriall-2024"], IDS["press-2024"]]
    assert hit_ids(result)[:2] == with_phrase
    for hit in result.hits[:2]:
        best = hit.passages[0]
        marks = ("<mark>right</mark> to <mark>strike</mark>", "<mark>right to strike</mark>")
        assert any(m in best.snippet.lower() for m in marks)  # words, or the concept's term
    industriall = result.hits[0]
    assert industriall.passages[0].n == 8  # "We would like to highlight that the right to strike…"


def test_passage_numbers_point_at_the_matching_paragraph(session) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q="Article 402")
    hit = next(h for h in result.hits if h.id == IDS["ituc-2024"])
    letter = session.letter(hit.id)
    for p in hit.passages:
        assert "402" in letter.passage(p.n)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("strikes", {"industriall-2024", "ituc-2024", "press-2024", "joint-2021"}),
        ("striking", {"industriall-2024", "ituc-2024", "press-2024", "joint-2021"}),
        ("HOIE", {"industriall-2024"}),
        ("Høie", {"industriall-2024"}),
        ("“West Oil Software”", {"industriall-2024", "ituc-2024", "press-2024"}),
        ('"West Oil Software"', {"industriall-2024", "ituc-2024", "press-2024"}),
        ("Gabrielsen", {"lo-2021"}),
        ("Kharkova OR Zanaozen", {"joint-2021", "lo-2021"}),
        ("Kazakhstan NOT Triangle", {"industriall-2024", "joint-2021", "lo-2021"}),
        ("to:Tokayev Burrow", {"joint-2021"}),
        ("dismisal~", {"ituc-2024", "press-2024"}),
    ],
)
def test_matching_ignores_case_accents_quotes_and_stems(session, query, expected) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q=query, per_page="100")
    assert set(hit_ids(result)) == {IDS[k] for k in expected}
    assert result.total == len(expected)


def test_title_and_people_outweigh_the_body(session) -> None:  # type: ignore[no-untyped-def]
    # "Triangle" is the ITUC letter's signatory and is quoted in the press release body
    result = run(session, q="Luc Triangle")
    assert hit_ids(result)[0] == IDS["ituc-2024"]


def test_empty_query_lists_everything_newest_first(session) -> None:  # type: ignore[no-untyped-def]
    result = run(session)
    assert result.total == 5
    assert hit_ids(result) == [
        IDS["press-2024"],
        IDS["ituc-2024"],
        IDS["industriall-2024"],
        IDS["lo-2021"],
        IDS["joint-2021"],
    ]
    assert all(hit.passages == [] and hit.score is None for hit in result.hits)


def test_oldest_first(session) -> None:  # type: ignore[no-untyped-def]
    result = run(session, sort="oldest")
    assert hit_ids(result)[:2] == [IDS["joint-2021"], IDS["lo-2021"]]


def test_sender_filter_and_facet_counts(session) -> None:  # type: ignore[no-untyped-def]
    everything = run(session)
    assert facet(everything, "sender") == {
        ITUC: (3, False),
        INDUSTRIALL: (2, False),
        LO: (1, False),
    }
    assert facet(everything, "year") == {"2024": (3, False), "2021": (2, False)}
    assert facet(everything, "type") == {"letter": (4, False), "press release": (1, False)}
    assert facet(everything, "recipient") == {"Kassym-Jomart Tokayev": (4, False)}

    only = run(session, sender=INDUSTRIALL)
    assert set(hit_ids(only)) == {IDS["industriall-2024"], IDS["joint-2021"]}
    # the joint letter counts for both of its senders; other senders stay visible to add
    assert facet(only, "sender") == {ITUC: (3, False), INDUSTRIALL: (2, True), LO: (1, False)}
    assert facet(only, "year") == {"2024": (1, False), "2021": (1, False)}
    assert facet(only, "signatory") == {
        "Atle Høie": (1, False),
        "Sharan Burrow": (1, False),
        "Valter Sanches": (1, False),
    }

    both = run(session, sender=[INDUSTRIALL, LO])  # values of one facet widen the result
    assert both.total == 3


def test_facets_from_different_fields_narrow(session) -> None:  # type: ignore[no-untyped-def]
    result = run(session, sender=ITUC, year="2021")
    assert hit_ids(result) == [IDS["joint-2021"]]
    assert facet(result, "year") == {"2024": (2, False), "2021": (1, True)}


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        ("2021", "2021", {"joint-2021", "lo-2021"}),
        ("2021-02-05", "2021-02-28", {"lo-2021"}),
        ("2024-01-19", "", {"ituc-2024", "press-2024"}),
        # the press release is dated 2024-01-19..2024-02-29: a February filter overlaps it
        ("2024-02", "2024-02", {"press-2024"}),
        ("", "2021-02-02", {"joint-2021"}),
        ("2022", "2023", set()),
    ],
)
def test_date_filter_matches_by_overlap(session, date_from, date_to, expected) -> None:  # type: ignore[no-untyped-def]
    result = run(session, **{"from": date_from, "to": date_to})
    assert set(hit_ids(result)) == {IDS[k] for k in expected}


def test_pagination(session) -> None:  # type: ignore[no-untyped-def]
    first = run(session, per_page="2")
    second = run(session, per_page="2", page="2")
    third = run(session, per_page="2", page="3")
    beyond = run(session, per_page="2", page="9")
    pages = hit_ids(first) + hit_ids(second) + hit_ids(third)
    assert pages == hit_ids(run(session))
    assert (first.pages, beyond.hits, beyond.total) == (3, [], 5)


def test_spelling_suggestion_from_the_index_vocabulary(session) -> None:  # type: ignore[no-untyped-def]
    assert run(session, q="stirke").suggestion == "strike"
    assert run(session, q="intimdation").suggestion == "intimidation"
    assert run(session, q="Intimdation").suggestion == "Intimidation"
    assert run(session, q="strike").suggestion is None


@pytest.mark.parametrize(
    "query", ["(((", "AND OR NOT", '"unclosed', "title:", "[a TO", "*", "x^", "\\", "-", "~~~"]
)
def test_odd_queries_never_raise(session, query) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q=query)
    assert result.total >= 0
    assert isinstance(result.explain, str)


def test_unparseable_query_falls_back_to_words(session) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q="type:of")  # a stop word in a field that keeps none: nothing left
    assert result.fallback
    assert result.total == 0


@pytest.mark.parametrize("q", ["<strike", "(<)strike", "strike NOT AND", "strike~~~"])
def test_stray_operators_are_read_not_errors(session, q: str) -> None:  # type: ignore[no-untyped-def]
    """Whoosh's parser raised IndexError, NotImplementedError or AttributeError for these;
    the stray ``<``, ``NOT`` or ``~`` is now dropped and the word searched."""
    result = run(session, q=q)
    assert result.fallback is False
    assert result.total == run(session, q="strike").total == 4


def test_snippets_escape_everything_but_marks(session) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q="workers")
    snippets = " ".join(p.snippet for h in result.hits for p in h.passages)
    assert "&#x27;" in snippets or "&quot;" in snippets or "“" in snippets
    stripped = snippets.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped


def test_json_structure(session) -> None:  # type: ignore[no-untyped-def]
    data = run(session, q="Gabrielsen").to_json(ArchiveLinks())
    assert set(data) == {
        "query",
        "explain",
        "fallback",
        "concepts",
        "also_searched",
        "timed_out",
        "unknown_fields",
        "notes",
        "filters",
        "from",
        "to",
        "sort",
        "total",
        "page",
        "per_page",
        "pages",
        "suggestion",
        "suggestion_total",
        "hits",
        "facets",
    } | {"exclude", "undated", "undated_count", "date_counts", "group"}
    assert (data["query"], data["total"], data["page"], data["per_page"]) == (
        "Gabrielsen",
        1,
        1,
        10,
    )
    hit = data["hits"][0]
    assert {k: hit[k] for k in hit if k not in ("score", "passages")} == {
        "id": IDS["lo-2021"],
        "title": "Re: Concern about serious violation of trade union rights in Kazakhstan",
        "date": "2021-02-09",
        "date_from": "2021-02-09",
        "date_to": "2021-02-09",
        "senders": [LO],
        "signatories": [{"name": "Hans-Christian Gabrielsen", "role": "President, LO Norway"}],
        "recipients": [
            {"name": "Kassym-Jomart Tokayev", "role": "President of the Republic of Kazakhstan"}
        ],
        "type": "letter",
        "language": "en",
        "place": "Oslo",
        "url": f"/letters/{IDS['lo-2021']}",
        "duplicates": [],
    }
    assert hit["passages"][0] == {
        "n": 13,
        "snippet": "Hans-Christian <mark>Gabrielsen</mark> President",
        "url": f"/letters/{IDS['lo-2021']}?q=Gabrielsen#p13",
    }
    assert list(data["facets"]) == [
        *("sender", "signatory", "recipient", "subject", "place", "destination"),
        *("type", "language", "year", "mention"),
    ]
    assert data["facets"]["sender"] == [
        {"value": LO, "label": LO, "key": None, "count": 1, "selected": False, "excluded": False}
    ]


@pytest.mark.parametrize(
    ("params", "message", "param"),
    [
        ({"page": ["0"]}, "'page' must be between 1 and 10000", "page"),
        ({"page": ["abc"]}, "'page' must be a whole number", "page"),
        ({"per_page": ["1000"]}, "'per_page' must be between 1 and 100", "per_page"),
        ({"from": ["2021-13"]}, "'from': '2021-13' is not a real date", "from"),
        ({"to": ["yesterday"]}, "'to' must be a date as YYYY, YYYY-MM or YYYY-MM-DD", "to"),
        ({"from": ["2022"], "to": ["2021"]}, "'from' (2022) is after 'to' (2021)", "from"),
        ({"sort": ["bogus"]}, "sort must be one of relevance, newest, oldest", "sort"),
        ({"year": ["twenty"]}, "year must be a four-digit year", "year"),
        ({"colour": ["red"]}, "unknown parameter 'colour'", "colour"),
        ({"q": ["x" * 1001]}, "query is too long", "q"),
    ],
)
def test_bad_parameters_are_named(params, message, param: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadRequest, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        SearchRequest.from_params(params)
    assert caught.value.param == param  # so a page can show the message by its field


def test_salvage_leaves_out_each_bad_part_and_keeps_the_rest() -> None:
    params = {
        "q": ["strike"],
        "sender": [ITUC],
        "year": ["2024", "24", "2021"],
        "from": ["2024"],
        "to": ["2021"],
        "page": ["abc"],
        "colour": ["red"],
    }
    request, errors = SearchRequest.salvage(params)
    assert request == SearchRequest(
        q="strike", filters={"sender": (ITUC,), "year": ("2024", "2021")}, date_to="2021"
    )
    assert [(e.param, e.value) for e in errors] == [
        ("colour", None),
        ("year", "24"),
        ("page", None),
        ("from", None),
    ]
    assert SearchRequest.salvage({"q": ["strike"]}) == (SearchRequest(q="strike"), ())


def test_request_round_trips_through_its_url() -> None:
    request = SearchRequest.from_params(
        {"q": ["strike"], "sender": [ITUC, LO], "from": ["2021-2"], "sort": ["oldest"]}
    )
    again = SearchRequest.from_params(_multi(request.params()))
    assert again == request
    assert request.date_from == "2021-02"
    toggled = request.toggled("sender", LO)
    assert toggled.filters == {"sender": (ITUC,)}
    assert toggled.toggled("sender", LO).filters == {"sender": (ITUC, LO)}


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def test_a_search_that_runs_out_of_time_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from indexer.archive import Archive
    from indexer.engine.index import LetterIndex

    (tmp_path / "letters").mkdir()
    for i in range(400):
        letter = f"---\nid: l{i}\ntitle: Letter {i}\n---\nstrike {i}\n"
        (tmp_path / "letters" / f"l{i}.md").write_text(letter)
    LetterIndex(tmp_path / "index").rebuild(tmp_path)
    with Archive(tmp_path / "index").session() as session:
        assert session.search(SearchRequest(q="strike")).timed_out is False
    with Archive(tmp_path / "index", search_seconds=1e-9).session() as session:
        result = session.search(SearchRequest(q="strike"))
    assert result.timed_out is True
    assert result.to_json(ArchiveLinks())["timed_out"] is True
    assert result.total < 400  # what was found before the limit, not an error


@pytest.mark.parametrize(
    ("q", "filters"),
    [
        ("strike", {}),
        ("Kazakhstan workers", {"sender": ITUC}),
        ("union OR trade OR president", {"from": "2022-01-01"}),
        ("strike OR dismissal", {"sender": [INDUSTRIALL, LO], "to": "2024-12-31"}),
    ],
)
def test_ranked_pages_match_whoosh_top_n(session, snapshot, q: str, filters: dict) -> None:  # type: ignore[no-untyped-def]
    """The page of hits is Whoosh's own top-N over the filtered letters, page by page, with
    the same scores (concept terms, which rank in a tier of their own, left out)."""
    full = run(session, q=q, per_page="50", concepts="0", **filters)
    assert full.total == len(full.hits) > 0
    paged = [
        hit
        for page in range(1, full.total + 1)
        for hit in run(session, q=q, per_page="1", page=str(page), concepts="0", **filters).hits
    ]
    assert [(h.id, h.score) for h in paged] == [(h.id, h.score) for h in full.hits]
    searcher = snapshot.searcher
    parsed = parse_query(q, searcher.schema, snapshot.authorities)
    allowed = {searcher.document_number(id=h.id) for h in full.hits}
    expected = searcher.search(parsed.query, filter=allowed, limit=None)
    assert [(h.id, h.score) for h in full.hits] == [
        (searcher.stored_fields(hit.docnum)["id"], pytest.approx(hit.score)) for hit in expected
    ]


@pytest.mark.parametrize(
    "q",
    [
        "strike",
        "right to strike",
        "workers Kazakhstan union",
        "Tokayev",
        "Токаев",
        "KNPRK",
        "Høie",
        "West Oil Software",
        "mention:c087",
        "dismiss*",
        "the",
    ],
)
def test_best_passages_are_those_of_analysing_every_passage(session, q: str) -> None:  # type: ignore[no-untyped-def]
    """Skipping passages by their score bound never changes which passages are chosen."""
    from indexer.engine.snippets import MAX_PASSAGES, best_passages, match_passage

    highlight = session.highlight_terms(q)
    for letter_id in IDS.values():
        letter = session.letter(letter_id)
        passages = [(n, text) for n, _kind, text in letter.passages]
        language = letter.record.get("language") or "en"
        every = [
            (found, text)
            for n, text in passages
            if (found := match_passage(n, text, highlight, language)) is not None
        ]
        every.sort(key=lambda m: (-m[0].score, m[0].n))
        chosen = best_passages(passages, highlight, language)
        assert chosen == every[:MAX_PASSAGES], (q, letter_id)

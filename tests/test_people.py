"""People: one key per party, their letters by role, correspondents, the list of everyone, the
``between``/``writer``/``addressee`` filters and ``letters people``; checked against what the
letters' own metadata says (tests/people_expect.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import ArchiveSession
from indexer.cli.main import cli
from indexer.correspondents import ROLES
from indexer.letters.authority import Authorities, Entity
from indexer.letters.people import person_key, slug
from indexer.letters.text import fold
from indexer.request import BadRequest, SearchRequest
from tests.conftest import CORPUS, IDS, ITUC
from tests.people_expect import Expected, Keys, expected, stored_letters

AUTHORITIES = Authorities.from_entries(
    [
        Entity("ituc", "International Trade Union Confederation", "organisation", ("ITUC", "МКП")),
        Entity("ilo", "International Labour Organization", "organisation", ("ILO",)),
    ]
)


@pytest.mark.parametrize(
    ("name", "ref", "key"),
    [
        ("International Trade Union Confederation (ITUC)", None, "ituc"),
        ("ITUC", None, "ituc"),
        ("МКП", None, "ituc"),
        ("ituc", None, "ituc"),  # a key given as a name finds itself
        ("international trade union CONFEDERATION", None, "ituc"),
        ("ITUC and ILO", None, "ituc-and-ilo"),  # two parties: no one id
        ("ITUC (ILO)", None, "ituc-ilo"),  # forms naming two entities: the name's own slug
        ("Atle Høie", None, "atle-hoie"),
        ("Edward O'Farrell", None, "edward-ofarrell"),
        ("  Sharan   Burrow ", None, "sharan-burrow"),
        ("Касым-Жомарт Токаев", None, "касым-жомарт-токаев"),
        ("Alfred Escher", "https://example.org/person/P 17", "https-example-org-person-p-17"),
        ("---", None, ""),
    ],
)
def test_person_key(name: str, ref: str | None, key: str) -> None:
    assert person_key(name, AUTHORITIES, ref) == key
    assert slug(key) == key  # keys are slugs of themselves: a key finds its own page


def test_authorities_name_whole_names_only() -> None:
    assert AUTHORITIES.named("itUC") == "ituc"
    assert AUTHORITIES.named("ITUC Brussels") is None
    assert AUTHORITIES.named("") is None


# -- the seed letters ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def truth(index_root: Path) -> Expected:
    return expected(stored_letters(index_root), Keys(CORPUS))


def test_every_party_of_the_letters_is_listed_with_its_letters(
    session: ArchiveSession, truth: Expected
) -> None:
    listing = session.people(per_page=200)
    assert listing.total == len(truth.letters)
    assert {e.key: e.letters for e in listing.entries} == dict(truth.letters)
    assert {e.key: set(e.roles) for e in listing.entries} == {
        key: {role for role in ROLES if n.get(role)} for key, n in truth.roles.items()
    }


def test_each_person_counts_their_letters_by_role(session: ArchiveSession, truth: Expected) -> None:
    for key, roles in truth.roles.items():
        person = session.person(key)
        assert person is not None, key
        assert person.counts == {role: roles.get(role, 0) for role in ROLES}, key
        assert person.letters == truth.letters[key]


def test_a_person_page_names_variants_years_and_correspondents(session: ArchiveSession) -> None:
    ituc = session.person("ituc")
    assert ituc is not None
    assert ituc.name == "International Trade Union Confederation"
    assert ituc.type == "organisation"
    assert {"ITUC", "МКП", ITUC} <= set(ituc.variants)
    assert ituc.years == (("2021", 2), ("2024", 2))
    assert [(c.key, c.letters) for c in ituc.wrote_to] == [("tokayev", 2)]
    burrow = session.person("Sharan Burrow")  # a name finds the same page as its key
    assert burrow is not None and burrow.key == "sharan-burrow"
    assert [c.key for c in burrow.signed_with] == ["valter-sanches"]
    tokayev = session.person("tokayev")
    assert tokayev is not None
    assert {c.key: c.letters for c in tokayev.received_from} == {
        "ituc": 2, "industriall": 2, "lo-norway": 1, "sharan-burrow": 1, "valter-sanches": 1,
        "luc-triangle": 1, "atle-hoie": 1, "hans-christian-gabrielsen": 1,
    }  # fmt: skip
    assert session.person("nobody-at-all") is None


@pytest.mark.parametrize(
    ("q", "sort", "first"),
    [
        ("", "letters", None),
        ("", "name", "Amin Eleusinov"),
        ("trade union", "name", "Confederation of Independent Trade Unions of Kazakhstan"),
        ("hoie", "letters", "Atle Høie"),  # folded: ø is o
        ("МКП", "letters", "International Trade Union Confederation"),  # any variant
    ],
)
def test_the_list_is_searchable_and_sortable(
    session: ArchiveSession, q: str, sort: str, first: str | None
) -> None:
    listing = session.people(q, sort, per_page=200)
    names = [e.name for e in listing.entries]
    if sort == "name":
        assert names == sorted(names, key=str.casefold)
    else:
        counts = [e.letters for e in listing.entries]
        assert counts == sorted(counts, reverse=True)
    if first:
        assert names[0] == first
    words = fold(q).split()

    def matches(key: str) -> bool:
        person = session.person(key)
        assert person is not None
        return all(w in fold(" ".join((person.name, key, *person.variants))) for w in words)

    everyone = session.people(per_page=200).entries
    assert {e.key for e in listing.entries} == {e.key for e in everyone if matches(e.key)}


def test_the_list_is_paged(session: ArchiveSession) -> None:
    every = [e.key for e in session.people(per_page=200).entries]
    pages = [session.people(page=p, per_page=7) for p in range(1, 7)]
    assert [k for page in pages for k in (e.key for e in page.entries)] == every
    assert pages[0].pages == -(-len(every) // 7)
    with pytest.raises(ValueError, match="sort"):
        session.people(sort="age")


# -- between, writer, addressee --------------------------------------------------------------


def letters_of(session: ArchiveSession, **fields: object) -> set[str]:
    result = session.search(SearchRequest(per_page=100, **fields))  # type: ignore[arg-type]
    return {hit.id for hit in result.hits}


def test_between_two_parties_is_both_directions(session: ArchiveSession) -> None:
    both = letters_of(session, between=("ituc", "tokayev"))
    assert both == letters_of(session, between=("tokayev", "ituc"))
    assert both == {IDS["joint-2021"], IDS["ituc-2024"]}
    assert both == letters_of(session, writer="ituc", addressee="tokayev")
    assert letters_of(session, writer="tokayev", addressee="ituc") == set()
    assert letters_of(session, between=("ituc", "lo-norway")) == set()
    # one party: every letter naming it, in any role
    assert len(letters_of(session, between=("ituc",))) == 4
    assert letters_of(session, between=("Sharan Burrow",)) == {IDS["joint-2021"]}


def test_people_filters_narrow_the_facet_counts(session: ArchiveSession) -> None:
    result = session.search(SearchRequest(between=("lo-norway",)))
    assert result.total == 1
    assert {c.value: c.count for c in result.facets["year"]} == {"2021": 1}


@pytest.mark.parametrize(
    ("params", "param", "message"),
    [
        ({"between": ["a", "b", "c"]}, "between", "one or two people"),
        ({"between": ["x" * 301]}, "between", "too long"),
        ({"writer": ["x" * 301]}, "writer", "too long"),
        ({"addressee": ["x" * 301]}, "addressee", "too long"),
    ],
)
def test_bad_people_filters_name_the_parameter(
    params: dict[str, list[str]], param: str, message: str
) -> None:
    with pytest.raises(BadRequest, match=message) as caught:
        SearchRequest.from_params(params)
    assert caught.value.param == param


def test_people_filters_round_trip_through_the_url() -> None:
    request = SearchRequest.from_params(
        {"between": ["ituc", "tokayev"], "writer": ["ituc"], "addressee": ["tokayev"], "q": ["x"]}
    )
    assert request.between == ("ituc", "tokayev")
    assert SearchRequest.from_params(_multi(request.params())) == request


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    return params


# -- letters people ----------------------------------------------------------------------------


def run(index_root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["people", *args, "--index", str(index_root)])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_lists_people_and_shows_one(index_root: Path, session: ArchiveSession) -> None:
    listing = json.loads(run(index_root, "--json", "--sort", "name", "--per-page", "200"))
    expected_rows = session.people(sort="name", per_page=200).entries
    assert [(p["key"], p["letters"], p["url"]) for p in listing["people"]] == [
        (e.key, e.letters, f"/people/{e.key}") for e in expected_rows
    ]
    shown = json.loads(run(index_root, "ituc", "--json"))
    person = session.person("ituc")
    assert person is not None
    assert shown == json.loads(json.dumps({**person.to_json(), "url": "/people/ituc"}))
    text = run(index_root, "ITUC")
    assert "International Trade Union Confederation" in text
    assert "wrote to: Kassym-Jomart Tokayev [tokayev] (2)" in text
    assert "page: /people/ituc" in text


def test_cli_names_an_unknown_person(index_root: Path) -> None:
    result = CliRunner().invoke(cli, ["people", "nobody", "--index", str(index_root)])
    assert result.exit_code == 1
    assert "no person or organisation 'nobody'" in result.output


def test_cli_search_between_two_people(index_root: Path, session: ArchiveSession) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "search",
            "--between",
            "ITUC",
            "--between",
            "tokayev",
            "--json",
            "--index",
            str(index_root),
        ],
    )
    assert result.exit_code == 0, result.output
    ids = {hit["id"] for hit in json.loads(result.output)["hits"]}
    assert ids == letters_of(session, between=("ituc", "tokayev")) == {
        IDS["joint-2021"], IDS["ituc-2024"]
    }  # fmt: skip
    three = ["--between", "a", "--between", "b", "--between", "c"]
    bad = CliRunner().invoke(cli, ["search", *three, "--index", str(index_root)])
    assert bad.exit_code == 2 and "one or two people" in bad.output

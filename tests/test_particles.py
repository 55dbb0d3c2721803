"""Names with particles and apostrophes (O'Brien, O’Rahilly, de Valera, Mac Neill) are found by
every form, on real letters of 1916 (imported from TEI) and on letters written for the test."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from indexer.archive import Archive
from indexer.cli.main import cli
from indexer.engine.analysis import prose_analyzer
from indexer.letters.text import particle_core, split_particles
from indexer.request import SearchRequest
from tests.conftest import SHARED

LETTERS1916 = SHARED / "corpora" / "letters1916" / "editions"
#: TEI letters that write O'Rahilly (0132: O’Rahilly, 0138: ORahilly, 0134: also "Alfred
#: Rahilly", 0164: "Miss Rahilly"), O'Brien (0020, 0036; 0358: "O' Brien") and O'Connell.
TEI = ("0132", "0134", "0138", "0164", "0020", "0036", "0358", "0195", "0198")

SYNTHETIC = {
    "apostrophe": "I met Mr O'Brien at the harbour and gave him the parcel for Cork.",
    "core-only": "I met Mr Brien at the harbour and gave him the parcel for Cork.",
    "joined": "I met Mr Obrien at the harbour and gave him the parcel for Cork.",
    "van-der": "Our agent Pieter van der Berg sails from Rotterdam on Monday next.",
    "vanderberg": "Our agent Pieter Vanderberg sails from Rotterdam on Monday next.",
    "von": "Professor von Humboldt lectured on the rivers of South America.",
    "de": "A telegram from de Valera reached the committee this morning.",
    "mac-space": "John Mac Neill wrote to the Volunteers about the manoeuvres.",
    "mac-joined": "John MacNeill wrote to the Volunteers about the manoeuvres.",
    "m-apostrophe": "Mrs M'Donald sends her kind regards to all at home.",
    "mac-donald": "Mrs MacDonald sends her kind regards to all at home.",
    "french": "Nous sommes d'accord sur l'union des ouvriers de la ville.",
    "contractions": (
        "I don't think it isn't so; the workers' hall and Høie's report wait till o'clock."
    ),
}


def _letter(name: str, body: str) -> str:
    language = "fr" if name == "french" else "en"
    return (
        f"---\nid: test-{name}\ntitle: Note {name.replace('-', ' ')}\ntype: letter\n"
        f"date: 1916-05-01\nlanguage: {language}\nsenders:\n  - Test Sender\n---\n\n{body}\n"
    )


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not LETTERS1916.is_dir():
        pytest.skip("the letters1916 corpus is not there")
    corpus = tmp_path_factory.mktemp("particles") / "corpus"
    letters = corpus / "letters"
    files = [str(LETTERS1916 / f"item__{n}.xml") for n in TEI]
    result = CliRunner().invoke(cli, ["import", *files, "--into", str(letters)])
    assert result.exit_code == 0, result.output
    for name, body in SYNTHETIC.items():
        (letters / f"test-{name}.md").write_text(_letter(name, body), encoding="utf-8")
    archive = Archive(tmp_path_factory.mktemp("particles-index"))
    report = archive.rebuild(corpus)
    assert not report.errors, report.errors
    with archive.session() as opened:
        yield opened


def ids(session, q: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = session.search(SearchRequest.from_params({"q": [q], "per_page": ["100"]}))
    return [hit.id for hit in result.hits]


def synthetic(found: list[str]) -> set[str]:
    return {i.removeprefix("test-") for i in found if i.startswith("test-")}


def real(found: list[str]) -> set[str]:
    return {i for i in found if not i.startswith("test-")}


@pytest.mark.parametrize(
    "forms",
    [
        ("O'Rahilly", "O’Rahilly", "ORahilly", "O Rahilly", "Rahilly", "o'rahilly"),
        ("O'Brien", "O’Brien", "OBrien", "O Brien", "Brien"),
        ("O'Connell", "O’Connell", "OConnell", "O Connell", "Connell"),
    ],
)
def test_every_form_of_a_name_finds_the_same_letters(session, forms) -> None:  # type: ignore[no-untyped-def]
    found = {form: real(ids(session, form)) for form in forms}
    first = found[forms[0]]
    assert len(first) >= 2
    assert all(letters == first for letters in found.values()), found


def test_the_tei_letters_of_each_spelling_are_found(session) -> None:  # type: ignore[no-untyped-def]
    rahilly = real(ids(session, "Rahilly"))
    assert len(rahilly) == 4  # 0132 (O’Rahilly), 0134, 0138 (ORahilly), 0164 (Miss Rahilly)
    brien = real(ids(session, "O'Brien"))
    assert len(brien) == 3  # 0358 writes "O' Brien"


def test_the_name_as_written_in_the_query_ranks_first(session) -> None:  # type: ignore[no-untyped-def]
    found = [i for i in ids(session, "O'Brien") if i.startswith("test-")]
    assert found[0] == "test-apostrophe"
    assert {"test-core-only", "test-joined"} <= set(found[1:])
    # written joined without a capital, the particle cannot be told from the name (Oliver)
    assert synthetic(ids(session, "Obrien")) == {"apostrophe", "joined"}


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (("van der Berg", "Vanderberg", "VanderBerg"), {"van-der", "vanderberg"}),
        (("Berg",), {"van-der"}),  # Vanderberg cannot be told from a name of its own
        (("von Humboldt", "Humboldt", "Vonhumboldt"), {"von"}),
        (("de Valera", "Valera", "DeValera"), {"de"}),
        (("Mac Neill", "MacNeill", "Neill", "Macneill"), {"mac-space", "mac-joined"}),
        (("M'Donald", "MacDonald", "Mac Donald", "Donald"), {"m-apostrophe", "mac-donald"}),
    ],
)
def test_particles_written_apart_joined_or_with_an_apostrophe(session, forms, expected) -> None:  # type: ignore[no-untyped-def]
    for form in forms:
        assert synthetic(ids(session, form)) == expected, form


def test_french_elision_finds_the_word_and_the_whole(session) -> None:  # type: ignore[no-untyped-def]
    for q in ("union", "l'union", "l’union", "accord", "d'accord"):
        assert "test-french" in ids(session, q), q


def test_contractions_and_possessives_are_unchanged(session) -> None:  # type: ignore[no-untyped-def]
    for q in ("don't", "dont", "isn't", "workers'", "workers", "Høie's", "Hoie"):
        assert synthetic(ids(session, q)) == {"contractions"}, q
    assert [t.text for t in prose_analyzer("en")("don't isn't", mode="query")] == ["dont", "isnt"]
    assert synthetic(ids(session, "clock")) == set()


def test_snippets_mark_the_whole_name_for_its_core(session) -> None:  # type: ignore[no-untyped-def]
    result = session.search(SearchRequest.from_params({"q": ["Brien"], "per_page": ["100"]}))
    hit = next(h for h in result.hits if h.id == "test-apostrophe")
    assert "<mark>O&#x27;Brien</mark>" in hit.passages[0].snippet


@pytest.mark.parametrize(
    ("word", "core"),
    [
        ("O'Brien", "Brien"),
        ("O’Brien's", "Brien"),
        ("OBrien", "Brien"),
        ("McCarthy", "Carthy"),
        ("D'Arcy", "Arcy"),
        ("L'Estrange", "Estrange"),
        ("l'union", "union"),
        ("Obrien", None),
        ("o'clock", None),
        ("don't", None),
        ("Macoun", None),
        ("Oliver", None),
        ("OBE", None),
    ],
)
def test_particle_core(word: str, core: str | None) -> None:
    assert particle_core(word) == core


def test_index_terms_and_positions() -> None:
    tokens = [(t.text, t.pos) for t in prose_analyzer("en")("Mr O'Brien and de Valera")]
    assert tokens == [
        ("mr", 0),
        ("obrien", 1),
        ("brien", 1),
        ("de", 2),
        ("valera", 3),
        ("devalera", 2),
    ]
    assert split_particles("O'Brien met McCarthy at five o'clock") == (
        "O' Brien met Mc Carthy at five o'clock"
    )


def test_a_possessive_of_a_name_with_a_particle() -> None:
    tokens = [t.text for t in prose_analyzer("en")("O'Brien's house")]
    assert tokens == ["obrien", "brien", "hous"]

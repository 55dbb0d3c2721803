"""'Did you mean': plain words corrected and query syntax kept, candidates from every text field
ranked by edit distance then letters, a suggestion also when a misspelling finds some letters,
and the number of letters it finds. On the seed letters and on 40 letters of Letters 1916."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import Archive
from indexer.cli.main import cli
from indexer.engine.index import LetterIndex
from indexer.engine.suggest import plain_words
from indexer.letters.text import fold
from indexer.request import SearchRequest
from tests.conftest import CORPUS, SHARED
from tests.pagedom import get_page
from webapp import create_app

LETTERS1916 = SHARED / "corpora" / "letters1916" / "editions"
#: 20 letters of the edition's start, 3 naming Markievicz (in their summaries only), 6 naming
#: Casement in their text and 11 only in their summaries
ITEMS = [
    "0001", "0002", "0003", "0004", "0005", "0006", "0008", "0009", "0010", "0011", "0012",
    "0013", "0014", "0015", "0016", "0017", "0018", "0019", "0020", "0022",
    "0035", "0037", "0142",
    "0045", "0046", "0048", "0074", "0298", "0300",
    "0049", "0064", "0065", "0066", "0067", "0068", "0070", "0073", "0075", "0076", "0077",
]  # fmt: skip


def request(q: str, **params: str) -> SearchRequest:
    return SearchRequest.from_params({"q": [q], **{k: [v] for k, v in params.items()}})


def suggestion(session, q: str, **params: str) -> tuple[str | None, int | None]:  # type: ignore[no-untyped-def]
    result = session.search(request(q, **params))
    return result.suggestion, result.suggestion_total


def total(session, q: str, **params: str) -> int:  # type: ignore[no-untyped-def]
    return int(session.search(request(q, **params)).total)


@pytest.fixture(scope="module")
def letters1916(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of 40 TEI letters of Letters 1916, imported with ``letters import``."""
    files = [LETTERS1916 / f"item__{item}.xml" for item in ITEMS]
    if not all(path.is_file() for path in files):
        pytest.skip(f"no Letters 1916 edition at {LETTERS1916}")
    root = tmp_path_factory.mktemp("letters1916")
    imported = CliRunner().invoke(cli, ["import", *map(str, files), "--into", str(root / "c")])
    assert imported.exit_code == 0, imported.output
    report = LetterIndex(root / "index").rebuild(root / "c")
    assert not report.errors and len(report.added) == len(ITEMS)
    return root / "index"


@pytest.fixture
def session1916(letters1916: Path):  # type: ignore[no-untyped-def]
    with Archive(letters1916).session() as session:
        yield session


# -- what is replaced, and what stays as typed -----------------------------------------------


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("Casment letters", ["Casment", "letters"]),
        ('"right to stirke" OR dismisal', ["right", "to", "stirke", "dismisal"]),
        ("date:2021..2024-03 stirke", ["stirke"]),
        ("title:stirke sender:(Casment Molny) stirke", ["stirke"]),
        ('title:"right to stirke" -dismisal NOT stirke NOT (a b) c', ["c"]),
        ("stri* st?ike stirke~2 [a TO z] stirke^2", ["stirke"]),
        ("Markievicz's (Casment OR Molny)", ["Markievicz", "Casment", "Molny"]),
    ],
)
def test_only_plain_words_may_be_replaced(q: str, words: list[str]) -> None:
    pieces = list(plain_words(q))
    assert "".join(piece for piece, _plain in pieces) == q
    assert [piece for piece, plain in pieces if plain and piece] == words


def test_the_suggestion_keeps_the_query_syntax(session) -> None:  # type: ignore[no-untyped-def]
    assert suggestion(session, "date:2024 dismisal") == ("date:2024 dismissal", 2)
    assert suggestion(session, '"right to stirke"')[0] == '"right to strike"'
    assert suggestion(session, "stirke OR dismisal")[0] == "strike OR dismissal"
    assert (
        suggestion(session, "(stirke OR dismisal) -Tokayev")[0] == "(strike OR dismissal) -Tokayev"
    )
    assert suggestion(session, "intimid* dismisal")[0] == "intimid* dismissal"
    assert suggestion(session, "stirke^2")[0] == "strike^2"
    assert suggestion(session, "date:2021")[0] is None  # was "day:2021"
    assert suggestion(session, "title:stirke")[0] is None  # a field's value stays as typed


def test_never_the_query_itself(session) -> None:  # type: ignore[no-untyped-def]
    """A word of an authority name (no letter writes it so) was "corrected" to itself."""
    for q in ["Конвенция № 87", "Конвенция", "Kasachstan", "strike", "Gabrielsen", "ITUC"]:
        found = suggestion(session, q)[0]
        assert found is None or fold(found) != fold(q), q


def test_the_nearest_spelling_wins_then_the_most_frequent(session) -> None:  # type: ignore[no-untyped-def]
    assert suggestion(session, "dismisal")[0] == "dismissal"  # one edit; dismissals is two
    assert suggestion(session, "stirke")[0] == "strike"  # a transposition is one edit
    assert suggestion(session, "Gabrielsn")[0] == "Gabrielsen"  # a signatory's name
    assert suggestion(session, "Rokayev")[0] == "Tokayev"  # the first letter too
    assert suggestion(session, "okayev")[0] == "tokayev"


def test_words_of_every_language_and_title_are_candidates(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """Only the English bodies' words were candidates."""
    letter = (
        CORPUS / "letters" / "2021-02-09-lo-norway-trade-union-rights-violations.md"
    ).read_text(encoding="utf-8")
    front, _sep, _body = letter.partition("\n---\n")
    german = front.replace("language: en", "language: de").replace(
        "id: 2021-02-09-lo-norway-trade-union-rights-violations", "id: deutsch"
    )
    german = german.replace(
        'title: "Re: Concern about serious violation of trade union rights in Kazakhstan"',
        "title: Zwangsvollstreckung",
    )
    body = "Wir verurteilen die Verfolgung der Gewerkschaftsführer in Kasachstan entschieden."
    (corpus_copy / "letters" / "deutsch.md").write_text(f"{german}\n---\n\n{body}\n", "utf-8")
    shutil.rmtree(tmp_path / "index", ignore_errors=True)
    archive = Archive(tmp_path / "index")
    assert not archive.rebuild(corpus_copy).errors
    with archive.session() as session:
        # (the concept thesaurus's union leaders of other languages left out of the count)
        assert suggestion(session, "Gewerkschaftsfürer", concepts="0") == ("Gewerkschaftsführer", 1)
        assert suggestion(session, "verurtielen")[0] == "verurteilen"
        assert suggestion(session, "Zwangsvolstreckung")[0] == "Zwangsvollstreckung"


# -- Letters 1916 ----------------------------------------------------------------------------


def test_a_name_only_a_summary_holds(session1916) -> None:  # type: ignore[no-untyped-def]
    assert total(session1916, "Markiewicz") == 0
    assert suggestion(session1916, "Markiewicz") == ("Markievicz", 3)


def test_a_misspelling_that_finds_some_letters_is_corrected(session1916) -> None:  # type: ignore[no-untyped-def]
    """Casment finds the letters writing Casement (loose match of names), not those whose
    summary names him: no suggestion was offered, since the query had hits."""
    some, every = total(session1916, "Casment"), total(session1916, "Casement")
    assert 0 < some < every
    assert suggestion(session1916, "Casment") == ("Casement", every)
    assert suggestion(session1916, "Roger Casment") == (
        "Roger Casement",
        total(session1916, "Roger Casement"),
    )
    in_1916 = total(session1916, "casement", year="1916")
    assert 0 < in_1916 < every
    assert suggestion(session1916, "casment", year="1916") == ("casement", in_1916)


def test_correct_words_get_no_suggestion(session1916) -> None:  # type: ignore[no-untyped-def]
    for q in ["Casement", "Markievicz", "Frongoch", "Molony", "prison", "poison", "Easter"]:
        assert suggestion(session1916, q) == (None, None), q


def test_the_page_says_how_many_letters_the_suggestion_finds(letters1916: Path) -> None:
    client = create_app({"TESTING": True, "INDEX_PATH": str(letters1916)}).test_client()
    page = get_page(client, "/search?q=Markiewicz")
    assert (
        " ".join(page.find(".suggestion").text().split()) == "Did you mean Markievicz (3 letters)?"
    )
    data = client.get("/api/search?q=Markiewicz").get_json()
    assert (data["suggestion"], data["suggestion_total"]) == ("Markievicz", 3)


#: misspellings of names and words of those letters, with the spelling they mean: deletions,
#: insertions, transpositions, substitutions, accents, two edits, several words
MISSPELLINGS = [
    ("Molny", "Molony"),
    ("Frongch", "Frongoch"),
    ("Brixon", "Brixton"),
    ("Aughrm", "Aughrim"),
    ("Wandsworh", "Wandsworth"),
    ("solicitr", "solicitor"),
    ("Casment", "Casement"),
    ("Fitzgeraldd", "Fitzgerald"),
    ("Moynihhan", "Moynihan"),
    ("Asquitth", "Asquith"),
    ("Clonbrrock", "Clonbrock"),
    ("secretarry", "secretary"),
    ("circumstancces", "circumstances"),
    ("Westminsster", "Westminster"),
    ("Donnybroook", "Donnybrook"),
    ("Csaement", "Casement"),
    ("Mrakievicz", "Markievicz"),
    ("Brguha", "Brugha"),
    ("Murnaen", "Murnane"),
    ("Killakcy", "Killacky"),
    ("Stopfrod", "Stopford"),
    ("freinds", "friends"),
    ("recieved", "received"),
    ("beleive", "believe"),
    ("faithfluly", "faithfully"),
    ("Galawy", "Galway"),
    ("Tarlee", "Tralee"),
    ("Markiewicz", "Markievicz"),
    ("Molany", "Molony"),
    ("Kasement", "Casement"),
    ("Cavanogh", "Cavanagh"),
    ("Rathfarnhem", "Rathfarnham"),
    ("Dunshaughlen", "Dunshaughlin"),
    ("Welshpoal", "Welshpool"),
    ("thursdey", "thursday"),
    ("governer", "governor"),
    ("petitian", "petition"),
    ("headquartars", "headquarters"),
    ("Gustrov", "Gustrow"),
    ("Bermondsay", "Bermondsey"),
    ("Caitlínn", "Caitlín"),
    ("Ardánn", "Ardán"),
    ("Rosnaríg", "Rosnarígh"),
    ("hÉirean", "hÉireann"),
    ("Máinne", "Máine"),
    ("Markeiwicz", "Markievicz"),
    ("Fitsgerrald", "Fitzgerald"),
    ("Clonbrok", "Clonbrock"),
    ("Roger Casment", "Roger Casement"),
    ("Helena Molny", "Helena Molony"),
]
ACCURACY = 0.9  # share of misspellings whose suggestion is exactly the expected one


def test_accuracy_on_misspellings_of_the_letters(session1916) -> None:  # type: ignore[no-untyped-def]
    wrong = {}
    for typo, expected in MISSPELLINGS:
        found = suggestion(session1916, typo)[0]
        if found != expected:
            wrong[typo] = found
    accuracy = 1 - len(wrong) / len(MISSPELLINGS)
    print(f"did-you-mean accuracy: {accuracy:.0%} of {len(MISSPELLINGS)}; missed: {wrong}")
    assert len(MISSPELLINGS) >= 40
    assert accuracy >= ACCURACY, wrong

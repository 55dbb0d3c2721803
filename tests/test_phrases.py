"""A query means what people type: exact quoted phrases, ``"…"~N`` proximity, stop words and
lowercase operators as words, and unknown field names named in the result."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from indexer.archive import Archive
from indexer.cli.main import cli
from indexer.engine.index import LetterIndex
from indexer.letters.text import fold_text
from indexer.request import SearchRequest
from indexer.results import SearchResult
from tests.conftest import IDS, SHARED
from tests.pagedom import api, get_page

EDITIONS = SHARED / "corpora" / "letters1916" / "editions"
#: letters1916 items: two name Casement and use the word "author", one names Casement only,
#: two do neither
LETTERS1916 = ("item__0078", "item__0306", "item__0065", "item__0001", "item__0002")
RIGHT_TO_STRIKE = {IDS["industriall-2024"], IDS["press-2024"]}


def run(session, q: str) -> SearchResult:  # type: ignore[no-untyped-def]
    return session.search(SearchRequest(q=q, per_page=100))


def ids(result: SearchResult) -> set[str]:
    return {hit.id for hit in result.hits}


def words(text: str) -> list[str]:
    """Folded words of a snippet or passage, apostrophes and possessives aside."""
    plain = html.unescape(re.sub(r"</?mark>", "", text))
    return [w.replace("'", "") for w in re.findall(r"\w+(?:'\w+)*", fold_text(plain))]


@pytest.mark.parametrize(
    "q",
    [
        '"right to strike"',
        '"Right To Strike"',
        '"RIGHT TO STRIKE"',
        "“right to strike”",  # typographic quotes are quotes
        "„right to strike“",
    ],
)
def test_a_quoted_phrase_finds_the_letters_that_have_it(session, q: str) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q)
    assert ids(result) == RIGHT_TO_STRIKE
    assert not result.fallback


@pytest.mark.parametrize("q", ['"right of strike"', '"right strike"', '"strike to right"'])
def test_a_phrase_no_letter_has_finds_nothing(session, q: str) -> None:  # type: ignore[no-untyped-def]
    """Stop words are kept and leave no gap: "right strike" is not "right to strike"."""
    assert run(session, q).total == 0


def test_a_phrase_is_not_stemmed_but_unquoted_words_are(session) -> None:  # type: ignore[no-untyped-def]
    assert run(session, '"strikes"').total == 0  # the letters say strike, strikers, striking
    assert run(session, "strikes").total == 4
    assert ids(run(session, '"striking workers"')) == {IDS["ituc-2024"], IDS["press-2024"]}
    assert run(session, '"striking worker"').total == 0
    assert run(session, "right strike").total > len(RIGHT_TO_STRIKE)


@pytest.mark.parametrize("q", ['"Atle Hoie"', '"ATLE HØIE"', 'by:"atle høie"'])
def test_phrases_fold_case_and_accents(session, q: str) -> None:  # type: ignore[no-untyped-def]
    assert ids(run(session, q)) == {IDS["industriall-2024"]}


def test_fielded_phrases_are_exact_too(session) -> None:  # type: ignore[no-untyped-def]
    assert ids(run(session, 'title:"right to strike"')) == {IDS["industriall-2024"]}
    assert run(session, 'title:"right of strike"').total == 0
    assert run(session, 'title:"right strike"').total == 0


@pytest.mark.parametrize("q", ['"right to strike"', '"Right to Strike" Kazakhstan'])
def test_phrase_snippets_contain_the_phrase_marked_whole(session, q: str) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q)
    snippets = [p.snippet for hit in result.hits for p in hit.passages]
    assert snippets
    for snippet in snippets:
        marks = [words(m) for m in re.findall(r"<mark>(.*?)</mark>", snippet)]
        phrase_marks = [m for m in marks if not m[0].startswith("kazakhstan")]
        assert phrase_marks or "Kazakhstan" in q, snippet
        assert all(m == ["right", "to", "strike"] for m in phrase_marks), snippet
    alone = [s for s in snippets if "Kazakhstan" not in q]
    for snippet in alone:  # every passage shown for the phrase alone has it
        text = " ".join(words(snippet))
        assert "right to strike" in text, snippet


def test_quoted_names_match_across_scripts_and_mark_whole(session) -> None:  # type: ignore[no-untyped-def]
    latin = run(session, '"Kassym-Jomart Tokayev"')
    cyrillic = run(session, '"Касым-Жомарт Токаев"')
    assert ids(cyrillic) == ids(latin) and latin.total >= 1
    for hit in cyrillic.hits:
        for passage in hit.passages:
            marked = re.findall(r"<mark>(.*?)</mark>", passage.snippet)
            assert marked and all(m == "Kassym-Jomart Tokayev" for m in marked), passage.snippet


def test_proximity_finds_words_near_each_other_in_any_order(session) -> None:  # type: ignore[no-untyped-def]
    anywhere = ids(run(session, "strike Kazakhstan"))
    within_10 = ids(run(session, '"strike Kazakhstan"~10'))
    within_2 = ids(run(session, '"strike Kazakhstan"~2'))
    assert within_2 < within_10 < anywhere  # the nearer, the fewer
    assert ids(run(session, '"Kazakhstan strike"~2')) == within_2  # order does not matter
    assert ids(run(session, '"strike dismissal"~10')) == {IDS["ituc-2024"], IDS["press-2024"]}
    assert run(session, '"strike dismissal"').total == 0  # never written side by side


@pytest.mark.parametrize("q", ["the", "THE", "to be or not to be", "(the)"])
def test_stop_words_alone_are_searched_as_words(session, q: str) -> None:  # type: ignore[no-untyped-def]
    result = run(session, q)
    assert not result.fallback
    assert result.total >= 1
    wanted = set(words(q))
    for hit in result.hits:
        text = " ".join(p.snippet for p in hit.passages)
        assert wanted & set(words(text)), hit.id  # the snippets mark the words themselves


def test_every_letter_found_for_stop_words_has_all_of_them(session) -> None:  # type: ignore[no-untyped-def]
    result = run(session, "to be or not to be")
    for hit in result.hits:
        letter = session.letter(hit.id)
        text = set(words(" ".join(passage for _n, _kind, passage in letter.passages)))
        text |= set(words(hit.title))
        assert {"to", "be", "or", "not"} <= text, hit.id
    assert result.total == 4  # the fifth letter has no "or"


def test_lowercase_or_is_a_word_not_an_operator(session) -> None:  # type: ignore[no-untyped-def]
    assert run(session, "Norwegian OR Mangistau").total == 2  # two letters, one word each
    assert run(session, "Norwegian or Mangistau").total == run(session, "Norwegian Mangistau").total
    assert run(session, "Norwegian or Mangistau").total == 0
    assert (
        run(session, "strike and NOT dismissal").total == run(session, "strike NOT dismissal").total
    )


def test_unknown_field_is_named_with_the_fields_that_exist(client: FlaskClient) -> None:
    data = api(client, "/api/search?" + urlencode({"q": "author:Tokayev"}))
    assert data["unknown_fields"] == ["author"]
    assert data["notes"] and "sender:" in data["notes"][0] and "author:" in data["notes"][0]
    known = api(client, "/api/search?" + urlencode({"q": "from:ITUC 10:30"}))
    assert known["unknown_fields"] == [] and known["notes"] == []
    page = get_page(client, "/search?" + urlencode({"q": "author:Tokayev"}))
    notices = [n.text() for n in page.find_all(".notice")]
    assert any("author:" in n and "recipient:" in n for n in notices), notices


@pytest.fixture(scope="module")
def letters1916(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """An index of a handful of letters1916 TEI letters, imported with ``letters import``."""
    if not EDITIONS.is_dir():
        pytest.skip("../shared/corpora/letters1916 is absent")
    root = tmp_path_factory.mktemp("letters1916")
    files = [str(EDITIONS / f"{name}.xml") for name in LETTERS1916]
    imported = CliRunner().invoke(cli, ["import", *files, "--into", str(root / "corpus/letters")])
    assert imported.exit_code == 0, imported.output
    report = LetterIndex(root / "index").rebuild(root / "corpus")
    assert not report.errors, report.errors
    return Archive(root / "index")


def test_unknown_field_ranks_but_does_not_filter_on_letters1916(letters1916: Archive) -> None:
    """``author:Casement`` finds the Casement letters ("author" is in some of them only)."""
    with letters1916.session() as session:
        fielded = run(session, "author:Casement")
        plain = run(session, "author Casement")
        casement = run(session, "Casement")
        assert fielded.unknown_fields == ["author"]
        assert any("is not a field" in note for note in fielded.notes)
        assert ids(fielded) == ids(casement) and fielded.total >= 1
        assert ids(plain) < ids(casement)
        assert plain.notes == [] and plain.unknown_fields == []


def test_cli_prints_the_note(letters1916: Archive) -> None:
    out = CliRunner().invoke(cli, ["search", "author:Casement", "--index", str(letters1916.root)])
    assert out.exit_code == 0, out.output
    assert "note: author: is not a field" in out.output

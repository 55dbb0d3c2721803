"""Cross-language concept search: the thesaurus file, how queries read it, and the Russian and
Kazakh test letters (tests/data/letters-ru-kk) found by English queries."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import Archive, IndexProblem
from indexer.cli.main import cli
from indexer.engine.concepts import MAX_CONCEPT_TERMS, ConceptTerms
from indexer.engine.index import LetterIndex
from indexer.engine.search import search
from indexer.letters.concepts import ConceptError, concept_file, load_concepts
from indexer.links import ArchiveLinks
from indexer.request import SearchRequest
from tests.conftest import CORPUS, IDS
from tests.mixedletters import (
    KK_LIQUIDATION,
    KK_STRIKE,
    OTHER_LANGUAGES,
    RU_LIQUIDATION,
    RU_STRIKE,
    found,
    with_test_letters,
)
from tests.mixedletters import mixed_index as build_mixed_index

LANGUAGES = ("en", "ru", "kk", "de")


@pytest.fixture(scope="module")
def concepts() -> ConceptTerms:
    return ConceptTerms(load_concepts(concept_file(CORPUS)))


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mixed_index(tmp_path_factory.mktemp("mixed"))


# -- the thesaurus file ----------------------------------------------------------------------


def test_the_thesaurus_has_sixty_concepts_each_in_english_russian_kazakh_and_german() -> None:
    thesaurus = load_concepts(concept_file(CORPUS))
    assert len(thesaurus) >= 60
    missing = {c.id: set(LANGUAGES) - set(c.languages()) for c in thesaurus.concepts}
    assert {k: v for k, v in missing.items() if v} == {}
    kazakh = [t for c in thesaurus.concepts for lang, t in c.all_terms() if lang == "kk"]
    assert [t for t in kazakh if any("a" <= ch.lower() <= "z" for ch in t)] == []
    assert any(set(t) & set("әғқңөұүһі") for t in kazakh)


KEY_TERMS = {
    "strike": (["strike"], ["забастовка"], ["ереуіл"], ["Streik"]),
    "trade-union": (
        ["trade union"], ["профсоюз", "профессиональный союз"], ["кәсіподақ"], ["Gewerkschaft"]
    ),
    "hunger-strike": (["hunger strike"], ["голодовка"], ["аштық жариялау"], ["Hungerstreik"]),
    "dismissal": (["dismissal"], ["увольнение"], ["жұмыстан шығару"], ["Entlassung"]),
    "freedom-of-association": (
        ["freedom of association"], ["свобода объединения"], ["бірлесу бостандығы"],
        ["Vereinigungsfreiheit"],
    ),
    "fine": (["fine"], ["штраф"], ["айыппұл"], ["Geldstrafe"]),
}  # fmt: skip


@pytest.mark.parametrize(("concept", "expected"), KEY_TERMS.items())
def test_key_concepts_carry_their_terms(concept: str, expected: tuple[list[str], ...]) -> None:
    entry = load_concepts(concept_file(CORPUS)).get(concept)
    assert entry is not None
    terms = dict(entry.terms)
    present = tuple(
        [t for t in want if t in terms[lang]]
        for lang, want in zip(LANGUAGES, expected, strict=True)
    )
    assert present == expected


GOOD = "concepts:\n  - id: strike\n    terms:\n      en: strike\n      ru: [забастовка]\n"
ONE = "concepts:\n  - id: s\n"  # the start of a concept, then its fields
MALFORMED = [
    ("concepts: [", "cannot be read as YAML"),
    ("- strike\n", "expected a mapping with a list under 'concepts'"),
    ("concepts:\n  - strike\n", "concept 1: expected a mapping with id and terms"),
    ("concepts:\n  - id: Strike!\n    terms: {en: a, ru: b}\n", "concept 1: 'id' must be"),
    (ONE + "    term: {en: strike}\n", "concept 1: unknown field(s) term"),
    (ONE, "concept 1 (s): 'terms' must map language codes"),
    (ONE + "    terms: {English: a, ru: b}\n", "'English' is not a language code"),
    (ONE + "    terms: {en: '\"a\"', ru: b}\n", "term '\"a\"' in 'en' holds query syntax (\")"),
    (ONE + "    terms: {en: 'a*', ru: b}\n", "term 'a*' in 'en' holds query syntax (*)"),
    (ONE + "    terms: {en: a, ru: ['']}\n", "a term in 'ru' is empty or not text"),
    (ONE + "    terms: {en: a, ru: []}\n", "terms in 'ru' must be a term or a list of terms"),
    (ONE + "    terms: {en: strike}\n", "needs at least two terms"),
    (GOOD + GOOD.replace("concepts:\n", ""), "concept id 'strike' is used twice"),
    (
        GOOD + "  - id: walkout\n    terms: {en: [walkout, Strike], de: Streik}\n",
        "term 'Strike' in 'en' belongs to both 'strike' and 'walkout'",
    ),
]


@pytest.mark.parametrize(("text", "problem"), MALFORMED)
def test_a_malformed_concept_file_is_named_with_its_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "concepts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConceptError) as caught:
        load_concepts(path)
    assert str(caught.value).startswith(str(path))
    assert problem in str(caught.value)


def test_no_concept_file_means_no_concepts(tmp_path: Path) -> None:
    assert not load_concepts(tmp_path / "concepts.yaml")


def test_letters_index_and_check_refuse_a_malformed_concept_file(tmp_path: Path) -> None:
    corpus = with_test_letters(tmp_path / "corpus")
    concept_file(corpus).write_text("concepts:\n  - id: s\n", encoding="utf-8")
    with pytest.raises(IndexProblem) as caught:
        Archive(tmp_path / "index").rebuild(corpus)
    assert str(caught.value).endswith(
        "concept 1 (s): 'terms' must map language codes (en, ru, …) to terms; "
        "fix the concept file and index again"
    )
    checked = CliRunner().invoke(cli, ["check", "--corpus", str(corpus)])
    assert checked.exit_code == 3
    assert "concepts.yaml: concept 1 (s): 'terms' must map language codes" in checked.output


# -- how a query reads its concepts ------------------------------------------------------------

STRIKE_TERMS = ("industrial action", "walkout", "work stoppage", "забастовка", "стачка", "ереуіл")
STRIKE_TERMS += ("Streik", "Arbeitsniederlegung", "Ausstand")


@pytest.mark.parametrize(
    ("q", "also"),
    [
        ("strike", STRIKE_TERMS),
        ("Strikes", STRIKE_TERMS),  # inflected: the English analysis reads it as strike
        ("Streiks", ("strike", *STRIKE_TERMS[:6], "Arbeitsniederlegung", "Ausstand")),
        ("забастовки", ("strike", *STRIKE_TERMS[:3], *STRIKE_TERMS[4:])),
        ("right to strike", ("право на забастовку", "ереуіл құқығы", "ереуілге шығу құқығы",
                             "Streikrecht")),
        ("hunger strikes", ("голодовка", "аштық жариялау", "аштық акциясы", "Hungerstreik")),
        ("the strike OR lockout", (*STRIKE_TERMS, "локаут", "Aussperrung")),
        ('"hunger strike"', ()),  # a phrase is exact
        ("exact:strike", ()),
        ("title:strike", ()),
        ("strik*", ()),
        ("strike~", ()),
        ("strike^2", ()),
        ("Tokayev", ()),
    ],
)  # fmt: skip
def test_a_concept_term_also_searches_the_concepts_other_terms(
    concepts: ConceptTerms, q: str, also: tuple[str, ...]
) -> None:
    assert concepts.expand(q).also_searched == also


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ("exact:strike dismissal~", "strike dismissal~"),
        ('"right to strike" exact:fine', '"right to strike" fine'),
        ("title:strike", "title:strike"),
        ("(KNPRK OR mention:cituk)", "(KNPRK OR mention:cituk)"),
    ],
)
def test_what_concepts_leave_alone_is_kept_as_typed(
    concepts: ConceptTerms, q: str, text: str
) -> None:
    assert concepts.expand(q).text == text


def test_the_terms_a_query_gains_are_capped(concepts: ConceptTerms) -> None:
    q = "strike dismissal trade union arrest fine sanctions lockout picket solidarity"
    expansion = concepts.expand(q)
    assert len(expansion.also_searched) == MAX_CONCEPT_TERMS
    assert expansion.also_searched[: len(STRIKE_TERMS)] == STRIKE_TERMS


# -- searching the Russian and Kazakh test letters ---------------------------------------------


@pytest.mark.parametrize(
    ("q", "others"),
    [
        ("strike", {RU_STRIKE, KK_STRIKE}),
        ("dismissal", {RU_STRIKE, KK_STRIKE}),
        ("trade union", OTHER_LANGUAGES),
        ("freedom of association", OTHER_LANGUAGES),
        ("liquidation", {RU_LIQUIDATION, KK_LIQUIDATION}),
    ],
)
def test_an_english_query_finds_russian_and_kazakh_letters_after_the_english_ones(
    mixed_index: Path, q: str, others: set[str]
) -> None:
    hits, result = found(mixed_index, q)
    typed, _ = found(mixed_index, q, concepts=False)
    ids, typed_ids = [i for i, _lang in hits], {i for i, _lang in typed}
    assert typed_ids and not typed_ids & OTHER_LANGUAGES
    assert set(ids[: len(typed_ids)]) == typed_ids  # the words as typed rank first
    assert {i for i, lang in hits if lang != "en"} == others
    assert result.also_searched


def test_exact_strike_finds_only_the_letters_that_say_strike(mixed_index: Path) -> None:
    hits, result = found(mixed_index, "exact:strike")
    assert {lang for _i, lang in hits} == {"en"}
    assert result.also_searched == []
    english, _ = found(mixed_index, "strike", concepts=False)
    assert hits == english


def test_a_russian_query_ranks_the_russian_letter_first(mixed_index: Path) -> None:
    hits, result = found(mixed_index, "забастовка")
    assert hits[0] == (RU_STRIKE, "ru")
    english = {i for i, lang in found(mixed_index, "strike", concepts=False)[0]}
    assert {i for i, _lang in hits[1:]} == {KK_STRIKE, *english}
    assert "strike" in result.also_searched and "ереуіл" in result.also_searched


def test_a_kazakh_query_finds_the_english_letters_about_it(mixed_index: Path) -> None:
    hits, _result = found(mixed_index, "кәсіподақ")
    assert [lang for _i, lang in hits][:2] == ["kk", "kk"]
    assert {i for i, lang in hits if lang == "en"} == set(IDS.values())


def test_the_test_letters_are_found_by_the_presidents_name_in_every_script(
    mixed_index: Path,
) -> None:
    for name in ("Tokayev", "Токаев", "Тоқаев"):
        hits, _result = found(mixed_index, name)
        assert {i for i, _lang in hits} >= OTHER_LANGUAGES, name


def test_the_result_json_says_what_was_also_searched(mixed_index: Path) -> None:
    _hits, result = found(mixed_index, "lockout OR strike")
    data = result.to_json(ArchiveLinks())
    assert data["also_searched"] == ["локаут", "Aussperrung", *STRIKE_TERMS]
    assert data["concepts"] is True
    _hits, off = found(mixed_index, "strike", concepts=False)
    data = off.to_json(ArchiveLinks())
    assert (data["also_searched"], data["concepts"]) == ([], False)


def test_concept_search_keeps_to_the_time_budget(mixed_index: Path) -> None:
    with closing(LetterIndex(mixed_index).snapshot(5.0)) as snapshot:
        request = SearchRequest(q="strike dismissal trade union arrest fine sanctions")
        result = search(snapshot.searcher, request, snapshot.authorities, 1e-9, snapshot.concepts)
    assert result.timed_out is True
    assert result.suggestion is None


def test_a_changed_concept_file_is_searched_after_the_next_index_run_without_a_rebuild(
    tmp_path: Path,
) -> None:
    corpus = with_test_letters(tmp_path / "corpus")
    archive = Archive(tmp_path / "index")
    archive.rebuild(corpus)
    path = concept_file(corpus)
    path.write_text(
        path.read_text(encoding="utf-8").replace("kk: [ереуіл]", "kk: [ереуіл жариялау]"),
        encoding="utf-8",
    )
    report = archive.update(corpus)
    assert report.rebuilt is False
    hits, result = found(tmp_path / "index", "strike")
    assert "ереуіл жариялау" in result.also_searched and "ереуіл" not in result.also_searched
    assert KK_STRIKE not in {i for i, _lang in hits}
    path.write_text("concepts: {}", encoding="utf-8")
    with pytest.raises(IndexProblem, match="expected a mapping with a list under 'concepts'"):
        archive.update(corpus)
    _hits, kept = found(tmp_path / "index", "strike")
    assert "ереуіл жариялау" in kept.also_searched  # the bad file changed nothing


@pytest.mark.parametrize("q", ["strike", "trade union", "dismissal OR lockout"])
def test_pages_of_a_concept_search_keep_its_order(mixed_index: Path, q: str) -> None:
    hits, result = found(mixed_index, q)
    paged = [
        hit
        for page in range(1, result.total + 1)
        for hit in found(mixed_index, q, page=page, per_page=1)[1].hits
    ]
    assert [(h.id, h.score) for h in paged] == [(h.id, h.score) for h in result.hits]
    assert len(hits) == result.total

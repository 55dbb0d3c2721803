"""Analysis rules and the query language, with real examples from the five letters."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.engine.analysis import name_analyzer, prose_analyzer, term_spans
from indexer.engine.query import parse_query
from indexer.engine.schema import build_schema
from indexer.letters.authority import Authorities, AuthorityError, Entity, load_authorities
from indexer.letters.language import detect_language
from indexer.letters.text import fold, translit_key
from indexer.request import SearchRequest
from tests.conftest import CORPUS, IDS


def tokens(analyzer, text: str, mode: str = "index") -> list[str]:  # type: ignore[no-untyped-def]
    return [t.text for t in analyzer(text, mode=mode)]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Atle Høie", "atle hoie"),
        ("Æsir", "aesir"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("Đorđe", "dorde"),
        ("Présidente", "presidente"),
        ("Ёлка", "елка"),
        ("Тоқаев", "тоқаев"),  # қ is a letter of its own, not an accent
        ("workers’ right", "workers' right"),
        ("“West Oil Software”", '"west oil software"'),
    ],
)
def test_folding(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("text", "index_tokens", "query_tokens"),
    [
        # hyphenated names: whole and parts when indexing, the parts (as a phrase) when querying
        (
            "Hans-Christian Gabrielsen",
            ["hans-christian", "han", "christian", "gabrielsen"],
            ["han", "christian", "gabrielsen"],
        ),
        ("Nur-Sultan", ["nur-sultan", "nur", "sultan"], ["nur", "sultan"]),
        # identifiers: whole and parts in the index, found by the phrase of their parts
        (
            "Our ref. 21/386-1 840.100/NIMJ",
            ["ref", "21/386-1", "21", "386", "1", "840.100/nimj", "840", "100", "nimj"],
            ["ref", "21", "386", "1", "840", "100", "nimj"],
        ),
        ("Article 402", ["articl", "402"], ["articl", "402"]),
        ("C087", ["c087"], ["c087"]),
        # English stemming, stop words, possessives and typographic apostrophes
        ("strikes striking strike", ["strike", "strike", "strike"], ["strike", "strike", "strike"]),
        (
            "the workers’ right to strike",
            ["worker", "right", "strike"],
            ["worker", "right", "strike"],
        ),
        ("Kazakhstan’s application", ["kazakhstan", "applic"], ["kazakhstan", "applic"]),
    ],
)
def test_english_prose_analysis(
    text: str, index_tokens: list[str], query_tokens: list[str]
) -> None:
    analyzer = prose_analyzer("en")
    assert tokens(analyzer, text) == index_tokens
    assert tokens(analyzer, text, "query") == query_tokens


def test_compound_parts_take_consecutive_positions() -> None:
    analyzer = prose_analyzer("en")
    positions = [(t.text, t.pos) for t in analyzer("Hans-Christian Gabrielsen", positions=True)]
    assert positions == [("hans-christian", 0), ("han", 0), ("christian", 1), ("gabrielsen", 2)]


@pytest.mark.parametrize(
    ("language", "words", "stems"),
    [
        ("en", "dismissals dismissed", ["dismiss", "dismiss"]),
        ("de", "Gewerkschaften Gewerkschaft", ["gewerkschaft", "gewerkschaft"]),
        ("ru", "профсоюзов профсоюзы", ["профсоюз", "профсоюз"]),
    ],
)
def test_stemming_by_language(language: str, words: str, stems: list[str]) -> None:
    assert tokens(prose_analyzer(language), words) == stems


def test_a_word_the_stemmer_cannot_take_is_kept_as_it_is() -> None:
    """Whoosh's Spanish stemmer raised IndexError on "ague" (hypothesis found it in a query)."""
    assert tokens(prose_analyzer("es"), "ague agué sigue") == ["ague", "ague", "sig"]
    assert parse_query("AGUE", build_schema()).query is not None


def test_names_are_folded_not_stemmed() -> None:
    assert tokens(name_analyzer(), "Luc Triangle, General Secretary") == [
        "luc",
        "triangle",
        "general",
        "secretary",
    ]


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Tokayev", "Токаев"),
        ("Tokayev", "Тоқаев"),
        ("Kassym", "Касым"),
        ("Jomart", "Жомарт"),
        ("Kharkova", "Харькова"),
        ("Baltabay", "Балтабай"),
        ("Yerlan", "Ерлан"),
        ("Kushakbaev", "Кушакбаев"),
        ("Zhanaozen", "Жанаозен"),
    ],
)
def test_transliteration_keys_meet_across_scripts(latin: str, cyrillic: str) -> None:
    assert translit_key(latin) == translit_key(cyrillic)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We write to you on behalf of the workers and their union.", "en"),
        ("Wir schreiben Ihnen im Namen der Gewerkschaft und ihrer Mitglieder.", "de"),
        ("Мы пишем вам от имени профсоюза и его членов, что это не так.", "ru"),
        ("Біз сізге кәсіподақ атынан жазып отырмыз және бұл туралы.", "kk"),
        ("Nous vous écrivons au nom des travailleurs et de la confédération.", "fr"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def run(session, q: str, **params) -> set[str]:  # type: ignore[no-untyped-def]
    result = session.search(SearchRequest(q=q, per_page=100, **params))
    names = {v: k for k, v in IDS.items()}
    return {names[h.id] for h in result.hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # cross-script names
        ("Токаев", {"industriall-2024", "ituc-2024", "joint-2021", "lo-2021"}),
        ("Харькова", {"joint-2021", "lo-2021"}),
        # variant names from the authority file
        ("KNPRK", {"joint-2021", "lo-2021"}),
        ("Конфедерация независимых профсоюзов Казахстана", {"joint-2021", "lo-2021"}),
        # every form of Convention 87, also "Conventions Nos. 87 and 98" (issue 14)
        ("C087", {"industriall-2024", "ituc-2024", "lo-2021"}),
        ("Конвенция № 87", {"industriall-2024", "ituc-2024", "lo-2021"}),
        ("C87 and C98", {"ituc-2024", "lo-2021"}),
        ("Конвенции МОТ № 87 и 98", {"ituc-2024", "lo-2021"}),
        ("ст. 402 УК РК", {"ituc-2024"}),
        ("МКП", {"ituc-2024", "press-2024", "joint-2021", "lo-2021"}),
        ("Astana", {"industriall-2024", "ituc-2024", "joint-2021", "lo-2021"}),
        # spelling variants no file lists: one edit on the name key
        ("Kushakpaev", {"joint-2021", "lo-2021"}),
        ("Gabrielson", {"lo-2021"}),
        # hyphenated names by the whole and by the parts; identifiers whole
        ("Hans-Christian", {"lo-2021"}),
        ("Christian", {"lo-2021"}),
        ("21/386-1", {"lo-2021"}),
        ('"Article 402"', {"ituc-2024"}),
        # accents and stemming
        ("Hoie", {"industriall-2024"}),
        ("dismissed", {"ituc-2024", "press-2024"}),
        # the query language
        ("strike -illegal", {"joint-2021"}),
        ("strike NOT illegal", {"joint-2021"}),
        ("(Kharkova OR Triangle) Kazakhstan", {"ituc-2024", "press-2024", "joint-2021", "lo-2021"}),
        ("sender:ITUC strike", {"ituc-2024", "press-2024", "joint-2021"}),
        ("signatory:Burrow", {"joint-2021"}),
        ("by:Høie", {"industriall-2024"}),
        ("to:Tokayev Oslo", {"lo-2021"}),
        ('type:"press release"', {"press-2024"}),
        ("lang:en Gabrielsen", {"lo-2021"}),
        ("date:2021 union", {"joint-2021", "lo-2021"}),
        ("date:2024-02", {"press-2024"}),
        ("date:2021-02-05..2021-02-28", {"lo-2021"}),
        ("date:2021..2024-01-15 strike", {"industriall-2024", "joint-2021"}),
        ("intimid*", {"ituc-2024", "press-2024", "joint-2021", "lo-2021"}),
        ("dismisal~", {"ituc-2024", "press-2024"}),
    ],
)
def test_variant_cross_script_accent_stemmed_and_fielded_queries(session, query, expected) -> None:  # type: ignore[no-untyped-def]
    assert run(session, query) == expected


@pytest.mark.parametrize("query", ["a*", "s*", "?x", "*x"])
def test_short_wildcards_are_refused_not_expanded(session, query) -> None:  # type: ignore[no-untyped-def]
    assert session.search(SearchRequest(q=query)).total == 0


def test_explain_shows_the_expansion() -> None:
    authorities = load_authorities(CORPUS / "authorities.yaml")
    parsed = parse_query("KNPRK", build_schema(), authorities)
    assert "mention:cituk" in parsed.explain()


def test_mention_facet_counts_canonical_entities(session) -> None:  # type: ignore[no-untyped-def]
    result = session.search(SearchRequest(q="Kharkova"))
    mentions = {c.value: (c.label, c.count) for c in result.facets["mention"]}
    assert mentions["kharkova"] == ("Larisa Kharkova", 2)
    assert mentions["cituk"] == ("Confederation of Independent Trade Unions of Kazakhstan", 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("entities: [1]", "entity 1: expected a mapping"),
        ("entities:\n  - {id: X, name: a}", "'id' must be lowercase"),
        ("entities:\n  - {id: x}", "(x): 'name' is required"),
        ("entities:\n  - {id: x, name: a, type: planet}", "'type' must be one of"),
        ("entities:\n  - {id: x, name: a, aliases: [b]}", "unknown field(s) aliases"),
        ("[unclosed", "cannot be read as YAML"),
        ("- a", "expected a mapping with a list under 'entities'"),
    ],
)
def test_bad_authority_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "authorities.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AuthorityError) as caught:
        load_authorities(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_did_you_mean_uses_the_authority_file(session) -> None:  # type: ignore[no-untyped-def]
    # "Kasachstan" is a German variant in the authority file, but no letter writes it;
    # a misspelling of it is corrected from the authority file's names
    result = session.search(SearchRequest(q="Kasachstann"))
    assert result.suggestion == "Kasachstan"


def test_closest_word_is_safe_for_threads_from_the_start() -> None:
    """Server threads share one Authorities; its vocabulary was filled by the first caller
    while the others read it half-built (no answer, or "dictionary changed size")."""
    entities = [Entity(f"e{n}", f"Org Number{n:05d} Example", "organisation") for n in range(3000)]
    entities.append(Entity("last", "Zhanaozenskaya", "place"))
    for _round in range(5):
        answers, errors = _ask_at_once(Authorities.from_entries(entities), "Zhanaozenskaja", 8)
        assert errors == []
        assert answers == ["Zhanaozenskaya"] * 8


def _ask_at_once(
    authorities: Authorities, word: str, threads: int
) -> tuple[list[str | None], list[BaseException]]:
    barrier = threading.Barrier(threads)
    answers: list[str | None] = []
    errors: list[BaseException] = []

    def ask() -> None:
        barrier.wait()
        try:
            answers.append(authorities.closest_word(word))
        except RuntimeError as exc:  # what reading a dictionary being filled raises
            errors.append(exc)

    started = [threading.Thread(target=ask) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return answers, errors


def _analyzer_spans(text: str, language: str | None) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in prose_analyzer(language)(text, chars=True)]


TRICKY = [
    "Hans-Christian Gabrielsen's letter of 21/386-1 (C087, Art. 402) — “West Oil Software”",
    "Nur-Sultan, Нур-Султан; Тоқаев’s Straße-Bahn… the right to strike!",
    "840.100/NIMJ and U.S.A. and o'clock and rock'n'roll -- a- -b / . ''",
    "ЁЛКА ёлка Łódź Æsir and the workers’ rights-based approach",
    "Қазақстанның Президенті Тоқаевқа: кәсіподақтарымыздың ереуілдері және Жаңаөзендегі жұмысшылар",
]


@pytest.mark.parametrize("language", ["en", "de", "ru", "kk", "no", "es", None])
def test_term_spans_equal_the_analyzer(language: str | None) -> None:
    """The snippets' fast path gives exactly the analyzer's terms and offsets."""
    texts = [*TRICKY]
    for path in sorted((CORPUS / "letters").glob("*.md")):
        texts.extend(path.read_text(encoding="utf-8").split("\n\n"))
    for text in texts:
        assert term_spans(text, language) == _analyzer_spans(text, language), text


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("abcXYZ éøßёжҚңғі-/.'’ \n0123")), max_size=60),
    language=st.sampled_from(["en", "de", "ru", "kk", "no", None]),
)
def test_term_spans_equal_the_analyzer_on_any_text(text: str, language: str | None) -> None:
    assert term_spans(text, language) == _analyzer_spans(text, language)


@pytest.mark.parametrize(
    ("query", "passage"),
    [
        ("happy", "Their happiness matters."),
        ("hope", "We are hoping for a fair trial."),
        ("organisation", "The organisations of workers."),
        ("cries", "A cry for justice."),
        ("o'clock", "At ten o’clock the strike began."),
        ("21/386-1", "Our ref. 21/386-1 of March."),
        ("Høie", "Signed: Atle Hoie, General Secretary."),
        ("streiken", "Die Streiks gehen weiter."),
        ("забастовки", "Право на забастовку."),
    ],
)
def test_the_snippet_prefilter_lets_every_matching_passage_through(
    query: str, passage: str
) -> None:
    """Passages are skipped by a cheap pattern before analysis: never one that matches."""
    from indexer.engine.snippets import Highlight, best_passages

    language = {"streiken": "de", "забастовки": "ru"}.get(query, "en")
    stems = frozenset(t.text for t in prose_analyzer(language)(query, mode="query"))
    assert stems & {t.text for t in prose_analyzer(language)(passage)}  # the index matches it
    other = "Nothing relevant is said here at all."
    chosen = best_passages([(1, other), (2, passage)], Highlight(stems=stems), language)
    assert [m.n for m, _text in chosen] == [2]

"""Mentions: the recogniser of indexer/letters/mentions.py, the authority file's series, the
mention test set and its targets, and the agreement of the facet, ``mention:`` queries, the
letter page and the query expansion on the seed letters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.cli.evaluate import eval_command
from indexer.evaluation.mention_cases import MentionFileError, evaluate_mentions
from indexer.letters.authority import AuthorityError, load_authorities
from indexer.request import SearchRequest
from tests.conftest import CORPUS, IDS
from tests.pagedom import get_page

MENTION_SET = Path(__file__).parent / "quality" / "mentions.yaml"
AUTHORITIES = load_authorities(CORPUS / "authorities.yaml")

#: Every entity of the authority file each seed letter names in its title or text, read off
#: the letters (corpus/letters/): the conventions each cites, the articles, bodies, people.
SEED_MENTIONS = {
    "joint-2021": {
        "ituc", "industriall", "fuel-energy-union", "cituk", "ilo", "cfa", "ceacr", "cas",
        "ilc", "kharkova", "kushakbaev", "eleusinov", "baltabay", "kusshegulov", "tokayev",
        "kazakhstan", "astana", "shymkent", "atyrau", "zhanaozen", "kazmunaygas",
    },  # no convention by number: "the international conventions it has ratified"
    "lo-2021": {
        "lo-norway", "fuel-energy-union", "cituk", "ilo", "c087", "c098", "ituc",
        "industriall", "kharkova", "baltabay", "eleusinov", "kushakbaev", "tokayev",
        "kazakhstan", "astana",
    },  # "the Conventions of the ILO No. 87 and 98"
    "industriall-2024": {
        "industriall", "fuel-energy-union", "west-oil-software", "ilo", "c087", "tokayev",
        "kazakhstan", "astana",
    },  # "the ILO Convention 87" (twice)
    "press-2024": {
        "ituc", "industriall", "fuel-energy-union", "west-oil-software", "ilo", "ceacr",
        "kazakhstan",
    },  # "ILO conventions", no number; "photo: IndustriAll"
    "ituc-2024": {
        "ituc", "fuel-energy-union", "west-oil-software", "ilo", "cfa", "ceacr", "c087",
        "c098", "article-402", "criminal-code-kz", "tokayev", "kazakhstan", "astana",
        "mangistau",
    },  # "ILO Convention No. 98", "ILO Conventions Nos. 87 and 98", "Article 402 of the
    # Criminal Code" and "the review of Article 402"
}  # fmt: skip


def mentions(*texts: str) -> set[str]:
    return set(AUTHORITIES.mentions(texts))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ILO Conventions Nos. 87 and 98", {"ilo", "c087", "c098"}),
        ("the Conventions of the ILO No. 87 and 98", {"ilo", "c087", "c098"}),
        ("C87 and C98", {"c087", "c098"}),
        ("C087, C-098", {"c087", "c098"}),
        ("Conventions 87, 98 and 144", {"c087", "c098", "c144"}),
        ("Конвенции МОТ № 87 и 98", {"ilo", "c087", "c098"}),
        ("Übereinkommen Nr. 87 und 98", {"c087", "c098"}),
        ("ХЕҰ-ның 87 және 98 конвенцияларын", {"ilo", "c087", "c098"}),
        ("Article 402 of the Criminal Code", {"article-402", "criminal-code-kz"}),
        ("ст. 402 УК РК", {"article-402", "criminal-code-kz"}),
        ("статья 402 Уголовного кодекса", {"article-402", "criminal-code-kz"}),
        ("Қылмыстық кодекстің 402-бабы", {"article-402", "criminal-code-kz"}),
        ("the Criminal Code of 2016 Article 402", {"article-402", "criminal-code-kz"}),
        ("Article 402", {"article-402"}),  # the series' default law
        ("Article 402, para. 1, of the Criminal Code", {"article-402", "criminal-code-kz"}),
        ("Article 402. The Labour Code …", {"article-402", "labour-code-kz"}),
        ("ITUC, МКП, Международной конфедерации профсоюзов", {"ituc"}),
        ("CITUK/KNPRK/КНПРК", {"cituk"}),
        ("Касым-Жомарт Кемелевич Токаев", {"tokayev"}),
        ("K.-J. Tokayev, Тоқаевқа, Токаеву", {"tokayev"}),
        # what must not count
        ("Article 402 of the Labour Code", {"labour-code-kz"}),
        ("Article 402(1)(a) of the Labour Code", {"labour-code-kz"}),
        ("статья 174 часть 2 Трудового кодекса", {"labour-code-kz"}),
        ("87 workers and 98 families", set()),
        ("No. 87 of the Decree", set()),
        ("Article 23 of the Constitution", set()),
        ("Convention against Torture", set()),
        ("C 29 in the table", set()),
        ("Iao and mot are words", set()),
        ("write to jcm@head-cfa.harvard.edu", set()),
    ],
)
def test_forms_people_write(text: str, expected: set[str]) -> None:
    assert mentions(text) == expected


def test_an_article_without_its_law_belongs_to_the_law_named_last() -> None:
    """Passages of one letter: the law named in an earlier passage is the one implied."""
    assert mentions("The Labour Code was amended.", "Its Article 402 …") == {"labour-code-kz"}
    assert mentions("The Criminal Code was amended.", "Article 402 …") == {
        "criminal-code-kz",
        "article-402",
    }


@pytest.mark.parametrize(
    ("query", "rewritten"),
    [
        (
            "Conventions 87 and 98",
            '("Conventions 87 and 98" OR (mention:c087 AND mention:c098))',
        ),
        ("ilo strike", "(ilo OR mention:ilo) strike"),  # a query may write acronyms small
        ("ХЕҰ-ның", '("ХЕҰ-ның" OR mention:ilo)'),  # whole tokens only
        ("sender:ITUC Tokayev", "sender:ITUC (Tokayev OR mention:tokayev)"),
        ('"ILO Convention 87"', '"ILO Convention 87"'),  # the user's own phrase
        ("87 workers", "87 workers"),
        # the user's operators and groups stay theirs: either convention, not both
        ("C87 OR C98", "(C87 OR mention:c087) OR (C98 OR mention:c098)"),
        ("(ILO) Convention 87", '((ILO OR mention:ilo)) ("Convention 87" OR mention:c087)'),
        ("C87 NOT C98", "(C87 OR mention:c087) NOT (C98 OR mention:c098)"),
    ],
)
def test_query_expansion_uses_the_recogniser(query: str, rewritten: str) -> None:
    assert AUTHORITIES.expand_query(query) == rewritten


def test_the_mention_set_reaches_its_targets() -> None:
    summary = evaluate_mentions(MENTION_SET)
    assert summary["sentences"] >= 60
    assert set(summary["languages"]) == {"de", "en", "kk", "ru"}
    for scores in [summary["overall"], *summary["languages"].values()]:
        assert scores["precision"] >= 0.95, summary["wrong"]
        assert scores["recall"] >= 0.9, summary["wrong"]
    negatives = [w for w in summary["wrong"] if w["extra"]]
    assert negatives == []  # "87 workers", "Article 402 of the Labour Code": nothing extra


def test_letters_eval_prints_precision_and_recall() -> None:
    result = CliRunner().invoke(eval_command, [str(MENTION_SET)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split() == [
        "sentences", "expected", "found", "correct", "precision", "recall",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[2:7]] == ["all", "de", "en", "kk", "ru"]
    summary = evaluate_mentions(MENTION_SET)
    assert lines[2].split()[-2:] == [
        f"{summary['overall']['precision']:.3f}",
        f"{summary['overall']['recall']:.3f}",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sentences: []", "needs 'authorities'"),
        ("authorities: nowhere.yaml\nsentences: []", "no authority file at"),
        ("authorities: a.yaml\nsentences: []", "'sentences' must be a non-empty list"),
        ("authorities: a.yaml\nsentences: [{id: x, lang: en, text: t}]", "'expect' must be"),
        (
            "authorities: a.yaml\nsentences: [{id: x, lang: en, text: t, expect: [nobody]}]",
            "not in the authority file: nobody",
        ),
    ],
)
def test_a_bad_mention_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "a.yaml").write_text("entities: []\n", encoding="utf-8")
    path = tmp_path / "m.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MentionFileError, match=message):
        evaluate_mentions(path)
    result = CliRunner().invoke(eval_command, [str(path)])
    assert result.exit_code == 1 and message in result.output


SERIES = "series:\n  - {id: s, heads: [Convention], codes: [C]}\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("series: {}\nentities: []", "'series' must be a list"),
        ("series: [{id: s}]\nentities: []", "'heads' must be a list of names"),
        ("series: [{id: s, heads: [a], of: x}]\nentities: []", "unknown field(s) of"),
        ("series: [{id: s, heads: [a], issuers: [x]}]\nentities: []", "no entity 'x'"),
        ("series: [{id: s, heads: ['*x']}]\nentities: []", "'*' may only end a word"),
        ("entities:\n  - {id: x, name: 'ab*'}", "'*' may only end a word"),
        ("entities:\n  - {id: x, name: a}\n  - {id: x, name: b}", "'x' is used twice"),
        ("entities:\n  - {id: x, name: a, number: 3}", "'series' and 'number' go together"),
        ("entities:\n  - {id: x, name: a, series: t, number: 3}", "no series 't'"),
        (SERIES + "entities:\n  - {id: x, name: a, series: s, number: 0}", "between 1 and"),
        (SERIES + "entities:\n  - {id: x, name: a, series: s, number: x}", "whole number"),
        (
            SERIES + "entities:\n  - {id: x, name: a, series: s, number: 1}\n"
            "  - {id: y, name: b, series: s, number: 1}",
            "the same number as entity x",
        ),
        (
            "series: [{id: s, heads: [a], of_law: true}]\n"
            "entities:\n  - {id: x, name: a, series: s, number: 1}",
            "'law' must be the id of a law",
        ),
    ],
)
def test_a_bad_series_is_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "authorities.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AuthorityError) as caught:
        load_authorities(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


# -- the seed letters: facet, mention: queries, letter page and expansion agree ------------------


@pytest.mark.parametrize("key", sorted(SEED_MENTIONS))
def test_each_seed_letter_mentions_what_it_names(session, key: str) -> None:  # type: ignore[no-untyped-def]
    assert set(session.letter(IDS[key]).record["mentions"]) == SEED_MENTIONS[key]


def test_the_mention_facet_counts_every_letter_citing_an_entity(session) -> None:  # type: ignore[no-untyped-def]
    result = session.search(SearchRequest(q="", per_page=100))
    counts = {c.value: c.count for c in result.facets["mention"]}
    named = {e for found in SEED_MENTIONS.values() for e in found}
    assert counts == {e: sum(e in m for m in SEED_MENTIONS.values()) for e in named}
    assert (counts["c087"], counts["c098"], counts["article-402"]) == (3, 2, 1)


@pytest.mark.parametrize(
    ("entity", "queries"),
    [
        (
            "c087",
            ["C87", "Convention No. 87", "Конвенция № 87", "87-конвенция", "IAO-Übereinkommen 87"],
        ),
        ("c098", ["C098", "Conventions 98", "Конвенции МОТ № 98"]),
        ("article-402", ["ст. 402 УК РК", "Article 402", "Қылмыстық кодекстің 402-бабы"]),
        ("cituk", ["KNPRK", "КНПРК"]),
    ],
)
def test_mention_queries_and_every_variant_find_the_same_letters(session, entity, queries) -> None:  # type: ignore[no-untyped-def]
    citing = {IDS[k] for k, found in SEED_MENTIONS.items() if entity in found}
    by_id = session.search(SearchRequest(q=f"mention:{entity}", per_page=100))
    assert {h.id for h in by_id.hits} == citing
    for q in queries:
        found = session.search(SearchRequest(q=q, per_page=100))
        assert {h.id for h in found.hits} >= citing, q


def test_the_letter_page_lists_the_conventions_it_cites(client) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, f"/letters/{IDS['lo-2021']}")
    row = next(r for r in page.find_all(".meta-row") if r.find("dt").text() == "Mentions")
    shown = {dd.find("a").attrs["href"] for dd in row.find_all("dd")}
    assert shown == {f"/search?mention={e}" for e in SEED_MENTIONS["lo-2021"]}


@pytest.mark.parametrize(
    ("query", "key", "marked"),
    [
        ("mention:c087", "lo-2021", "<mark>Conventions of the ILO No. 87 and 98</mark>"),
        ("mention:c087", "ituc-2024", "<mark>Conventions Nos. 87 and 98</mark>"),
        ("Conventions 87 and 98", "lo-2021", "<mark>Conventions of the ILO No. 87 and 98</mark>"),
        ("ст. 402 УК РК", "ituc-2024", "the review of <mark>Article 402</mark>"),
    ],
)
def test_snippets_mark_the_mentions_the_search_found(session, query, key, marked) -> None:  # type: ignore[no-untyped-def]
    result = session.search(SearchRequest(q=query, per_page=100))
    hit = next(h for h in result.hits if h.id == IDS[key])
    assert any(marked in p.snippet for p in hit.passages), hit.passages


def test_the_letter_page_marks_a_mention_query(client) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, f"/letters/{IDS['lo-2021']}?q=mention:c098")
    assert [m.text() for m in page.find_all(".letter-text mark")] == [
        "Conventions of the ILO No. 87 and 98"
    ]


#: a rewrite wraps words as ``(words OR mention:x)`` or ``("words" OR (mention:x AND …))``
_WRAPPED = re.compile(
    r'\((?:"(?P<quoted>[^"]*)"|(?P<plain>[^\s()"]+)) OR '
    r"(?:mention:[a-z0-9-]+|\(mention:[a-z0-9-]+(?: AND mention:[a-z0-9-]+)+\))\)"
)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list('ab C87 № 98 и and ILO "():-,.ст402УК@')), max_size=60))
def test_any_query_is_rewritten_without_failing(text: str) -> None:
    """Whatever is typed, the rewrite only wraps the user's words: unwrapped, it is the query."""
    rewritten = AUTHORITIES.expand_query(text)
    if '"' in text:
        assert rewritten == text
    unwrapped = _WRAPPED.sub(lambda m: m["quoted"] or m["plain"], rewritten)
    assert unwrapped == text

"""The letter page: numbered passages, metadata links, marked query words, neighbours,
citations."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from indexer.cli.exports import cite_command
from tests.conftest import IDS, ITUC, LO
from tests.pagedom import (
    api,
    get_page,
    query_of,
    search_json,
)
from webapp.highlight import Marker, marker_for

# -- letter page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(IDS))
def test_letter_page_numbers_every_passage(client, session, key: str) -> None:  # type: ignore[no-untyped-def]
    letter = session.letter(IDS[key])
    page = get_page(client, f"/letters/{IDS[key]}")
    passages = page.find_all(".letter-text .passage")
    assert [(p.attrs["id"], p.attrs["data-n"]) for p in passages] == [
        (f"p{n}", str(n)) for n, _kind, _text in letter.passages
    ]
    for node in passages:
        margin = node.find("a.pn")
        assert margin.attrs["href"] == f"#{node.attrs['id']}"
    assert page.find("h1").text() == letter.record["title"]


def test_letter_metadata_links_to_facet_searches(client, session) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, f"/letters/{IDS['lo-2021']}")
    rows = {
        row.find("dt").text(): [(dd.find_all("a")[0].attrs["href"] if dd.find_all("a") else None)
                                for dd in row.find_all("dd")]
        for row in page.find_all(".meta-row")
    }  # fmt: skip
    assert rows["From"] == ["/search?" + urlencode({"sender": LO})]
    assert rows["Signed by"] == ["/search?signatory=Hans-Christian+Gabrielsen"]
    assert rows["To"] == ["/search?recipient=Kassym-Jomart+Tokayev"]
    assert rows["Type"] == ["/search?type=letter"]
    assert rows["Language"] == ["/search?language=en"]
    assert rows["Date"] == ["/search?from=2021-02-09&to=2021-02-09"]
    roles = [r.text() for r in page.find_all(".meta-row .role")]
    assert "President, LO Norway" in roles
    assert rows["Place"] == ["/places/oslo"]  # a place links to its page, which lists it
    place = get_page(client, rows.pop("Place")[0])
    assert f"/letters/{IDS['lo-2021']}" in [
        a.attrs["href"].split("?")[0] for a in place.find_all(".place-letters a")
    ]
    for links in rows.values():  # every search a metadata value links to finds this letter
        for link in filter(None, links):
            assert IDS["lo-2021"] in [h["id"] for h in api(client, "/api" + link)["hits"]], link
    assert {"CC", "Reference", "Source"} <= set(rows)


def test_letter_with_a_query_marks_the_words(client, session) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, f"/letters/{IDS['ituc-2024']}?q=strike&concepts=0#p17")
    marks = [m.text().lower() for m in page.find_all(".letter-text mark")]
    assert marks and all(m.startswith("strik") for m in marks)
    marked = {
        int(a.attrs["href"][2:])
        for a in page.find_all(".highlight-note a")
        if a.attrs["href"].startswith("#p")
    }
    hits = search_json(session, {"q": ["strike"], "concepts": ["0"]})["hits"]
    snippets = {p["n"] for h in hits if h["id"] == IDS["ituc-2024"] for p in h["passages"]}
    assert snippets <= marked  # every passage the search offered is marked on the page
    for n in marked:
        assert page.find(f"#p{n}").find_all("mark")


def test_matches_are_numbered_in_reading_order_for_moving_between_them(client) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, f"/letters/{IDS['ituc-2024']}?q=strike+dismissal")
    marks = page.find_all(".letter-text mark")
    assert [m.attrs.get("id") for m in marks] == [f"m{k}" for k in range(1, len(marks) + 1)]
    nav = page.find(".match-nav")
    assert nav.attrs["data-matches"] == str(len(marks)) and "hidden" in nav.attrs
    assert page.find(".first-match").attrs["href"] == "#m1"
    assert not get_page(client, f"/letters/{IDS['ituc-2024']}").find_all(".match-nav")


def test_negated_and_field_terms_are_not_all_marked(client: FlaskClient) -> None:
    page = get_page(client, f"/letters/{IDS['ituc-2024']}?q=workers+NOT+strike&concepts=0")
    marks = {m.text().lower() for m in page.find_all(".letter-text mark")}
    assert marks and all(m.startswith("worker") for m in marks)


@pytest.mark.parametrize("key", sorted(IDS))
def test_previous_and_next_letters_by_date(client, session, key: str) -> None:  # type: ignore[no-untyped-def]
    before, after = session.neighbours(IDS[key])
    page = get_page(client, f"/letters/{IDS[key]}?q=strike")
    links = {a.attrs["rel"]: a.attrs["href"] for a in page.find_all(".prev-next a")}
    expected = {
        rel: f"/letters/{other.id}?q=strike"
        for rel, other in (("prev", before), ("next", after))
        if other is not None
    }
    assert links == expected


def test_back_link_returns_to_the_search(client: FlaskClient) -> None:
    search = f"/search?q=strike&sender={ITUC}&sort=oldest"
    page = get_page(client, search)
    letter_url = page.find(".hit-title a").attrs["href"]
    assert query_of(letter_url) == {"q": ["strike"], "sender": [ITUC], "sort": ["oldest"]}
    back = get_page(client, letter_url).find(".breadcrumbs a")
    assert back.text() == "← Back to the search results"
    assert query_of(back.attrs["href"]) == query_of(search)
    plain = get_page(client, f"/letters/{IDS['lo-2021']}?page=abc").find(".breadcrumbs a")
    assert plain.attrs["href"] == "/search"  # a broken context is dropped, not an error


@pytest.mark.parametrize(
    ("letter_key", "passage"),
    [("industriall-2024", 8), ("industriall-2024", None), ("joint-2021", 2),
     ("press-2024", 1), ("lo-2021", None)],
)  # fmt: skip
def test_the_page_cites_as_letters_cite_does(
    client: FlaskClient, index_root: Path, letter_key: str, passage: int | None
) -> None:
    letter_id = IDS[letter_key]
    page = get_page(client, f"/letters/{letter_id}")
    box = page.find(f"#p{passage} .cite-box" if passage else ".cite-letter")
    args = [letter_id, "--base-url", "http://localhost"]
    args += ["--passage", str(passage)] if passage else []
    cited = CliRunner().invoke(cite_command, args, env={"LETTERS_INDEX": str(index_root)})
    assert cited.exit_code == 0, cited.output
    assert box.find(".cite-text").text() == cited.output.strip()


# -- highlighting ------------------------------------------------------------------------------


def marked(session, q: str, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [text[a:b] for a, b in marker_for(session, q, "en").spans(text)]


TEXT = "The strikers' right to strike; Atle Høie's dismissals. Striking workers were dismissed."


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("strike", ["strike", "Striking"]),
        ("right to strike", ["right to strike", "Striking"]),  # the concept's term, whole
        ('"right to strike"', ["right to strike"]),  # the phrase as written, whole
        ("Hoie", ["Høie's"]),
        ("stri*", ["strikers", "strike", "Striking"]),
        ("dismisal~", ["dismissals", "dismissed"]),
        ("strike NOT workers", ["strike", "Striking"]),
        ("-strike workers", ["workers"]),
        ("right NOT (strike OR workers)", ["right"]),
        ("title:strike by:Høie", ["strike", "Høie's", "Striking"]),
        ("*", []),
        ("", []),
        ("AND OR NOT", []),
    ],
)  # fmt: skip
def test_marker_marks_the_positive_query_words(session, q: str, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert marked(session, q, TEXT) == words


def test_the_letter_page_marks_what_the_library_highlights() -> None:
    from indexer.engine.snippets import Highlight

    class Session:
        def highlight_terms(self, q: str, concepts: bool = True) -> Highlight:
            assert (q, concepts) == ("anything", True)
            return Highlight(stems=frozenset({"dismiss"}))

    chosen = marker_for(Session(), "  anything ", "en")  # type: ignore[arg-type]
    assert isinstance(chosen, Marker)
    assert [TEXT[a:b] for a, b in chosen.spans(TEXT)] == ["dismissals", "dismissed"]
    assert not marker_for(Session(), "   ", "en")  # type: ignore[arg-type]  # no query: no marks


def test_each_passage_citation_links_its_csl_json(client: FlaskClient) -> None:
    page = get_page(client, f"/letters/{IDS['lo-2021']}")
    hrefs = [a.attrs["href"] for a in page.find_all("a.cite-csl")]
    assert f"/letters/{IDS['lo-2021']}/cite.json?passage=13" in hrefs
    data = client.get(hrefs[12]).get_json()
    assert data[0]["URL"].endswith(f"/letters/{IDS['lo-2021']}#p13")

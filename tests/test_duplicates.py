"""Near-duplicate letters (indexer/letters/duplicates.py): the definition on constructed letters
and on the seed letters (which share paragraphs but are different letters), and the search that
folds a page's near-duplicates under the first of them (JSON, page, CLI, ``group=0``)."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from indexer.archive import Archive, ArchiveSession
from indexer.letters.duplicates import THRESHOLD, Signature, fold_duplicates, signature
from indexer.request import SearchRequest
from tests.conftest import CORPUS, IDS
from tests.pagedom import get_page
from webapp import create_app

ITUC = IDS["ituc-2024"]
SERIOUS = ("serious", "critical")  # axe-core impacts a page must not have
#: the letters added to a copy of the seed corpus: the ITUC letter again (another sender and
#: date), the same with a few words changed, and a reply quoting all of it with a paragraph of
#: its own (not a duplicate: its own words are another letter's)
COPY, EDITED, REPLY = "dup-copy", "dup-edited", "dup-reply"
OWN_PARAGRAPH = (
    "We have read your letter about the dismissed workers of West Oil Software and will raise "
    "the matter with our members at the congress next month, together with the other cases."
)


def passages(*texts: str, kind: str = "p") -> list[tuple[int, str, str]]:
    return [(n, kind, text) for n, text in enumerate(texts, 1)]


LONG = (
    "The union asks the government to reinstate the workers who were dismissed after the "
    "strike in December and to stop the criminal cases opened against their leaders."
)
OTHER = (
    "The football club meets on Saturday afternoon at the old stadium behind the station, "
    "and new members are welcome to join the training and the matches after it."
)


def test_the_same_text_is_a_near_duplicate_and_a_changed_word_keeps_it_one() -> None:
    a = signature(passages(LONG, OTHER))
    assert a.duplicates(signature(passages(LONG, OTHER))) == 1.0
    changed = signature(passages(LONG.replace("December", "January"), OTHER))
    assert THRESHOLD <= a.likeness(changed) < 1.0
    assert a.duplicates(changed) == round(a.likeness(changed), 3)


def test_a_shared_paragraph_or_a_quotation_does_not_make_a_duplicate() -> None:
    letter = signature(passages(LONG, OTHER))
    sharing = signature(passages(LONG, OWN_PARAGRAPH))  # one paragraph of two in common
    assert 0 < letter.likeness(sharing) < THRESHOLD
    assert letter.duplicates(sharing) is None
    reply = signature([*passages(LONG, OTHER, kind="blockquote"), (3, "p", OWN_PARAGRAPH)])
    assert reply.whole >= letter.whole  # it holds the whole letter, quoted …
    assert letter.likeness(reply) == 0.0  # … but its own words are another letter's
    bare = signature(passages(LONG, OTHER, kind="blockquote"))  # nothing but the quotation
    assert bare.duplicates(letter) is None
    assert bare.duplicates(signature(passages(LONG, OTHER, kind="blockquote"))) == 1.0


def test_short_letters_are_nobodys_duplicates() -> None:
    short = signature(passages("Thank you for your letter.", "Yours sincerely"))
    assert short == Signature(frozenset(), frozenset())
    assert short.duplicates(short) is None


def test_each_letter_is_folded_under_the_first_earlier_letter_it_repeats() -> None:
    a, b = signature(passages(LONG, OTHER)), signature(passages(OWN_PARAGRAPH, OTHER))
    other = signature(passages(OWN_PARAGRAPH, LONG.replace("December", "May")))
    folded = fold_duplicates([a, b, a, other, b, a])
    assert folded == [[(2, 1.0), (5, 1.0)], [(4, 1.0)], [], [], [], []]


def test_no_two_seed_letters_are_near_duplicates(session: ArchiveSession) -> None:
    letters = {i: session.letter(i) for i in IDS.values()}
    signatures = {i: signature(letter.passages) for i, letter in letters.items() if letter}
    assert len(signatures) == 5 and all(s.own for s in signatures.values())
    likeness = {
        (a, b): signatures[a].likeness(signatures[b])
        for a, b in itertools.combinations(IDS.values(), 2)
    }
    assert max(likeness.values()) < THRESHOLD / 2  # the most alike share whole paragraphs
    result = session.search(SearchRequest(per_page=100))
    assert [h.id for h in result.hits if h.duplicates] == []
    assert len(result.hits) == result.total == 5


# -- an archive with near-duplicates of the ITUC letter ------------------------------------------


def _letter(letter_id: str, date: str, sender: str, body: str) -> str:
    return (
        f"---\nid: {letter_id}\ntitle: Letter {letter_id}\ntype: letter\ndate: {date}\n"
        f"language: en\nsenders:\n  - {sender}\n---\n\n{body}\n"
    )


@pytest.fixture(scope="module")
def dup_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("duplicates")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    text = (corpus / "letters" / f"{ITUC}.md").read_text(encoding="utf-8")
    body = re.split(r"^---[ \t]*$", text, maxsplit=2, flags=re.MULTILINE)[
        2
    ]  # after the front matter
    quoted = "\n\n".join(
        "\n".join("> " + line for line in block.splitlines())
        for block in body.strip().split("\n\n")
    )
    extra = {
        COPY: ("2024-03-01", "Test Union", body),
        EDITED: ("2024-03-02", "Other Union", body.replace("workers", "employees", 3)),
        REPLY: ("2024-03-03", "Third Union", f"{quoted}\n\n{OWN_PARAGRAPH}"),
    }
    for letter_id, (date, sender, text) in extra.items():
        (corpus / "letters" / f"{letter_id}.md").write_text(
            _letter(letter_id, date, sender, text), encoding="utf-8"
        )
    archive = Archive(root / "index")
    report = archive.rebuild(corpus)
    assert not report.errors
    yield root / "index"
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dups(dup_index: Path) -> Iterator[ArchiveSession]:
    with Archive(dup_index).session() as opened:
        yield opened


@pytest.fixture(scope="module")
def dup_client(dup_index: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX_PATH": str(dup_index)}).test_client()


def flat_ids(result: Any) -> list[str]:
    """Every letter of a page, folded ones too (each after its leader)."""
    return [i for h in result.hits for i in (h.id, *(d.id for d in h.duplicates))]


def test_a_copy_and_an_edited_copy_are_folded_under_the_first_of_them(dups) -> None:  # type: ignore[no-untyped-def]
    request = SearchRequest(q='"West Oil Software"', per_page=20)
    grouped, flat = (
        dups.search(request),
        dups.search(SearchRequest(q=request.q, per_page=20, group=False)),
    )
    assert grouped.total == flat.total == len(flat.hits) == 6  # three seed letters, 3 added
    assert all(h.duplicates == [] for h in flat.hits)
    groups = {h.id: {d.id: d.similarity for d in h.duplicates} for h in grouped.hits}
    (leader,) = [i for i, d in groups.items() if d]
    assert {leader, *groups[leader]} == {ITUC, COPY, EDITED}
    assert set(groups) - {leader} == {IDS["industriall-2024"], IDS["press-2024"], REPLY}
    sig = {i: signature(dups.letter(i).passages) for i in (ITUC, COPY, EDITED)}
    assert sig[ITUC].likeness(sig[COPY]) == 1.0
    assert THRESHOLD <= sig[ITUC].likeness(sig[EDITED]) < 1.0
    assert groups[leader] == {i: sig[leader].duplicates(sig[i]) for i in groups[leader]}
    order = [h.id for h in flat.hits]
    assert sorted(flat_ids(grouped), key=order.index) == order  # the same letters, same ranks
    assert [h.id for h in grouped.hits] == [i for i in order if i in groups]


def test_paging_is_the_same_with_and_without_grouping(dups) -> None:  # type: ignore[no-untyped-def]
    pages = []
    for page in (1, 2, 3, 4):
        grouped = dups.search(SearchRequest(q="strike", page=page, per_page=2))
        flat = dups.search(SearchRequest(q="strike", page=page, per_page=2, group=False))
        assert (grouped.total, grouped.pages) == (flat.total, flat.pages)
        assert sorted(flat_ids(grouped)) == sorted(h.id for h in flat.hits)
        pages.append([h.id for h in flat.hits])
    assert len({i for page in pages for i in page}) == sum(map(len, pages)) == 7


def test_the_json_hit_lists_its_duplicates_with_their_addresses(dup_client: FlaskClient) -> None:
    data = dup_client.get('/api/search?q="West Oil Software"&per_page=20').get_json()
    assert data["group"] is True and data["total"] == 6
    (hit,) = [h for h in data["hits"] if h["duplicates"]]
    assert {hit["id"], *(d["id"] for d in hit["duplicates"])} == {ITUC, COPY, EDITED}
    for d in hit["duplicates"]:
        assert d == {
            "id": d["id"],
            "title": f"Letter {d['id']}" if d["id"] != ITUC else d["title"],
            "similarity": d["similarity"],
            "url": f"/letters/{d['id']}",
        }
        assert THRESHOLD <= d["similarity"] <= 1.0
    flat = dup_client.get('/api/search?q="West Oil Software"&per_page=20&group=0').get_json()
    assert flat["group"] is False and len(flat["hits"]) == 6
    assert all(h["duplicates"] == [] for h in flat["hits"])


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_bad_group_value_is_named(dup_client: FlaskClient, value: str) -> None:
    response = dup_client.get("/api/search", query_string={"q": "strike", "group": value})
    assert response.status_code == 400
    assert f"group must be 1 (on) or 0 (off), not {value!r}" in response.get_data(as_text=True)
    page = dup_client.get("/search", query_string={"q": "strike", "group": value})
    assert page.status_code == 400 and "group must be 1" in page.get_data(as_text=True)


def test_the_search_page_says_and_n_near_identical_letters(dup_client: FlaskClient) -> None:
    page = get_page(dup_client, '/search?q="West Oil Software"&per_page=20')
    (disclosure,) = page.find_all("li.hit details.duplicates")
    assert disclosure.find("summary").text() == "and 2 near-identical letters"
    links = {a.attrs["href"].split("?")[0] for a in disclosure.find_all("a")}
    assert links <= {f"/letters/{i}" for i in (ITUC, COPY, EDITED)} and len(links) == 2
    assert re.search(r"\d+% alike", disclosure.text())
    ungroup = page.find("p.ungroup a").attrs["href"]
    assert "group=0" in ungroup
    flat = get_page(dup_client, ungroup)
    assert flat.find_all("details.duplicates") == [] and len(flat.find_all("li.hit")) == 6


def test_similar_letters_leave_out_near_duplicates_only(dups) -> None:  # type: ignore[no-untyped-def]
    similar = [s.id for s in dups.similar(ITUC, limit=5)]
    assert COPY not in similar and EDITED not in similar
    assert REPLY in similar  # it quotes the letter: related, not the same letter


@pytest.mark.browser
def test_the_disclosure_opens_on_the_near_identical_letters(
    page: Any, dup_index: Path, serve: Any
) -> None:
    with serve(dup_index) as base:
        page.goto(base + '/search?q="West Oil Software"&per_page=20')
        disclosure = page.locator("li.hit details.duplicates")
        assert disclosure.count() == 1
        links = disclosure.locator("li a")
        assert not links.first.is_visible()  # folded until asked for
        disclosure.locator("summary").click()
        assert links.count() == 2 and links.first.is_visible()
        from axe_playwright_python.sync_playwright import Axe

        violations = Axe().run(page).response["violations"]
        serious = [(v["id"], v["impact"]) for v in violations if v["impact"] in SERIOUS]
        assert serious == []  # the open disclosure, its links and "alike" notes included
        hrefs = {urlsplit(h).path for h in (links.nth(i).get_attribute("href") for i in (0, 1))}
        leader = page.locator("li.hit:has(details.duplicates)").get_attribute("data-id")
        assert hrefs | {f"/letters/{leader}"} == {f"/letters/{i}" for i in (ITUC, COPY, EDITED)}
        with page.expect_navigation():
            links.first.click()
        assert urlsplit(page.url).path in hrefs
        assert page.locator("h1").first.is_visible()
        page.go_back()
        with page.expect_navigation():
            page.locator("p.ungroup a").click()
        assert "group=0" in page.url
        assert page.locator("li.hit").count() == 6
        assert page.locator("details.duplicates").count() == 0


def test_the_cli_prints_near_identical_letters_under_their_hit(dup_index: Path) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import cli

    runner = CliRunner()
    args = ["search", '"West Oil Software"', "--per-page", "20", "--index", str(dup_index)]
    grouped = runner.invoke(cli, args)
    assert grouped.exit_code == 0, grouped.output
    assert grouped.output.startswith("1–6 of 6 letter(s)\n")  # the folded ones are counted
    near = re.findall(r"^  near-identical \((\d+)%\): /letters/(\S+)$", grouped.output, re.M)
    assert len(near) == 2 and {i for _p, i in near} < {ITUC, COPY, EDITED}
    flat = runner.invoke(cli, [*args, "--no-group"])
    assert flat.exit_code == 0 and "near-identical" not in flat.output
    assert flat.output.startswith("1–6 of 6 letter(s)\n")


def test_the_feed_has_an_entry_for_every_letter_near_identical_or_not(
    dup_client: FlaskClient,
) -> None:
    feed = dup_client.get('/feed.atom?q="West Oil Software"').get_data(as_text=True)
    assert feed.count("<entry>") == 6
    assert all(
        f"/letters/{i}</id>" in feed or f"/letters/{i}" in feed for i in (ITUC, COPY, EDITED)
    )


def test_the_concordance_reads_near_identical_letters_too(dups) -> None:  # type: ignore[no-untyped-def]
    from indexer.concordance import ConcordanceRequest, concordance

    request = ConcordanceRequest.from_params({"q": ['"West Oil Software"'], "per_page": ["500"]})
    letters = {line.letter_id for line in concordance(dups, request).lines}
    assert letters == {ITUC, COPY, EDITED, REPLY, IDS["industriall-2024"], IDS["press-2024"]}


def test_a_quotation_added_to_a_copy_keeps_it_a_copy() -> None:
    letter = signature(passages(LONG, OTHER))
    quoting = signature([*passages(LONG, OTHER), (3, "blockquote", OWN_PARAGRAPH * 5)])
    assert letter.likeness(quoting) == 1.0  # the same own words …
    assert letter.duplicates(quoting) == 1.0  # … whatever it quotes besides

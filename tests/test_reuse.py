"""Shared passages (text re-use) and similar letters: on the seed letters, which quote and adapt
one another, against pairs labelled by reading them, and on letters added to a copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.archive import Archive, ArchiveSession
from indexer.letters.shingles import MIN_WORDS, overlap, shingles
from tests.conftest import IDS
from tests.pagedom import get_page

#: Passages of the seed letters that share text, found by reading them side by side:
#: the LO letter adapts the joint ITUC/IndustriALL letter (¶5, ¶11, the address ¶2/¶1), the
#: ITUC letter and IndustriALL's share the union's report (¶17/¶6), and the ITUC press release
#: quotes the ITUC letter (¶13 ← ¶27, ¶4 ← ¶28).
SHARED = {
    (("joint-2021", 11), ("lo-2021", 11)),
    (("joint-2021", 5), ("lo-2021", 5)),
    (("joint-2021", 2), ("lo-2021", 1)),
    (("ituc-2024", 17), ("industriall-2024", 6)),
    (("ituc-2024", 27), ("press-2024", 13)),
    (("ituc-2024", 28), ("press-2024", 4)),
}
#: Passages that tell the same facts in their own words: not shared text.
NOT_SHARED = {
    (("press-2024", 5), ("industriall-2024", 6)),
    (("ituc-2024", 9), ("industriall-2024", 3)),
}
NAMES = {v: k for k, v in IDS.items()}


def found_pairs(session: ArchiveSession) -> set[tuple[tuple[str, int], tuple[str, int]]]:
    pairs = set()
    for letter_id in IDS.values():
        for s in session.shared_passages(letter_id):
            a, b = (NAMES[letter_id], s.n), (NAMES[s.other_id], s.other_n)
            pairs.add((a, b) if (a, b) in SHARED | NOT_SHARED else (b, a))
    return pairs


def test_shingles_skip_short_passages_and_fold() -> None:
    assert shingles("Yours sincerely, Luc Triangle, General Secretary") == frozenset()
    long = "We call on you to ensure that this labour dispute is resolved through dialogue"
    assert len(long.split()) >= MIN_WORDS
    assert shingles(long) == shingles(long.upper().replace(" ", "  "))
    assert overlap(shingles(long), shingles(long + " and in line with the principles")) == 1.0
    assert overlap(shingles(long), frozenset()) == 0.0


def test_shared_passages_of_the_seed_letters_are_the_labelled_ones(session) -> None:  # type: ignore[no-untyped-def]
    found = found_pairs(session)
    precision = len(found & SHARED) / len(found)
    recall = len(found & SHARED) / len(SHARED)
    assert not found & NOT_SHARED
    assert precision == 1.0 and recall >= 4 / 6, (sorted(found), precision, recall)


def test_sharing_is_seen_from_both_letters(session) -> None:  # type: ignore[no-untyped-def]
    seen = {
        (letter_id, s.n, s.other_id, s.other_n, s.similarity)
        for letter_id in IDS.values()
        for s in session.shared_passages(letter_id)
    }
    assert seen and all((b, m, a, n, x) in seen for a, n, b, m, x in seen)


def _letter(letter_id: str, body: str) -> str:
    return (
        f"---\nid: {letter_id}\ntitle: Statement {letter_id}\ntype: statement\n"
        f"date: 2024-02-01\nlanguage: en\nsenders:\n  - Test Union\n---\n\n{body}\n"
    )


@pytest.fixture
def copied(corpus_copy: Path, tmp_path: Path) -> ArchiveSession:  # type: ignore[misc]
    archive = Archive(tmp_path / "index")
    archive.rebuild(corpus_copy)
    seed = corpus_copy / "letters" / f"{IDS['ituc-2024']}.md"
    paragraph = (
        "We have been informed by the Industry Trade Union of Fuel and Energy Complex Workers "
        "that around 500 workers of the LLP West Oil Software located in the Mangistau region "
        "decided to embark on a strike on 11 December 2023."  # ¶17 of the ITUC letter, edited
    )
    extra = {
        "test-quoting": f"Our union supports them.\n\n{paragraph}\n\nSolidarity to all of them.",
        "test-copy": re.split(
            r"^---[ \t]*$", seed.read_text(encoding="utf-8"), maxsplit=2, flags=re.M
        )[2],  # the body after the front matter (whose notes quote a "---")
        "test-unrelated": "The football club meets on Saturday afternoon at the old stadium "
        "behind the station, and new members are welcome to join the training.",
    }
    files = []
    for letter_id, body in extra.items():
        path = corpus_copy / "letters" / f"{letter_id}.md"
        path.write_text(_letter(letter_id, body), encoding="utf-8")
        files.append(path)
    report = archive.update(corpus_copy, files=files)  # an update, not a rebuild
    assert not report.errors
    with archive.session() as opened:
        yield opened


def test_a_new_letter_quoting_a_paragraph_is_found_without_a_rebuild(copied) -> None:  # type: ignore[no-untyped-def]
    shared = copied.shared_passages("test-quoting")
    assert [(s.n, s.other_n) for s in shared if s.other_id == IDS["ituc-2024"]] == [(2, 17)]
    assert 0.5 <= next(s.similarity for s in shared if s.other_id == IDS["ituc-2024"]) < 1
    assert copied.shared_passages("test-unrelated") == []


def test_similar_letters_are_on_the_subject_and_not_copies(copied) -> None:  # type: ignore[no-untyped-def]
    similar = [s.id for s in copied.similar(IDS["ituc-2024"], limit=3)]
    assert "test-copy" not in similar  # it shares every paragraph: a copy, shown as "also in"
    assert {IDS["press-2024"], IDS["industriall-2024"]} <= set(similar)  # West Oil Software
    assert "test-unrelated" not in similar
    copies = {s.other_id for s in copied.shared_passages(IDS["ituc-2024"])}
    assert "test-copy" in copies


def test_the_letter_page_says_where_a_paragraph_recurs(client) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, f"/letters/{IDS['lo-2021']}")
    note = page.find("#p11 .also-in")
    link = note.find("a").attrs["href"]
    assert link == f"/letters/{IDS['joint-2021']}#p11"
    assert "% shared" in note.text()
    assert get_page(client, link.split("#")[0]).find("#p11 .also-in")
    assert not page.find_all("#p3 .also-in")
    similar = [a.attrs["href"] for a in page.find_all(".similar a")]
    assert similar and f"/letters/{IDS['lo-2021']}" not in similar


def test_reuse_and_similar_as_json(client, session) -> None:  # type: ignore[no-untyped-def]
    data = client.get(f"/letters/{IDS['lo-2021']}/reuse.json").get_json()
    expected = session.shared_passages(IDS["lo-2021"])
    assert [(s["n"], s["other_id"], s["other_n"]) for s in data["shared"]] == [
        (s.n, s.other_id, s.other_n) for s in expected
    ]
    similar = client.get(f"/api/letters/{IDS['lo-2021']}/similar").get_json()["similar"]
    assert [s["id"] for s in similar] == [s.id for s in session.similar(IDS["lo-2021"], 10)]
    assert client.get("/letters/nope/reuse.json").status_code == 404
    assert client.get("/api/letters/nope/similar").get_json() == {
        "error": client.get("/api/letters/nope").get_json()["error"]
    }

"""The letter page shows the passages the index stored: ¶n on the page is the ¶n a search hit
names, for every passage of the seed letters, of imported letters1916 letters and of letters
that try to forge passage anchors."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from indexer.formats.importer import import_file
from tests.conftest import IDS, SHARED
from tests.pagedom import Node, get_page
from webapp import create_app

EDITIONS = SHARED / "corpora" / "letters1916" / "editions"
#: page furniture inside a passage that is not letter text
NOT_TEXT = {"pn", "cite-box", "also-in", "footnote-ref", "footnote-backref"}


def passage_text(node: Node) -> str:
    parts: list[str] = []

    def walk(n: Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                parts.append(child)
            elif not NOT_TEXT & child.classes:
                walk(child)

    walk(node)
    return " ".join("".join(parts).split())


def page_passages(client: FlaskClient, letter_id: str) -> dict[str, str]:
    """Anchor id -> the text of the element it names, for every ¶ anchor of the letter page."""
    page = get_page(client, f"/letters/{letter_id}")
    text = page.find(".letter-text")
    return {
        n.attrs["id"]: passage_text(n)
        for n in text.iter()
        if re.fullmatch(r"p\d+", n.attrs.get("id", ""))
    }


def stored_passages(archive: Archive, letter_id: str) -> dict[str, str]:
    with archive.session() as session:
        letter = session.letter(letter_id)
    assert letter is not None
    return {f"p{n}": " ".join(text.split()) for n, _kind, text in letter.passages}


def assert_page_shows_stored_passages(client: FlaskClient, archive: Archive, ids: list[str]):  # type: ignore[no-untyped-def]
    for letter_id in ids:
        stored = stored_passages(archive, letter_id)
        assert stored, letter_id
        assert page_passages(client, letter_id) == stored, letter_id


def test_seed_letter_pages_show_the_stored_passages(client, archive) -> None:  # type: ignore[no-untyped-def]
    assert_page_shows_stored_passages(client, archive, sorted(IDS.values()))


FORGED = """---
id: forged-anchors
title: Forged anchors
date: 2024-02-01
senders: [Someone]
---
Hello <em id="p2" class="passage" data-n="2">there</em>, first paragraph.

Second paragraph <strong id="p4" class="passage" data-n="4">with</strong> more.

- an item <code id="p3" class="passage" data-n="3">x</code>
- another item

<div id="p6" class="passage" data-n="6">A raw block</div>

Last words.
"""


def test_letter_html_cannot_forge_passage_anchors(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "letters" / "2024-02-01-forged-anchors.md").write_text(FORGED)
    index = tmp_path / "index"
    assert not LetterIndex(index).rebuild(corpus_copy).errors
    client = create_app({"TESTING": True, "INDEX_PATH": str(index)}).test_client()
    archive = Archive(index)
    assert stored_passages(archive, "forged-anchors") == {
        "p1": "Hello there, first paragraph.",
        "p2": "Second paragraph with more.",
        "p3": "an item x",
        "p4": "another item",
        "p5": "A raw block",
        "p6": "Last words.",
    }
    assert_page_shows_stored_passages(client, archive, ["forged-anchors"])


@pytest.fixture(scope="module")
def letters1916(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[FlaskClient, Archive, list[str]]]:
    """An index of every 25th letters1916 TEI letter, imported into a corpus of their own."""
    if not EDITIONS.is_dir():
        pytest.fail("../shared/corpora/letters1916 is missing")
    root = tmp_path_factory.mktemp("letters1916")
    corpus = root / "corpus"
    (corpus / "letters").mkdir(parents=True)
    sample = sorted(EDITIONS.glob("*.xml"))[::25]
    written = [import_file(path, corpus / "letters").written for path in sample]
    report = LetterIndex(root / "index").rebuild(corpus)
    assert not report.errors, report.errors
    assert len(report.added) == len(written) >= 15
    client = create_app({"TESTING": True, "INDEX_PATH": str(root / "index")}).test_client()
    yield client, Archive(root / "index"), report.added
    shutil.rmtree(root, ignore_errors=True)


def test_imported_letter_pages_show_the_stored_passages(letters1916) -> None:  # type: ignore[no-untyped-def]
    client, archive, ids = letters1916
    assert_page_shows_stored_passages(client, archive, ids)

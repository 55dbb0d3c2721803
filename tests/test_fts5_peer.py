"""The FTS5 peer of the benchmark indexes the text fields the archive searches, weighted alike,
so that the build and search ratios compare like with like."""

from __future__ import annotations

from pathlib import Path

from bench.fts5 import COLUMNS, Fts5Index, letter_files, read_letter
from indexer.engine.schema import SEARCH_FIELDS, searched_fields
from tests.conftest import CORPUS

#: our field -> the peer's column (ours splits prose by language; the peer has one of each)
OURS = {"sender": "senders", "signatory": "signatories", "recipient": "recipients"}
OURS |= {"subject": "subjects"}


def test_the_peer_indexes_every_field_we_search_with_our_boosts() -> None:
    ours = {
        OURS.get(field, field): boost
        for field, boost in searched_fields(frozenset({"title", "body"})).items()
        if field != "translit"  # a second analysis of the same text, not another field
    }
    assert ours == COLUMNS
    assert set(SEARCH_FIELDS) >= {"title", "body", "translit"}


def test_the_peer_finds_a_letter_by_a_recipient_and_a_place(tmp_path: Path) -> None:
    files = letter_files(CORPUS)
    db = Fts5Index(tmp_path / "peer.db")
    assert db.build(files, CORPUS) == len(files) == 5
    letter = read_letter(files[0])
    recipient = letter.fields["recipients"].split()[-1]
    hits = db.search(f'recipients : "{recipient}"', limit=10)
    assert letter.id in [h.id for h in hits]
    assert letter.fields["body"] == letter.body and letter.fields["title"] == letter.title
    db.close()

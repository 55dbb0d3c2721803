"""Near-identical letters on 20 Newsgroups messages (../shared): the scaled archive's variants of
a message (the same text under other dates and senders, bench/newsgroups.py) fold under one hit;
replies that quote a message do not fold under it."""

from __future__ import annotations

import pytest

from bench import newsgroups
from indexer.archive import Archive
from indexer.letters.duplicates import signature
from indexer.request import SearchRequest
from tests.conftest import SHARED

SOURCE = SHARED / "corpora" / "20news-bydate"
#: sci.space replies and the messages they quote (pairs of tests/quality/reuse.yaml judged
#: quotations): (quoted, reply)
QUOTING = [(61545, 61557), (60228, 60204), (60799, 60810), (60864, 60892), (61491, 61552)]
SCALE = 3


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    if not SOURCE.is_dir():
        pytest.skip("../shared/corpora/20news-bydate is absent")
    corpus = tmp_path_factory.mktemp("scaled-sample")
    (corpus / "letters").mkdir()
    for number in {n for pair in QUOTING for n in pair}:
        (path,) = SOURCE.glob(f"*/sci.space/{number}")
        message = newsgroups.parse_message(path)
        for variant in range(SCALE):
            letter_id, text = newsgroups.letter_text(message, variant)
            (corpus / "letters" / f"{letter_id}.md").write_text(text, encoding="utf-8")
    archive = Archive(corpus / "index")
    assert not archive.rebuild(corpus).errors
    return archive


def number(letter_id: str) -> int:
    """The article number of the message a letter is (a variant of): 1993-01-01-sci-space-N[-vK]."""
    return int(letter_id.split("-")[5])


def test_the_variants_of_each_message_fold_and_replies_stay_hits(scaled: Archive) -> None:
    with scaled.session() as session:
        result = session.search(SearchRequest(per_page=100))
        flat = session.search(SearchRequest(per_page=100, group=False))
    assert result.total == flat.total == len(flat.hits) == 10 * SCALE
    groups = {h.id: sorted(d.id for d in h.duplicates) for h in result.hits}
    assert len(groups) == 10  # one hit per message, replies and quoted messages apart
    for leader, folded in groups.items():
        assert len(folded) == SCALE - 1
        assert {number(f) for f in folded} == {number(leader)}
    assert all(d.similarity == 1.0 for h in result.hits for d in h.duplicates)


def test_a_reply_quoting_a_message_is_not_its_near_duplicate(scaled: Archive) -> None:
    with scaled.session() as session:
        ids = {
            number(h.id): h.id
            for h in session.search(SearchRequest(per_page=100, group=False)).hits
            if "-v" not in h.id  # the message itself, not a scaled variant
        }
        for quoted, reply in QUOTING:
            a = signature(session.letter(ids[quoted]).passages)
            b = signature(session.letter(ids[reply]).passages)
            assert a.duplicates(b) is None, (quoted, reply, a.likeness(b))
            assert any(s.other_id == ids[reply] for s in session.shared_passages(ids[quoted]))

"""An archive session reads one index generation: its searcher and its authorities belong
together even when a rebuild swaps in another generation meanwhile, and nothing stays open
when opening fails."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.archive import Archive, IndexUnreadable
from indexer.engine import generations
from indexer.request import SearchRequest

EXTRA_ENTITY = """
  - id: session-probe
    type: organisation
    name: Session Probe Union
    variants: [Probe Union]
"""


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def two_generations(corpus_copy: Path, tmp_path: Path) -> tuple[Archive, Path, Path]:
    """An index rebuilt once with an extra authority entity: (archive, a copy of the old
    generation, the new one)."""
    archive = Archive(tmp_path / "index")
    archive.rebuild(corpus_copy)
    old = generations.current_generation(archive.root)
    assert old is not None
    kept = archive.root / "kept-old"
    shutil.copytree(old, kept)  # the next rebuild may clean the old folder up
    authorities = corpus_copy / "authorities.yaml"
    authorities.write_text(authorities.read_text(encoding="utf-8") + EXTRA_ENTITY)
    archive.rebuild(corpus_copy)
    new = generations.current_generation(archive.root)
    assert new is not None and new != old
    return archive, kept, new


def test_a_swap_while_a_session_opens_cannot_pair_two_generations(
    two_generations: tuple[Archive, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    archive, kept, new = two_generations
    answers = iter([kept])  # the first look at "current" sees the old generation, then the new

    def current(root: Path) -> Path | None:
        return next(answers, new)

    monkeypatch.setattr(generations, "current_generation", current)
    with archive.session() as session:
        assert "session-probe" not in session.authorities.entities
        assert session.search(SearchRequest(q="mention:session-probe")).total == 0


def test_the_new_generation_brings_its_own_authorities(
    two_generations: tuple[Archive, Path, Path],
) -> None:
    archive, _old, _new = two_generations
    with archive.session() as session:
        assert session.authorities.label("session-probe") == "Session Probe Union"


def test_nothing_stays_open_when_a_session_cannot_open(corpus_copy: Path, tmp_path: Path) -> None:
    Archive(tmp_path / "index").rebuild(corpus_copy)
    current = generations.current_generation(tmp_path / "index")
    assert current is not None
    snapshot = current / generations.AUTHORITIES_SNAPSHOT
    snapshot.write_text("[{damaged", encoding="utf-8")
    archive = Archive(tmp_path / "index")
    with pytest.raises(IndexUnreadable):
        archive.session()  # opens (and keeps) the index itself, then fails
    before = open_files()
    for _ in range(5):
        with pytest.raises(IndexUnreadable):
            archive.session()
    assert open_files() == before

"""The index on disk: incremental updates by content hash, atomic rebuilds, bad files, locking."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from indexer.archive import Archive
from indexer.engine.errors import IndexBusy, IndexMissing
from indexer.engine.index import LetterIndex
from indexer.engine.manifest import Manifest
from indexer.letters.corpus import NotInCorpus
from indexer.request import SearchRequest

NEW_LETTER = """---
id: 2022-03-01-test-solidarity
title: Solidarity with the oil workers of Zhanaozen
date: 2022-03-01
senders: [Test Federation]
---
We send our solidarity to the oil workers of Zhanaozen.

A second paragraph about collective bargaining.
"""


def ids(root: Path) -> list[str]:
    with Archive(root).session() as session:
        result = session.search(SearchRequest(per_page=100))
        return sorted(hit.id for hit in result.hits)


def search_total(root: Path, q: str) -> int:
    with Archive(root).session() as session:
        return session.search(SearchRequest(q=q)).total


@pytest.fixture
def built(tmp_path: Path, corpus_copy: Path) -> tuple[LetterIndex, Path]:
    index = LetterIndex(tmp_path / "index")
    report = index.update(corpus_copy)  # no index yet: the first update builds one
    assert report.rebuilt and len(report.added) == 5 and not report.errors
    return index, corpus_copy


def test_update_with_nothing_changed_touches_nothing(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    report = index.update(corpus)
    assert (report.added, report.updated, report.removed, report.unchanged) == ([], [], [], 5)


def test_update_adds_changes_and_removes_files(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    letters = corpus / "letters"
    (letters / "new.md").write_text(NEW_LETTER, encoding="utf-8")
    report = index.update(corpus)
    assert (report.added, report.updated, report.removed) == (
        ["2022-03-01-test-solidarity"],
        [],
        [],
    )
    assert search_total(index.root, "Zhanaozen solidarity") == 1

    (letters / "new.md").write_text(NEW_LETTER.replace("Zhanaozen", "Aktau"), encoding="utf-8")
    report = index.update(corpus)
    assert (report.added, report.updated) == ([], ["2022-03-01-test-solidarity"])
    assert search_total(index.root, "Zhanaozen solidarity") == 0
    assert search_total(index.root, "Aktau solidarity") == 1

    (letters / "2021-02-09-lo-norway-trade-union-rights-violations.md").unlink()
    (letters / "new.md").unlink()
    report = index.update(corpus)
    assert sorted(report.removed) == [
        "2021-02-09-lo-norway-trade-union-rights-violations",
        "2022-03-01-test-solidarity",
    ]
    assert len(ids(index.root)) == 4


def test_renamed_file_keeps_one_document(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    letters = corpus / "letters"
    old = letters / "2021-02-09-lo-norway-trade-union-rights-violations.md"
    old.rename(letters / "renamed.md")
    index.update(corpus)
    assert len(ids(index.root)) == 5


def test_broken_file_is_reported_and_its_indexed_version_kept(
    built: tuple[LetterIndex, Path],
) -> None:
    index, corpus = built
    letters = corpus / "letters"
    target = letters / "2021-02-09-lo-norway-trade-union-rights-violations.md"
    target.write_text("---\ntitle: [broken\n---\nText\n", encoding="utf-8")
    (letters / "empty.md").write_text("", encoding="utf-8")
    (letters / "new.md").write_text(NEW_LETTER, encoding="utf-8")
    report = index.update(corpus)
    reasons = sorted((Path(e.path).name, e.reason.split(":")[0]) for e in report.errors)
    assert reasons == [
        (
            "2021-02-09-lo-norway-trade-union-rights-violations.md",
            "front matter is not valid YAML at line 3",
        ),
        ("empty.md", "empty file"),
    ]
    assert report.added == ["2022-03-01-test-solidarity"]
    assert len(ids(index.root)) == 6  # nothing lost: the old LO Norway letter is still there
    assert search_total(index.root, "Gabrielsen") == 1

    report = index.rebuild(corpus)  # a rebuild keeps it too
    assert report.kept == ["2021-02-09-lo-norway-trade-union-rights-violations"]
    assert search_total(index.root, "Gabrielsen") == 1


def test_rebuild_asks_the_old_index_only_for_the_broken_file(
    built: tuple[LetterIndex, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, corpus = built
    lo = "2021-02-09-lo-norway-trade-union-rights-violations"
    with Archive(index.root).session() as session:
        before = session.letter(lo)
    assert before is not None
    (corpus / "letters" / f"{lo}.md").write_text("---\ntitle: [broken\n---\nText\n")
    asked: list[tuple[str, str | None]] = []
    stored_letter = index.stored_letter

    def recording(path: str):  # type: ignore[no-untyped-def]
        letter = stored_letter(path)
        asked.append((path, letter.id if letter else None))
        return letter

    monkeypatch.setattr(index, "stored_letter", recording)
    report = index.rebuild(corpus)
    assert asked == [(f"letters/{lo}.md", lo)]  # the four good files never touch the old index
    assert report.kept == [lo] and sorted(report.added) == sorted(set(ids(index.root)) - {lo})
    with Archive(index.root).session() as session:
        after = session.letter(lo)
    assert after is not None and after.record == before.record  # the whole old version


def test_duplicate_id_is_an_error_for_the_second_file(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    source = corpus / "letters" / "2021-02-09-lo-norway-trade-union-rights-violations.md"
    (corpus / "letters" / "zz-copy.md").write_text(
        source.read_text(encoding="utf-8").replace("Kazakhstan", "Kazakstan", 1), encoding="utf-8"
    )
    report = index.update(corpus)
    assert [str(e) for e in report.errors] == [
        "letters/zz-copy.md: duplicate id '2021-02-09-lo-norway-trade-union-rights-violations' "
        "(already used by letters/2021-02-09-lo-norway-trade-union-rights-violations.md)"
    ]
    assert len(ids(index.root)) == 5


def test_rebuild_swaps_a_new_generation_and_old_readers_keep_working(
    built: tuple[LetterIndex, Path],
) -> None:
    index, corpus = built
    before = index.current_dir
    old_session = Archive(index.root).session()
    (corpus / "letters" / "new.md").write_text(NEW_LETTER, encoding="utf-8")
    index.rebuild(corpus)
    assert index.current_dir != before
    assert (index.root / "current").is_symlink()
    assert old_session.search(SearchRequest()).total == 5  # the old snapshot is intact
    old_session.close()
    assert len(ids(index.root)) == 6


def test_failed_rebuild_leaves_the_index_in_use_untouched(
    built: tuple[LetterIndex, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index, corpus = built
    before = index.current_dir

    def explode(*args):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr("indexer.engine.writing.index_document", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        index.rebuild(corpus)
    assert index.current_dir == before
    assert sorted(p.name for p in index.root.glob("gen-*")) == [before.name]
    monkeypatch.undo()
    assert len(ids(index.root)) == 5


def test_stale_generation_from_a_killed_rebuild_is_removed(
    built: tuple[LetterIndex, Path],
) -> None:
    index, corpus = built
    stale = index.root / "gen-00000000T000000-dead00"
    stale.mkdir()
    (stale / "half-written.seg").write_bytes(b"x")
    index.update(corpus)
    assert not stale.exists()


def test_second_writer_is_told_the_index_is_busy(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    with open(index.root / "write.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(IndexBusy, match="is busy"):
            index.update(corpus)
    assert index.update(corpus).unchanged == 5  # free again once the holder is gone


def test_missing_index_has_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="build it with 'letters index'"):
        Archive(tmp_path / "nothing").session()


def test_index_lives_in_its_own_folder(built: tuple[LetterIndex, Path]) -> None:
    index, _corpus = built
    current = index.current_dir
    assert current is not None and current.parent == index.root
    assert any(name.endswith(".toc") for name in os.listdir(current))


def test_touched_file_with_the_same_content_is_unchanged(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    target = corpus / "letters" / "2021-02-09-lo-norway-trade-union-rights-violations.md"
    os.utime(target, ns=(1, 1))
    report = index.update(corpus)
    assert (report.added, report.updated, report.unchanged) == ([], [], 5)


def test_stale_manifest_falls_back_to_the_stored_fields(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    manifest = Manifest(index.current_dir)
    manifest.write(-1, {}, replace_all=True)  # as if killed between the two commits
    report = index.update(corpus)  # a manifest of another commit is not trusted
    assert (report.added, report.updated, report.unchanged) == ([], [], 5)
    assert manifest.generation() == index.open().latest_generation()
    assert len(manifest.entries()) == 5
    (corpus / "letters" / "new.md").write_text(NEW_LETTER, encoding="utf-8")
    manifest.path.unlink()
    assert index.update(corpus).added == ["2022-03-01-test-solidarity"]
    assert len(ids(index.root)) == 6


def test_nothing_changed_makes_no_new_commit(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    generation = index.open().latest_generation()
    index.update(corpus)
    assert index.open().latest_generation() == generation


def test_changed_id_replaces_the_old_document(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    target = corpus / "letters" / "2021-02-09-lo-norway-trade-union-rights-violations.md"
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            "id: 2021-02-09-lo-norway-trade-union-rights-violations", "id: lo-norway-renamed"
        ),
        encoding="utf-8",
    )
    report = index.update(corpus)
    assert report.added == ["lo-norway-renamed"]
    assert "2021-02-09-lo-norway-trade-union-rights-violations" not in ids(index.root)
    assert len(ids(index.root)) == 5


def test_relative_index_path_keeps_its_current_generation(
    tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    index = LetterIndex("relative/index")
    index.update(corpus_copy)
    (corpus_copy / "letters" / "new.md").write_text(NEW_LETTER, encoding="utf-8")
    index.update(corpus_copy)  # cleans up stale generations: never the current one
    index.update(corpus_copy)
    assert index.exists()
    assert len(ids(Path("relative/index"))) == 6


LO_FILE = "2021-02-09-lo-norway-trade-union-rights-violations.md"
LO_ID = "2021-02-09-lo-norway-trade-union-rights-violations"


def report_tuple(report):  # type: ignore[no-untyped-def]
    return (report.added, report.updated, report.removed, [str(e) for e in report.errors])


def test_update_of_named_files_only_looks_at_them(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    letters = corpus / "letters"
    lo = letters / LO_FILE
    lo.write_text(lo.read_text(encoding="utf-8") + "\nA postscript on Zhanaozen.\n", "utf-8")
    (letters / "new.md").write_text(NEW_LETTER, encoding="utf-8")
    report = index.update(corpus, only=[lo])  # new.md is not named: not looked at
    assert report_tuple(report) == ([], [LO_ID], [], [])
    assert search_total(index.root, "postscript") == 1
    assert "2022-03-01-test-solidarity" not in ids(index.root)
    report = index.update(corpus, only=[letters / "new.md", lo])  # lo.md is unchanged now
    assert report_tuple(report) == (["2022-03-01-test-solidarity"], [], [], [])
    assert report.unchanged == 1
    (letters / "new.md").unlink()
    report = index.update(corpus, only=[letters / "new.md"])
    assert report_tuple(report) == ([], [], ["2022-03-01-test-solidarity"], [])
    assert len(ids(index.root)) == 5
    # the record of the archive stays whole: a full update afterwards finds nothing to do
    assert report_tuple(index.update(corpus)) == ([], [], [], [])


def test_update_of_named_files_detects_a_duplicate_id_elsewhere(
    built: tuple[LetterIndex, Path],
) -> None:
    index, corpus = built
    copy = corpus / "letters" / "copy.md"
    copy.write_text((corpus / "letters" / LO_FILE).read_text(encoding="utf-8"), "utf-8")
    report = index.update(corpus, only=[copy])
    assert report_tuple(report) == (
        [],
        [],
        [],
        [f"letters/copy.md: duplicate id '{LO_ID}' (already used by letters/{LO_FILE})"],
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../outside.md", "is not inside the corpus folder"),
        ("letters/README.md", "is not a letter file"),
        ("letters/notes.txt", "is not a letter file"),
    ],
)
def test_update_of_named_files_refuses_other_files(
    built: tuple[LetterIndex, Path], name: str, problem: str
) -> None:
    index, corpus = built
    with pytest.raises(NotInCorpus, match=problem):
        index.update(corpus, only=[corpus / name])


def test_update_of_a_named_file_that_never_existed_says_so(built: tuple[LetterIndex, Path]) -> None:
    index, corpus = built
    report = index.update(corpus, only=[corpus / "letters" / "tpyo.md"])
    problem = "letters/tpyo.md: no such file, and not in the index"
    assert report_tuple(report) == ([], [], [], [problem])

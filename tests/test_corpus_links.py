"""Symbolic links in the corpus: nothing outside the corpus folder is indexed, checked as a
letter or written through; links that stay inside the corpus work like the files they name."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from indexer.cli.main import EXIT_PARTIAL, cli
from tests.conftest import CORPUS

SECRET = "---\nid: exfiltrated\ntitle: Outside\n---\nDear colleagues,\n\nThe word zanzibarite.\n"
Run = Callable[..., Result]  # runs ``letters ARGS…`` on this test's corpus and index
INNER = "---\nid: inner-letter\ntitle: Inner\n---\nDear colleagues,\n\nThe word quokkaroo.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the corpus holding a perfectly valid letter."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(SECRET, encoding="utf-8")
    return folder


@pytest.fixture
def run(tmp_path: Path, corpus: Path) -> Run:
    env = {"LETTERS_CORPUS": str(corpus), "LETTERS_INDEX": str(tmp_path / "index")}
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), env=env)


def total(run, query: str) -> int:
    result = run("search", query, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["total"]


def refusal(result: Result, name: str) -> str:
    """The error line naming ``letters/<name>``."""
    lines = [ln for ln in result.stderr.splitlines() if f"letters/{name}:" in ln]
    assert lines, result.output
    return lines[0]


@pytest.mark.parametrize("rebuild", [[], ["--rebuild"]])
def test_index_refuses_a_file_link_out_of_the_corpus(
    run: Run, corpus: Path, outside: Path, rebuild: list[str]
) -> None:
    (corpus / "letters" / "x.md").symlink_to(outside / "secret.md")
    result = run("index", "-q", *rebuild)
    assert result.exit_code == EXIT_PARTIAL, result.output
    line = refusal(result, "x.md")
    assert line.startswith("error: ")
    assert "outside the corpus" in line and str(outside / "secret.md") in line
    assert "5 added" in result.output
    assert total(run, "zanzibarite") == 0
    assert run("show", "exfiltrated").exit_code == 1


def test_index_refuses_a_named_link_out_of_the_corpus(
    run: Run, corpus: Path, outside: Path
) -> None:
    assert run("index", "-q").exit_code == 0
    link = corpus / "letters" / "x.md"
    link.symlink_to(outside / "secret.md")
    result = run("index", "-q", str(link))
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "outside the corpus" in refusal(result, "x.md")
    assert total(run, "zanzibarite") == 0
    assert total(run, "") == 5


@pytest.mark.parametrize("named", [False, True])
def test_a_letter_replaced_by_a_link_out_is_removed(
    run: Run, corpus: Path, outside: Path, named: bool
) -> None:
    letter = corpus / "letters" / "inner.md"
    letter.write_text(INNER, encoding="utf-8")
    assert run("index", "-q").exit_code == 0
    assert total(run, "quokkaroo") == 1
    letter.unlink()
    letter.symlink_to(outside / "secret.md")
    result = run("index", "-q", *([str(letter)] if named else []))
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "outside the corpus" in refusal(result, "inner.md")
    assert "0 added, 0 changed, 1 removed" in result.output
    assert total(run, "quokkaroo") == 0 and total(run, "zanzibarite") == 0
    assert run("show", "inner-letter").exit_code == 1


def test_check_refuses_a_link_out_of_the_corpus(run: Run, corpus: Path, outside: Path) -> None:
    (corpus / "letters" / "x.md").symlink_to(outside / "secret.md")
    result = run("check")
    assert result.exit_code == EXIT_PARTIAL, result.output
    line = refusal(result, "x.md")
    assert "outside the corpus" in line and str(outside / "secret.md") in line


def test_a_folder_link_out_of_the_corpus_is_not_walked(
    run: Run, corpus: Path, outside: Path
) -> None:
    (corpus / "letters" / "more").symlink_to(outside, target_is_directory=True)
    for command in (["check"], ["index", "-q"]):
        result = run(*command)
        assert result.exit_code == EXIT_PARTIAL, result.output
        line = refusal(result, "more")
        assert "folder outside the corpus" in line and str(outside) in line
        assert "secret.md" not in result.output
    assert total(run, "zanzibarite") == 0
    assert total(run, "") == 5


def test_links_inside_the_corpus_work(run: Run, corpus: Path) -> None:
    drafts, archive = corpus / "drafts", corpus / "archive"
    drafts.mkdir()
    archive.mkdir()
    (drafts / "inner.md").write_text(INNER, encoding="utf-8")
    (archive / "second.md").write_text(INNER.replace("inner-letter", "second-letter"), "utf-8")
    (corpus / "letters" / "inner.md").symlink_to(Path("..") / "drafts" / "inner.md")
    (corpus / "letters" / "archive").symlink_to(archive, target_is_directory=True)
    (corpus / "letters" / "loop").symlink_to(corpus / "letters", target_is_directory=True)
    check = run("check")
    assert check.exit_code == 0, check.output
    assert "7 file(s) checked" in check.output  # the loop is not walked again
    result = run("index", "-q")
    assert result.exit_code == 0, result.output
    assert "7 added" in result.output  # 5 seeds, inner.md and archive/second.md
    assert total(run, "quokkaroo") == 2
    named = run("index", "-q", str(corpus / "letters" / "inner.md"))
    assert named.exit_code == 0, named.output


def test_import_does_not_write_through_a_dangling_link(
    tmp_path: Path, run: Run, corpus: Path, outside: Path
) -> None:
    source = tmp_path / "incoming.txt"
    source.write_text("Dear colleagues,\n\nWe write about the strike at the plant.\n", "utf-8")
    first = run("import", str(source))
    assert first.exit_code == 0, first.output
    written = next(ln for ln in first.output.splitlines() if " -> " in ln).split(" -> ")[1]
    Path(written).unlink()
    Path(written).symlink_to(outside / "planted.md")  # dangling: the import would create it
    again = run("import", str(source))
    assert again.exit_code == 0, again.output
    assert not (outside / "planted.md").exists()
    assert Path(written).is_symlink()
    other = next(ln for ln in again.output.splitlines() if " -> " in ln).split(" -> ")[1]
    assert other != written and Path(other).is_file() and not Path(other).is_symlink()

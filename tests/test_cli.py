"""The ``letters`` command line, run in-process with click's runner against real indexes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import EXIT_BUSY, EXIT_PARTIAL, cli
from tests.conftest import SEEDS

LO = "2021-02-09-lo-norway-trade-union-rights-violations"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def env(tmp_path: Path, corpus_copy: Path) -> dict[str, str]:
    return {"LETTERS_CORPUS": str(corpus_copy), "LETTERS_INDEX": str(tmp_path / "index")}


def test_index_then_search_json(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(cli, ["index", "--quiet"], env=env)
    assert result.exit_code == 0, result.output
    assert "5 added, 0 changed, 0 removed" in result.output

    result = runner.invoke(cli, ["search", "right to strike", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 4
    first = data["hits"][0]
    assert first["id"] == "2024-01-10-industriall-right-to-strike-west-oil-software"
    assert first["passages"][0]["url"].endswith("?q=right+to+strike#p8")

    again = runner.invoke(cli, ["index"], env=env)
    assert "0 added, 0 changed, 0 removed, 5 unchanged" in again.output


def test_search_filters_and_readable_output(runner: CliRunner, env: dict[str, str]) -> None:
    runner.invoke(cli, ["index", "-q"], env=env)
    result = runner.invoke(
        cli,
        [
            "search",
            "strike",
            "--sender",
            "IndustriALL Global Union",
            "--from",
            "2024",
            "--to",
            "2024-12-31",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert "1–1 of 1 letter(s)" in result.output
    assert "¶8  We would like to highlight that the right to *strike*" in result.output
    assert (
        "sender: International Trade Union Confederation (ITUC) (2), IndustriALL Global Union (1)"
        in result.output
    )


def test_bad_search_parameter_is_a_usage_error(runner: CliRunner, env: dict[str, str]) -> None:
    runner.invoke(cli, ["index", "-q"], env=env)
    result = runner.invoke(cli, ["search", "x", "--from", "2021-13"], env=env)
    assert result.exit_code == 2
    assert "'from': '2021-13' is not a real date" in result.output


def test_search_without_index_says_how_to_build_it(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(cli, ["search", "x"], env=env)
    assert result.exit_code == 1
    assert "build it with 'letters index'" in result.output


def test_show_letter_and_passage(runner: CliRunner, env: dict[str, str]) -> None:
    runner.invoke(cli, ["index", "-q"], env=env)
    whole = runner.invoke(cli, ["show", LO], env=env)
    assert whole.exit_code == 0
    assert "Re: Concern about serious violation" in whole.output
    assert "¶13  Hans-Christian Gabrielsen President" in whole.output
    one = runner.invoke(cli, ["show", LO, "--passage", "13"], env=env)
    assert one.output == "Hans-Christian Gabrielsen President\n"
    data = json.loads(runner.invoke(cli, ["show", LO, "--json"], env=env).output)
    assert data["passages"][12] == {
        "n": 13,
        "kind": "p",
        "text": "Hans-Christian Gabrielsen President",
        "language": "en",
    }
    missing = runner.invoke(cli, ["show", LO, "--passage", "99"], env=env)
    assert missing.exit_code == 1 and "not ¶99" in missing.output
    unknown = runner.invoke(cli, ["show", "no-such-letter"], env=env)
    assert unknown.exit_code == 1 and "no letter with id 'no-such-letter'" in unknown.output


def test_broken_file_is_named_skipped_and_nothing_lost(
    runner: CliRunner, env: dict[str, str], corpus_copy: Path
) -> None:
    runner.invoke(cli, ["index", "-q"], env=env)
    (corpus_copy / "letters" / "broken.md").write_bytes(b"---\ntitle: x\n---\n\x81\x8d bad")
    (corpus_copy / "letters" / f"{LO}.md").write_text("---\ndate: 2021-02-30\n---\nx\n")
    result = runner.invoke(cli, ["index", "-q"], env=env)
    assert result.exit_code == EXIT_PARTIAL
    assert "letters/broken.md: not valid UTF-8" in result.output
    assert f"letters/{LO}.md: field 'date': '2021-02-30' is not a real date" in result.output
    assert "2 file(s) could not be indexed" in result.output
    assert "1 added" not in result.output
    search = runner.invoke(cli, ["search", "Gabrielsen", "--json"], env=env)
    assert json.loads(search.output)["total"] == 1  # the previous version is still indexed

    check = runner.invoke(cli, ["check"], env=env)
    assert check.exit_code == EXIT_PARTIAL
    assert "6 file(s) checked, 2 with problems." in check.output


def test_check_on_a_good_corpus(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(cli, ["check"], env=env)
    assert result.exit_code == 0
    assert result.output.strip() == "5 file(s) checked, 0 with problems."


def test_rebuild_and_busy_index(runner: CliRunner, env: dict[str, str]) -> None:
    import fcntl

    assert runner.invoke(cli, ["index", "--rebuild", "-q"], env=env).exit_code == 0
    with open(Path(env["LETTERS_INDEX"]) / "write.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        busy = runner.invoke(cli, ["index", "--rebuild", "-q"], env=env)
    assert busy.exit_code == EXIT_BUSY
    assert "is busy" in busy.output


def test_missing_corpus_is_named(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["index", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "ix")]
    )
    assert result.exit_code == 1
    assert f"no corpus folder at {tmp_path / 'nope'}" in result.output


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_import_extracts_metadata_for_review(runner: CliRunner, tmp_path: Path) -> None:
    into = tmp_path / "letters"
    seed = SEEDS / "004_210ffe222bb380f8.txt"
    result = runner.invoke(cli, ["import", str(seed), "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert "found date: 2021-02-09" in result.output
    assert "found place: Oslo" in result.output
    written = list(into.glob("*.md"))
    assert len(written) == 1
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("---\nid: 2021-02-09-")
    assert "date: '2021-02-09'" in text or "date: 2021-02-09" in text
    again = runner.invoke(cli, ["import", str(seed), "--into", str(into)])
    assert "already in the corpus" in again.output
    assert len(list(into.glob("*.md"))) == 1
    # the imported file is a valid letter for the indexer
    check = runner.invoke(cli, ["check", "--corpus", str(tmp_path)])
    assert check.exit_code == 0, check.output


def test_import_reports_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00\x00")
    result = runner.invoke(cli, ["import", str(bad), "--into", str(tmp_path / "out")])
    assert result.exit_code == EXIT_PARTIAL
    assert "bad.txt: binary file" in result.output


def test_check_names_a_broken_authority_file(
    runner: CliRunner, env: dict[str, str], corpus_copy: Path
) -> None:
    (corpus_copy / "authorities.yaml").write_text("entities:\n  - {id: Bad}\n", encoding="utf-8")
    result = runner.invoke(cli, ["check"], env=env)
    assert result.exit_code == EXIT_PARTIAL
    assert "authorities.yaml: entity 1: 'id' must be lowercase" in result.output
    index = runner.invoke(cli, ["index", "-q"], env=env)
    assert index.exit_code == 1
    assert "fix the authority file and index again" in index.output


def test_index_named_files(runner: CliRunner, env: dict[str, str], corpus_copy: Path) -> None:
    runner.invoke(cli, ["index", "-q"], env=env)
    letter = corpus_copy / "letters" / f"{LO}.md"
    letter.write_text(letter.read_text(encoding="utf-8") + "\nA postscript.\n", "utf-8")
    result = runner.invoke(cli, ["index", "-q", str(letter)], env=env)
    assert result.exit_code == 0, result.output
    assert "0 added, 1 changed, 0 removed, 0 unchanged" in result.output
    search = runner.invoke(cli, ["search", "postscript", "--json"], env=env)
    assert json.loads(search.output)["total"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{corpus}/README.md"], "/README.md is not a letter file (*.md or *.markdown"),
        (["/etc/hostname.md"], "/etc/hostname.md is not inside the corpus folder"),
        (["--rebuild", "x.md"], "--rebuild indexes the whole corpus: name no FILES with it"),
    ],
)
def test_index_named_files_refuses_others(
    runner: CliRunner, env: dict[str, str], args: list[str], message: str
) -> None:
    runner.invoke(cli, ["index", "-q"], env=env)
    args = [a.format(corpus=env["LETTERS_CORPUS"]) for a in args]
    result = runner.invoke(cli, ["index", "-q", *args], env=env)
    assert result.exit_code == (2 if args[0] == "--rebuild" else 1)
    assert message in result.output

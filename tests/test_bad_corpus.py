"""A corpus of broken files: each is named with its reason, every good file is indexed, and
nothing already indexed is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import Archive
from indexer.cli.main import EXIT_PARTIAL, cli
from indexer.request import SearchRequest
from tests.conftest import CORPUS

GOOD = "Dear colleagues,\n\nWe write about the strike.\n"
BROKEN: dict[str, tuple[bytes, str]] = {
    "empty.md": (b"", "empty file"),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    "bad-utf8.md": (b"---\ntitle: x\n---\n\x81\x8d\x8f\x90 text", "not valid UTF-8"),
    "bad-yaml.md": (b"---\ntitle: [unclosed\n---\n" + GOOD.encode(), "not valid YAML"),
    "unclosed.md": (b"---\ntitle: x\n" + GOOD.encode(), "front matter is not closed"),
    "unknown-field.md": (b"---\nauthor: x\n---\n" + GOOD.encode(), "unknown front-matter field"),
    "wrong-type.md": (b"---\nsenders: 42\n---\n" + GOOD.encode(), "must be a list of names"),
    "impossible-date.md": (b"---\ndate: 2021-02-30\n---\n" + GOOD.encode(), "not a real date"),
    "duplicate-id.md": (
        b"---\nid: 2021-02-09-lo-norway-trade-union-rights-violations\n---\n" + GOOD.encode(),
        "duplicate id",
    ),
    "huge.md": (b"---\ntitle: huge\n---\n" + b"strike " * (9 * 1024 * 1024 // 7), "too large"),
}
LEGACY = {
    "cp1251.md": "---\ntitle: Письмо\n---\nУважаемый господин Президент, профсоюз просит.\n".encode(
        "cp1251"
    ),
    "nested.md": (">" * 3000 + " deep " + "*" * 5000 + "\n\n" + "[" * 2000 + "x").encode(),
    "hostile.md": b"---\ntitle: <script>alert(1)</script>\n---\n<img src=x onerror=alert(1)>"
    b"\n\n[click](javascript:alert(1))\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    for name, (data, _reason) in BROKEN.items():
        (target / "letters" / name).write_bytes(data)
    for name, data in LEGACY.items():
        (target / "letters" / name).write_bytes(data)
    return target


def test_every_broken_file_is_named_and_the_rest_indexed(tmp_path: Path, corpus: Path) -> None:
    env = {"LETTERS_CORPUS": str(corpus), "LETTERS_INDEX": str(tmp_path / "index")}
    runner = CliRunner()
    for command in (["check"], ["index", "-q"]):
        result = runner.invoke(cli, command, env=env)
        assert result.exit_code == EXIT_PARTIAL, result.output
        for name, (_data, reason) in BROKEN.items():
            # a file may also have a line on what was extracted from its text (its language)
            lines = [ln for ln in result.output.splitlines() if f"letters/{name}:" in ln]
            assert any(reason in line for line in lines), lines
    with Archive(tmp_path / "index").session() as session:
        assert session.search(SearchRequest()).total == 5 + len(LEGACY)
        # decoded from cp1251 (the word alone: its concept finds the English letters too)
        assert session.search(SearchRequest(q="профсоюз", concepts=False)).total == 1


def test_breaking_indexed_files_loses_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    env = {"LETTERS_CORPUS": str(corpus), "LETTERS_INDEX": str(tmp_path / "index")}
    runner = CliRunner()
    assert runner.invoke(cli, ["index", "-q"], env=env).exit_code == 0
    letters = sorted((corpus / "letters").glob("*.md"))
    for path, (data, _reason) in zip(letters, BROKEN.values(), strict=False):
        path.write_bytes(data)  # overwrite each indexed letter with a broken file
    for command in (["index", "-q"], ["index", "--rebuild", "-q"]):
        result = runner.invoke(cli, command, env=env)
        assert result.exit_code == EXIT_PARTIAL
        with Archive(tmp_path / "index").session() as session:
            assert session.search(SearchRequest()).total == 5


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        ("Dear colleagues,\n\nThe café workers’ Grüße – zanzibarite.\n", "cp1252", "Windows-1252"),
        ("Dear colleagues,\n\nLa grève des salariés zanzibarite.\n", "latin-1", "Windows-1252"),
        ("Уважаемый Президент, профсоюз просит zanzibarite.\n", "cp1251", "Windows-1251"),
    ],
)
def test_a_fallback_code_page_is_indexed_with_a_warning(
    tmp_path: Path, text: str, codec: str, name: str
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "letters" / "legacy.md").write_bytes(text.encode(codec))
    env = {"LETTERS_CORPUS": str(corpus), "LETTERS_INDEX": str(tmp_path / "index")}
    runner = CliRunner()
    for command in (["check"], ["index", "-q"]):
        result = runner.invoke(cli, command, env=env)
        assert result.exit_code == 0, result.output  # a warning alone is no failure
        warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: ")]
        assert len(warnings) == 1, result.stderr
        assert "letters/legacy.md" in warnings[0] and name in warnings[0], warnings[0]
        assert "not valid UTF-8" in warnings[0]
    with Archive(tmp_path / "index").session() as session:
        assert session.search(SearchRequest(q="zanzibarite")).total == 1
    again = runner.invoke(cli, ["index", "-q"], env=env)
    assert again.exit_code == 0 and "warning" not in again.stderr  # only when it is indexed


def test_utf8_letters_give_no_warning(tmp_path: Path) -> None:
    env = {"LETTERS_CORPUS": str(CORPUS), "LETTERS_INDEX": str(tmp_path / "index")}
    for command in (["check"], ["index", "-q"]):
        result = CliRunner().invoke(cli, command, env=env)
        assert result.exit_code == 0 and result.stderr == "", result.output

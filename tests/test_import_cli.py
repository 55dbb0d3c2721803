"""``letters import`` of folders: recursive walk of known formats, and a summary per outcome."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from indexer.cli.main import EXIT_PARTIAL, cli

TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>
<title>Letter {n}</title></titleStmt></fileDesc></teiHeader>
<text><body><p>Dear friend, this is letter number {n}.</p></body></text></TEI>"""


def test_a_folder_is_walked_and_the_import_ends_with_a_summary(tmp_path: Path) -> None:
    source = tmp_path / "edition"
    (source / "a" / "b").mkdir(parents=True)
    (source / "a" / "one.xml").write_text(TEI.format(n=1), encoding="utf-8")
    (source / "a" / "b" / "two.xml").write_text(TEI.format(n=2), encoding="utf-8")
    (source / "three.txt").write_text("Dear Anna,\n\nall is well.\n\nKarl\n", encoding="utf-8")
    (source / "broken.xml").write_text("<TEI><unclosed></TEI>", encoding="utf-8")
    (source / "README.md").write_text("# About this edition\n", encoding="utf-8")
    (source / "picture.jpg").write_bytes(b"\xff\xd8\xff")
    (source / ".hidden").mkdir()
    (source / ".hidden" / "four.xml").write_text(TEI.format(n=4), encoding="utf-8")
    into = tmp_path / "letters"

    result = CliRunner().invoke(cli, ["import", str(source), "--into", str(into)])
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert len(list(into.glob("*.md"))) == 3
    assert "5 file(s): 3 letter(s) written" not in result.output  # README and .jpg are no letters
    assert f"4 file(s): 3 letter(s) written to {into}, 0 already in the corpus, 1 refused." in (
        result.output
    )
    assert "refused 1: not well-formed XML (mismatched tag)" in result.output

    again = CliRunner().invoke(cli, ["import", str(source / "a"), "--into", str(into)])
    assert again.exit_code == 0, again.output
    assert "2 file(s): 0 letter(s) written" in again.output
    assert "2 already in the corpus, 0 refused." in again.output
    assert len(list(into.glob("*.md"))) == 3


def test_check_warns_about_mojibake(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "a.md").write_text(
        "---\nid: a\ntitle: A letter\ndate: 1916-05-01\nlanguage: en\n---\n\n"
        "It was a success â€“ the Rising.\n",
        encoding="utf-8",
    )
    (letters / "b.md").write_text(
        "---\nid: b\ntitle: B letter\ndate: 1916-05-01\nlanguage: en\n---\n\nAll – fine.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--corpus", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "warning: letters/a.md: looks like mojibake" in result.output
    assert "â€“" in result.output
    assert "b.md: looks like mojibake" not in result.output

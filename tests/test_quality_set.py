"""The letters quality set: the evaluator on a tiny made-up case file, and the real case file
checked against the ids the importer assigns (no index is built for that)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import cli
from indexer.evaluation.letter_archives import ArchiveSpec, import_corpus, planned_ids
from indexer.evaluation.letter_cases import evaluate_cases, format_report, load_cases
from indexer.request import SearchRequest

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "quality" / "letters.yaml"

LETTER = """---
id: {id}
title: {title}
date: {date}
senders: [{sender}]
---

{body}
"""

TINY = """
archives:
  tiny: {path: corpus, format: corpus}
  gone: {path: no-such-folder, format: import}
cases:
  - {name: phrase-found, archive: tiny, kind: phrase, query: '"martial law"',
     must: [a], must_not: [b]}
  - {name: word-missed, archive: tiny, kind: phrase, query: 'harbour',
     must: [a, c]}
  - {name: typo, archive: tiny, kind: typo, query: 'Castlebarr', suggest: Castlebar}
  - {name: correct, archive: tiny, kind: typo, query: 'Castlebar', no_suggestion: true,
     must: [c]}
  - {name: elsewhere, archive: gone, kind: phrase, query: 'x', must: [z]}
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    letters = tmp_path / "corpus" / "letters"
    letters.mkdir(parents=True)
    bodies = {
        "a": ("Martial law", "Martial law was declared; the harbour is closed."),
        "b": ("Law and order", "The law is martial in spirit, they say."),
        "c": ("From Castlebar", "Greetings from Castlebar, where nothing happens."),
    }
    for n, (letter_id, (title, body)) in enumerate(bodies.items(), 1):
        (letters / f"{letter_id}.md").write_text(
            LETTER.format(
                id=letter_id, title=title, date=f"1916-05-0{n}", sender="Ann Lee", body=body
            ),
            encoding="utf-8",
        )
    path = tmp_path / "cases.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_the_evaluator_judges_each_case_and_skips_absent_archives(tiny: Path) -> None:
    summary = evaluate_cases(tiny, cache=tiny.parent / "cache")
    assert (summary["cases"], summary["run"], summary["skipped"]) == (5, 4, 1)
    assert summary["skipped_cases"] == ["elsewhere"]
    assert summary["archives"]["gone"]["status"] == "skipped"
    failures = {f["name"]: f["reasons"] for f in summary["failures"]}
    assert "phrase-found" not in failures and "correct" not in failures
    assert failures["word-missed"] == ["missed 1/2 must: c"]
    phrase = summary["kinds"]["phrase"]
    assert (phrase["cases"], phrase["passed"], phrase["recall"], phrase["precision"]) == (
        2, 1, round(2 / 3, 4), 1.0)  # fmt: skip
    assert summary["suggestions"]["expected"] == 1
    assert summary["suggestions"]["accuracy"] == (0.0 if "typo" in failures else 1.0)
    assert summary["pass_rate"] == round((4 - len(failures)) / 4, 4)
    report = format_report(summary)
    assert "word-missed" in report and "skipped archive gone" in report


def test_letters_eval_runs_a_case_file_and_gives_json(tiny: Path) -> None:
    cache = str(tiny.parent / "cache")
    result = CliRunner().invoke(cli, ["eval", str(tiny), "--json", "--cache", cache])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["run"] == 4 and summary["skipped"] == 1
    text = CliRunner().invoke(cli, ["eval", str(tiny), "--cache", cache])
    assert text.exit_code == 0 and "failing cases:" in text.stdout


def test_a_malformed_case_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("archives: {a: {path: x}}\ncases:\n  - {name: n, archive: b, kind: k}\n")
    result = CliRunner().invoke(cli, ["eval", str(path)])
    assert result.exit_code != 0 and "'query' (a string) is required" in result.output


def test_the_real_case_file_names_only_letters_its_archives_have() -> None:
    case_file = load_cases(CASES)
    assert len(case_file.cases) >= 80
    assert sum(c.kind == "typo" and c.suggest is not None for c in case_file.cases) >= 40
    present = {n: s for n, s in case_file.archives.items() if s.source.is_dir()}
    if not present:
        pytest.skip("none of the quality set's archives is on this machine")
    for name, spec in present.items():
        ids = planned_ids(spec)
        named = {i for c in case_file.cases if c.archive == name for i in (*c.must, *c.must_not)}
        assert named <= ids, f"{name}: unknown ids {sorted(named - ids)[:10]}"


def test_planned_ids_are_the_ids_the_importer_assigns(tmp_path: Path) -> None:
    """On a few Escher letters of the same days, whose ids the importer makes unique."""
    spec = load_cases(CASES).archives["escher"]
    if not spec.source.is_dir():
        pytest.skip(f"{spec.source} is not on this machine")
    sample = tmp_path / "sample"
    sample.mkdir()
    for path in sorted(spec.source.glob("K_84[0-4]*_1848-10-*.xml")):
        (sample / path.name).symlink_to(path)
    few = ArchiveSpec("few", sample, "import")
    assert import_corpus(few, tmp_path / "corpus") == []
    imported = {p.stem for p in (tmp_path / "corpus" / "letters").glob("*.md")}
    assert len(imported) >= 5 and any(i.endswith("-2") for i in imported)
    assert imported == planned_ids(few)


def test_a_case_is_judged_by_all_its_hits_not_its_first_pages(tmp_path: Path) -> None:
    """1,001 letters hold "harbour"; the one that holds it least is ranked last, beyond the
    first thousand, and is still seen as found."""
    letters = tmp_path / "corpus" / "letters"
    letters.mkdir(parents=True)
    filler = " ".join(f"word{n}" for n in range(200))
    for n in range(1001):
        body = "harbour harbour harbour" if n else f"harbour {filler}"
        (letters / f"l{n:04d}.md").write_text(
            LETTER.format(id=f"l{n:04d}", title="Note", date="1916-05-01", sender="Ann Lee",
                          body=body),
            encoding="utf-8",
        )  # fmt: skip
    path = tmp_path / "cases.yaml"
    path.write_text(
        "archives:\n  big: {path: corpus, format: corpus}\ncases:\n"
        "  - {name: last, archive: big, kind: phrase, query: harbour, must_not: [l0000]}\n"
        "  - {name: all, archive: big, kind: phrase, query: harbour, must: [l0000, l1000]}\n",
        encoding="utf-8",
    )
    summary = evaluate_cases(path, cache=tmp_path / "cache")
    assert [(f["name"], f["total"], f["reasons"]) for f in summary["failures"]] == [
        ("last", 1001, ["found 1 must-not: l0000"])
    ]


@pytest.mark.parametrize(
    "params",
    [{"q": "strike"}, {"q": ""}, {"q": "union", "date_from": "2024-01-01"},
     {"q": "workers", "filters": {"year": ("2024",)}}, {"q": "nosuchword"}],
)  # fmt: skip
def test_matching_ids_are_the_letters_of_every_page(session, params: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    request = SearchRequest(**params)
    pages = session.search_all(request, page_size=2)
    assert session.matching_ids(request) == {hit.id for page in pages for hit in page.hits}
    assert len(session.matching_ids(request)) == pages[0].total

"""Precision of the shared passages beyond the seed letters: a sample of the pairs the detector
reports in 20 Newsgroups (sci.space), each judged by reading both paragraphs
(tests/quality/reuse.yaml: ids, ¶ numbers, judgement; no text copied). The labelled messages
are converted (bench/newsgroups.py) and indexed; every labelled pair must still be reported,
and the share judged shared is the precision README reports."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench import newsgroups
from indexer.archive import Archive
from tests.conftest import REPO, SHARED

SAMPLE = REPO / "tests" / "quality" / "reuse.yaml"
SOURCE = SHARED / "corpora" / "20news-bydate"


def labelled() -> dict[str, object]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def message_path(group: str, number: int) -> Path:
    (path,) = [p for p in SOURCE.glob(f"*/{group}/{number}") if p.is_file()]
    return path


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    if not SOURCE.is_dir():
        pytest.skip("../shared/corpora/20news-bydate is absent")
    corpus = tmp_path_factory.mktemp("reuse-sample")
    letters = corpus / "letters"
    letters.mkdir()
    for pair in labelled()["pairs"]:  # type: ignore[index]
        for side in (pair["a"], pair["b"]):
            message = newsgroups.parse_message(message_path(side["group"], side["number"]))
            letter_id, text = newsgroups.letter_text(message)
            assert letter_id == side["id"]
            (letters / f"{letter_id}.md").write_text(text, encoding="utf-8")
    archive = Archive(corpus / "index")
    report = archive.rebuild(corpus)
    assert not report.errors
    return archive


def test_every_labelled_pair_is_still_reported(sample_archive: Archive) -> None:
    pairs = labelled()["pairs"]
    with sample_archive.session() as session:
        for pair in pairs:  # type: ignore[attr-defined]
            a, b = pair["a"], pair["b"]
            found = {
                (s.other_id, s.other_n) for s in session.shared_passages(a["id"]) if s.n == a["n"]
            }
            assert (b["id"], b["n"]) in found, pair


def test_precision_on_the_labelled_sample_is_the_documented_one() -> None:
    data = labelled()
    pairs = data["pairs"]
    judged = [pair["shared"] for pair in pairs]  # type: ignore[attr-defined]
    assert all(isinstance(j, bool) for j in judged) and len(judged) >= 30
    kinds = [pair["kind"] for pair in pairs]  # type: ignore[attr-defined]
    assert [kind != "none" for kind in kinds] == judged  # a false pair is one of nothing shared
    precision = round(sum(judged) / len(judged), 2)
    assert precision == data["precision"]
    reused = sum(1 for kind in kinds if kind in ("quotation", "repost"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"precision {precision:.2f} on {len(judged)} pairs" in readme
    assert f"{reused} of the {len(judged)} are quotations or reposts" in readme

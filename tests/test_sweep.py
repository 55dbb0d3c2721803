"""The ranking sweep: settings judged by their worst case over collections, beside the reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.ranking_sweep import main
from indexer.engine.collection_index import TUNED, OursParams, run_ours
from indexer.evaluation.collections import Collection
from indexer.evaluation.reference import run_reference
from indexer.evaluation.run import score_run
from indexer.evaluation.sweep import (
    SweepRow,
    best,
    describe,
    format_sweep,
    grid,
    sweep,
    untitled,
)


def collection(name: str, docs: dict[str, tuple[str, str]], queries: dict[str, str]) -> Collection:
    qrels = {qid: {doc: 1} for qid, doc in zip(queries, docs, strict=False)}
    return Collection(name=name, docs=docs, queries=queries, qrels=qrels)


FARM = collection(
    "farm",
    {
        "hay": ("Hay", "Hay is cut in June and dried in the sun before it is stored."),
        "milk": ("Dairy", "Cows give milk twice a day; the milk is cooled and sold."),
        "hens": ("Poultry farming", "Hens lay eggs; a farm keeps hens for eggs and for meat."),
    },
    {"q1": "when is hay cut", "q2": "milk from cows", "q3": "farm eggs"},
)
SEA = collection(
    "sea",
    {
        "tide": ("Tides", "The moon pulls the sea: high tide and low tide twice a day."),
        "salt": ("Salt", "Sea water is salty; salt is won from the sea by the sun."),
        "reef": ("Reefs", "Coral reefs grow in warm shallow sea water."),
    },
    {"q1": "moon and tide", "q2": "salt sea water sun", "q3": "coral in warm water"},
)


def test_grid_is_every_combination_over_the_defaults() -> None:
    settings = grid(k1=(0.9, 1.2), title_boost=(0.0, 0.5))
    assert [(s.k1, s.title_boost) for s in settings] == [
        (0.9, 0.0),
        (0.9, 0.5),
        (1.2, 0.0),
        (1.2, 0.5),
    ]
    assert {(s.b, s.title_b, s.document_idf) for s in settings} == {
        (TUNED.b, TUNED.title_b, TUNED.document_idf)
    }
    assert grid() == [TUNED]
    assert grid(k1=(TUNED.k1, TUNED.k1)) == [TUNED]  # no setting twice


def test_sweep_scores_each_setting_beside_the_reference() -> None:
    settings = [OursParams(), OursParams(k1=0.9, b=0.4, title_boost=0.0)]
    rows = sweep([FARM, SEA], settings)
    assert [row.params for row in rows] == settings
    for row in rows:
        expected = {
            c.name: {
                "ours": score_run(run_ours(c, row.params), c.qrels),
                "reference": score_run(run_reference(c), c.qrels),
            }
            for c in (FARM, SEA)
        }
        assert row.scores == expected
        margins = {
            name: {m: round(s["ours"][m] - s["reference"][m], 4) for m in ("ndcg@10", "map")}
            for name, s in expected.items()
        }
        assert row.margins() == margins
        assert row.margin() == min(v for per in margins.values() for v in per.values())


def scores(ours: float, reference: float) -> dict[str, dict[str, float]]:
    return {
        "ours": {"ndcg@10": ours, "map": ours, "recall@100": 1.0},
        "reference": {"ndcg@10": reference, "map": reference, "recall@100": 1.0},
    }


def test_the_best_setting_has_the_best_worst_case() -> None:
    # a: far ahead on one collection, behind on the other; b: a little ahead on both
    a = SweepRow(OursParams(k1=0.9), {"x": scores(0.80, 0.60), "y": scores(0.30, 0.31)})
    b = SweepRow(OursParams(k1=1.5), {"x": scores(0.62, 0.60), "y": scores(0.32, 0.31)})
    c = SweepRow(OursParams(k1=2.0), {"x": scores(0.62, 0.60), "y": scores(0.32, 0.31)})
    assert (a.margin(), b.margin()) == (pytest.approx(-0.01), pytest.approx(0.01))
    assert best([a, b, c]) is b  # ties go to the earlier row
    table = format_sweep([a, b, c]).splitlines()
    assert table[0] == ("| setting | x nDCG@10 | x MAP | y nDCG@10 | y MAP | margin |")
    assert table[2].endswith(
        "| 0.8000 (0.6000) | 0.8000 (0.6000) | 0.3000 (0.3100) | 0.3000 (0.3100) | -0.0100 |"
    )
    assert table[3].startswith(f"| {describe(b.params)} * |")
    assert "*" not in table[2] + table[4]
    assert describe(OursParams(k1=0.9, b=0.4, title_boost=0.5, title_b=0.0)) == (
        "k1=0.9 b=0.4 title_boost=0.5 title_b=0.0"
    )
    assert describe(OursParams(document_idf=not TUNED.document_idf)).endswith(
        f"document_idf={not TUNED.document_idf}"
    )


def test_the_sweep_command_names_a_missing_collection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--eval", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"no such collection folder: {tmp_path / 'scifact'}, {tmp_path / 'cranfield'}" in err


def test_untitled_moves_each_title_into_its_text() -> None:
    moved = untitled(FARM)
    assert moved.name == "farm-untitled"
    assert moved.docs == {doc: ("", f"{title}\n{text}") for doc, (title, text) in FARM.docs.items()}
    assert (moved.queries, moved.qrels) == (FARM.queries, FARM.qrels)
    assert run_reference(moved) == run_reference(FARM)  # the reference reads title + text
    # a title boost decides this ranking; once the title is in the text, no boost does
    eggs = collection(
        "eggs",
        {
            "titled": ("Eggs", "A long letter about the poultry, the farm and the weather."),
            "text": ("Market", "Eggs were laid; eggs were sold at the market."),
        },
        {"q": "eggs"},
    )
    low, high = OursParams(title_boost=0.0), OursParams(title_boost=5.0)
    assert (run_ours(eggs, low)["q"][0], run_ours(eggs, high)["q"][0]) == ("text", "titled")
    assert run_ours(untitled(eggs), low) == run_ours(untitled(eggs), high)
    assert untitled(collection("bare", {"x": ("", "text")}, {"q": "text"})).docs == {
        "x": ("", "text")
    }

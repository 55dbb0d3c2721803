"""bench/tools_measures.py on the seed letters' index: every reading tool is asked and answers,
its figures are summarised and rendered into the benchmark's table."""

from __future__ import annotations

from pathlib import Path

from bench.fts5 import letter_files
from bench.tools_measures import tools_measures, tools_report
from tests.conftest import CORPUS


def test_every_tool_is_measured_and_reported(index_root: Path) -> None:
    run = {
        "queries": {"ours_full": {"p95_ms": 40.0}},
        "build": {"ours": {"seconds": 2.0, "letters": 5}},
    }
    tools = tools_measures(index_root, letter_files(CORPUS), run, quick=True)
    assert tools["search_full_p95_ms"] == 40.0 and tools["letters_sampled"] == 5
    for key in ("reuse_json", "similar", "set_csv", "set_cmif", "search_grouped", "search_flat"):
        summary = tools[key]
        assert summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"] <= summary["max_ms"]
        assert summary["slowest"].startswith("/")
    assert tools["reuse_json"]["n"] == tools["similar"]["n"] == 5
    assert tools["set_cmif"]["letters"] == 5
    assert {tools["kwic"][k]["n"] for k in ("common", "rare")} == {5}
    assert tools["kwic"]["common"]["letters"] >= tools["kwic"]["rare"]["letters"] >= 1
    batch = tools["batch"]
    assert batch["lines"] == batch["lines_searched"] >= 5 and batch["timed_out"] is False
    bands = tools["band_terms"]
    assert bands["letters_profiled"] == 5 and 0 < bands["share_of_letter_to_document"] < 1
    text = "\n".join(tools_report(tools))
    assert "## Reading tools" in text and "Search (full response) p95 of this run: 40.0 ms" in text
    assert f"| batch of {batch['lines']} lines ({batch['lines_searched']} searched)" in text
    assert tools_report({}) == []
    assert (
        tools_report({"error": "RuntimeError: x"})[1]
        == "Reading tools: not measured (RuntimeError: x)."
    )

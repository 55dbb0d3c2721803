"""How the cost of a query grows with the archive: 20news beside the 190k scaled archive.

The exponent of the cost per query against the archive size, ``log(t_large / t_small) /
log(N_large / N_small)``, per kind and percentile, ours and FTS5's: 1 is linear in the archive
(every query reads every letter), 0 is flat. ``python -m bench.growth`` reads the latest full
20news and scaled results in ``bench/results`` and writes ``latest-growth.md``, with every
target judged on the run of its scale.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from bench.broad_report import fmt
from bench.results_files import write_atomically
from bench.server_process import REPO
from bench.targets import combined_targets_report

PERCENTILES = ("p50", "p95", "p99")
#: (label, where in a run's results, our operation, FTS5's) — FTS5 is always in process
SERIES = (
    ("broad set, in process", "queries_broad", "ours_full", "fts_full"),
    ("HTTP /api/search", "web_kinds.api", "api", None),
    ("HTTP search page", "web_kinds.page", "page", None),
    ("main mix, in process", "queries", "ours_full", "fts_full"),
)


def exponent(t_small: float | None, t_large: float | None, n_small: int, n_large: int) -> Any:
    if not t_small or not t_large or n_large == n_small:
        return None
    return round(math.log(t_large / t_small) / math.log(n_large / n_small), 2)


def _at(result: dict[str, Any], dotted: str) -> dict[str, Any]:
    data: Any = result
    for key in dotted.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def growth(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """Exponents per series, kind (and ``all``), operation and percentile; the sizes."""
    n_small, n_large = small["corpus"]["letters"], large["corpus"]["letters"]
    table: dict[str, Any] = {}
    for label, where, ours, fts in SERIES:
        a, b = _at(small, where), _at(large, where)
        rows: dict[str, Any] = {}
        for kind in [*sorted(set(a.get("by_kind", {})) & set(b.get("by_kind", {}))), "all"]:
            sides = {"ours": ours, "fts5": fts}
            row: dict[str, Any] = {}
            for side, op in sides.items():
                if op is None:
                    continue
                ka = a.get("by_kind", {}).get(kind, {}) if kind != "all" else a
                kb = b.get("by_kind", {}).get(kind, {}) if kind != "all" else b
                for p in PERCENTILES:
                    ta, tb = _ms(ka, op, p), _ms(kb, op, p)
                    e = exponent(ta, tb, n_small, n_large)
                    row[f"{side}_{p}"] = {"small_ms": ta, "large_ms": tb, "exponent": e}
            if any(cell["exponent"] is not None for cell in row.values()):
                rows[kind] = row
        if rows:
            table[label] = rows
    return {
        "small": {"name": small["name"], "date": small["date"], "letters": n_small},
        "large": {"name": large["name"], "date": large["date"], "letters": n_large},
        "series": table,
    }


def _ms(data: dict[str, Any], op: str, p: str) -> float | None:
    value = (data.get(op) or {}).get(f"{p}_ms")
    return float(value) if value is not None else None


def growth_report(g: dict[str, Any]) -> list[str]:
    """Markdown: one table per series; a cell is ``small → large ms (exponent)``."""
    s, large = g["small"], g["large"]
    lines = [
        "",
        f"## Growth: {s['letters']:,} → {large['letters']:,} letters "
        f"({s['name']} of {s['date'][:10]}, {large['name']} of {large['date'][:10]})",
        "",
        "Exponent of the cost per query against the archive size, "
        "log(t_large / t_small) / log(N_large / N_small): 1 grows with the archive, 0 is flat. "
        "Uncached (first sight) in runs that report cached figures apart.",
    ]
    for label, rows in g["series"].items():
        sides = [
            side for side in ("ours", "fts5") if any(f"{side}_p50" in r for r in rows.values())
        ]
        head = [f"{side} {p}" for side in sides for p in PERCENTILES]
        lines += ["", f"### {label}", "", "| kind | " + " | ".join(head) + " |",
                  "|---|" + "---:|" * len(head)]  # fmt: skip
        for kind, row in rows.items():
            cells = [_cell(row.get(f"{side}_{p}")) for side in sides for p in PERCENTILES]
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return lines


def _cell(value: dict[str, Any] | None) -> str:
    if not value or value["exponent"] is None:
        return "–"
    return f"{fmt(value['small_ms'])} → {fmt(value['large_ms'])} ms ({value['exponent']:.2f})"


def latest_full_run(out: Path, name: str) -> dict[str, Any] | None:
    """The newest ``<name>-<date>.json`` of a full run with queries measured per kind."""
    for path in sorted(out.glob(f"{name}-2*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        data = json.loads(path.read_text())
        if any((data.get(key) or {}).get("by_kind") for key in ("queries_broad", "queries")):
            return dict(data)
    return None


def _load(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"cannot read the results {path}: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__)
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--small", type=Path, help="a run's JSON (default: latest 20news)")
    parser.add_argument("--large", type=Path, help="a run's JSON (default: latest scaled)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    small = _load(args.small) if args.small else latest_full_run(out, "20news")
    large = _load(args.large) if args.large else latest_full_run(out, "scaled")
    if small is None or large is None:
        missing = "20news" if small is None else "scaled"
        print(f"no full {missing} run with queries per kind in {out}: run python -m bench"
              + (" --corpus scaled" if missing == "scaled" else ""))  # fmt: skip
        return 1
    report = [*growth_report(growth(small, large)), *combined_targets_report(small, large)]
    text = "\n".join(["# Benchmark growth", *report]) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / "latest-growth.md", text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

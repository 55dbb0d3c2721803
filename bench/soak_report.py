"""The soak test's results: ``soak-<date>.json`` (everything) and ``soak-latest.md``."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from bench.results_files import write_run

ROWS = 12  # samples shown in the Markdown table (evenly spread, first and last included)


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):,.2f}" if values else "–"


def _spread(samples: list[dict[str, Any]], rows: int = ROWS) -> list[dict[str, Any]]:
    if len(samples) <= rows:
        return samples
    step = (len(samples) - 1) / (rows - 1)
    return [samples[round(i * step)] for i in range(rows)]


def markdown(result: dict[str, Any]) -> str:
    m, load, settings, bounds = (
        result["machine"], result["load"], result["settings"], result["bounds"]
    )  # fmt: skip
    first, last = result["baseline"], result["end"]
    updates = [c for c in result["changes"] if c["kind"] == "update"]
    rebuilds = [c for c in result["changes"] if c["kind"] == "rebuild"]
    lat = load["latency"] or {}
    statuses = ", ".join(f"{s}: {n:,}" for s, n in load["statuses"].items())
    lines = [
        f"# Soak test ({result['date']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, Whoosh {m['whoosh']}.",
        f"Corpus: 20 Newsgroups as letters, every {result['corpus']['every']}th message: "
        f"{result['corpus']['letters']:,} letters (index built in "
        f"{result['index']['build_seconds']} s); source digest {result['indexer_digest']}.",
        f"Traffic: {settings['seconds']:g} s of the load test's mix (10% hostile) from "
        f"{settings['clients']} keep-alive clients against `letters serve --workers "
        f"{settings['workers']} --threads {settings['threads']}` on 127.0.0.1; a letter changed "
        f"and `letters index FILE` every {settings['change_every_s']:g} s, `letters index "
        f"--rebuild` at {settings['rebuild_at_s']:g} s.",
        "",
        f"**{'PASS' if result['passed'] else 'FAIL'}**: {load['requests']:,} requests, "
        f"{load['errors']} errors, {load['rps'] or 0:.1f} requests/s; p50 / p95 / p99 / max "
        f"{lat.get('p50_ms', 0):,.0f} / {lat.get('p95_ms', 0):,.0f} / "
        f"{lat.get('p99_ms', 0):,.0f} / {lat.get('max_ms', 0):,.0f} ms. Answers by status: "
        f"{statuses}.",
        f"Changes: {len(updates)} named updates (median "
        f"{_median([c['seconds'] for c in updates])} s; visible to searches after a median of "
        f"{_median([c['visible_after_s'] for c in updates if c['visible_after_s'] is not None])}"
        f" s), {len(rebuilds)} rebuild ({_median([c['seconds'] for c in rebuilds])} s); "
        f"{sum(bool(c['problem']) for c in result['changes'])} failed.",
        "",
        f"Bounds: open files +{bounds['fds']} (idle, before against after the traffic), RSS "
        f"+{bounds['rss_fraction']:.0%} (the end of the traffic against the first sample after "
        f"the {settings['warmup_s']:g} s warm-up).",
    ]
    before, after = result["idle_before"], result["idle_after"]
    if first:
        lines.append(
            f"Open files {before['fds']} → {after['fds']} ({after['fds'] - before['fds']:+d}; "
            f"during the traffic {min(s['fds'] for s in result['samples'])}–"
            f"{max(s['fds'] for s in result['samples'])}, with the clients' sockets); "
            f"RSS {first['rss_kb'] / 1024:,.0f} → {last['rss_kb'] / 1024:,.0f} MB "
            f"({last['rss_kb'] / first['rss_kb'] - 1:+.1%}); summed over "
            f"{last['processes']} processes."
        )
    lines += ["", "| t (s) | open files | RSS (MB) |", "|---:|---:|---:|"]
    for s in _spread(result["samples"]):
        lines.append(f"| {s['t']:,.0f} | {s['fds']} | {s['rss_kb'] / 1024:,.0f} |")
    lines += ["", "| slowest requests | kind | status | ms |", "|---|---|---:|---:|"]
    for t in load["slowest"]:
        target = t["target"] if len(t["target"]) <= 80 else t["target"][:77] + "…"
        target = target.replace("`", "%60").replace("|", "%7C")
        kind = f"{t['kind']} ({t['label']})" if t["label"] else t["kind"]
        lines.append(f"| `{target}` | {kind} | {t['status']} | {t['ms']:,.1f} |")
    if result["problems"]:
        lines += ["", "Problems:", "", *[f"- {p}" for p in result["problems"]]]
    return "\n".join(lines) + "\n"


def write_results(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    name = f"soak-{result['date'][:10]}.json"
    return write_run(out, name, result, markdown(result), "soak-latest.md")

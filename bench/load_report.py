"""The load test's results: the summary of a load phase, the Markdown report, the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.load_client import Outcome
from bench.load_plan import KINDS
from bench.results_files import write_run
from bench.stats import latency_summary


def _kind_summary(outcome: Outcome, kind: str) -> dict[str, Any]:
    times, errors = outcome.latencies[kind], outcome.errors[kind]
    count = len(times) + len(errors)
    return {
        "requests": count,
        "share": round(count / outcome.done, 3) if outcome.done else None,
        "errors": len(errors),
        "rps": round(len(times) / outcome.seconds, 2) if outcome.seconds else None,
        "latency": latency_summary(times) if times else None,
    }


def summarize(outcome: Outcome) -> dict[str, Any]:
    every = [t for kind in KINDS for t in outcome.latencies[kind]]
    examples = sorted({e for kind in KINDS for e in outcome.errors[kind]})[:10]
    return {
        "planned": outcome.planned,
        "requests": outcome.done,
        "ok": outcome.ok,
        "errors": outcome.error_count,
        "error_examples": examples,
        "errors_from_s": round(min(outcome.error_times), 3) if outcome.error_times else None,
        "errors_until_s": round(max(outcome.error_times), 3) if outcome.error_times else None,
        "clients": outcome.clients,
        "seconds": round(outcome.seconds, 3),
        "rps": round(outcome.ok / outcome.seconds, 2) if outcome.seconds else None,
        "stopped_early": outcome.stopped,
        "latency": latency_summary(every) if every else None,
        "kinds": {kind: _kind_summary(outcome, kind) for kind in KINDS},
        "statuses": dict(sorted(outcome.statuses.items())),
        "hostile_unexpected": dict(sorted(outcome.unexpected.items())),
        "slowest": [t.as_dict() for t in sorted(outcome.slowest, reverse=True)],
    }


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _mb(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:,.0f} MB"


def markdown(result: dict[str, Any]) -> str:
    m, load, server = result["machine"], result["load"], result["server"]
    corpus, settings = result["corpus"], result["settings"]
    verdict = "PASS" if result["passed"] else "FAIL"
    lines = [
        f"# Load test: {corpus['kind']} ({result['date']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, Whoosh {m['whoosh']}; "
        f"{m['platform']}.",
        f"Corpus: {corpus['kind']}, {corpus['letters']:,} letters; index "
        f"{result['index']['prepared']}; indexer/webapp source digest {result['indexer_digest']}.",
        f"Server: `letters serve` (waitress, {server.get('workers', 1)} process(es) × "
        f"{server['threads']} threads) on {server['host']}. "
        f"Load: {settings['requests']} requests planned, {load['clients']} keep-alive client "
        f"threads, time limit {settings['seconds']:g} s, {settings['warmup']} warm-up requests "
        f"(not counted), seed {settings['seed']}, plan {result['workload']['plan_sha256']}.",
        "",
        f"**{verdict}**: {load['requests']:,} requests in {load['seconds']:.1f} s, "
        f"{load['errors']} errors, {load['rps'] or 0:.2f} requests/s.",
    ]
    if load["stopped_early"]:
        lines.append(
            f"Stopped early by the {load['stopped_early']}: {load['requests']:,} of "
            f"{load['planned']:,} planned requests were sent."
        )
    warm = result.get("warmup")
    if warm and warm["errors"]:
        lines.append(f"Warm-up: {warm['errors']} errors of {warm['requests']} requests.")
    lines += [
        "",
        "| kind | requests | share | errors | requests/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    labels = {
        "search": "search page `/search?q=`",
        "facet": "facet click `/search?…&recipient=`/`sender=`",
        "letter": "letter page `/letters/<id>`",
        "api": "API `/api/search`",
        "hostile": "hostile (odd queries, bad parameters, odd paths)",
    }
    rows = [(labels[k], load["kinds"][k]) for k in KINDS]
    rows.append(("**all**", {**load, "share": 1.0 if load["requests"] else None}))
    for label, row in rows:
        lat = row["latency"] or {}
        share = "–" if row["share"] is None else f"{row['share']:.0%}"
        lines.append(
            f"| {label} | {row['requests']:,} | {share} | {row['errors']} | "
            f"{row['rps'] or 0:,.2f} | {_ms(lat.get('p50_ms'))} | {_ms(lat.get('p95_ms'))} | "
            f"{_ms(lat.get('p99_ms'))} | {_ms(lat.get('max_ms'))} |"
        )
    lines += [
        "",
        f"Server memory (RSS): idle {_mb(server.get('rss_idle_kb'))}, highest sampled "
        f"{_mb(server.get('rss_max_sampled_kb'))}, peak {_mb(server.get('peak_rss_kb'))}, "
        f"at the end {_mb(server.get('rss_end_kb'))} (limit {_mb(server['memory_limit_kb'])}).",
    ]
    lines += ["", _statuses_line(load), "", *_slowest_lines(load)]
    if load["error_examples"]:
        lines += [
            "",
            f"Errors from {load['errors_from_s']:.1f} s to {load['errors_until_s']:.1f} s after "
            "the start of the load (examples; the server's log is in the JSON):",
            "",
        ]
        lines += [f"- `{e}`" for e in load["error_examples"]]
    if result["notes"]:
        lines += ["", "Notes:", ""]
        lines += [f"- {note}" for note in result["notes"]]
    return "\n".join(lines) + "\n"


def _statuses_line(load: dict[str, Any]) -> str:
    counts = ", ".join(f"{status}: {n:,}" for status, n in load["statuses"].items())
    line = f"Answers by status: {counts or '–'}."
    unexpected = load["hostile_unexpected"]
    if unexpected:
        shown = ", ".join(f"{label} ×{n}" for label, n in unexpected.items())
        line += f" Hostile requests answered otherwise than expected (not errors): {shown}."
    return line


def _slowest_lines(load: dict[str, Any]) -> list[str]:
    lines = ["| slowest requests | kind | status | ms |", "|---|---|---:|---:|"]
    for t in load["slowest"]:
        target = t["target"] if len(t["target"]) <= 80 else t["target"][:77] + "…"
        kind = f"{t['kind']} ({t['label']})" if t["label"] else t["kind"]
        lines.append(f"| `{_code(target)}` | {kind} | {t['status']} | {t['ms']:,.1f} |")
    return lines


def _code(text: str) -> str:
    """A target inside Markdown backticks and a table cell."""
    return text.replace("`", "%60").replace("|", "%7C")


def write_results(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    name = f"{result['name']}-{result['date'][:10]}.json"
    return write_run(out, name, result, markdown(result), "load-latest.md")

"""Markdown tables of the query sets per kind: in process beside FTS5, and over HTTP.

Every table shows first sight (uncached, the headline) with the repeat (cached) apart, the
tail (p95, p99, max) and the slowest query of each kind.
"""

from __future__ import annotations

from typing import Any

PS = ("p50", "p95", "p99", "max")


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value} {unit}".strip()


def _ratio(ours: Any, theirs: Any) -> float | None:
    if ours is None or not theirs:
        return None
    return round(ours / theirs, 2)


def _cells(summary: dict[str, Any] | None) -> str:
    summary = summary or {}
    return " / ".join(fmt(summary.get(f"{p}_ms")) for p in PS)


def _slow(slowest: dict[str, Any] | None) -> str:
    if not slowest:
        return "–"
    q = slowest["q"].replace("|", "\\|").replace("`", "'")
    return f"{slowest['ms']} ms `{q}`"


def _rows_by_kind(data: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(kind, its summaries per operation, its slowest per operation), then ``all``."""
    rows = [
        (kind, ops, (data.get("slowest") or {}).get(kind) or {})
        for kind, ops in (data.get("by_kind") or {}).items()
    ]
    overall = {op: v for op, v in data.items() if isinstance(v, dict) and "p50_ms" in v}
    return [*rows, ("all", overall, data.get("slowest_all") or {})]


def broad_report(broad: dict[str, Any]) -> list[str]:
    """The broad set in process: ours (full response) beside FTS5 (hits + snippet)."""
    if not broad.get("by_kind"):
        return []
    cached = broad.get("cached") or {}
    lines = [
        "",
        "## Broad query set, in process (full response; FTS5: hits + snippet)",
        "",
        f"First sight (uncached): {broad.get('queries')} different queries, each timed once "
        f"after a warm-up on {broad.get('warmup_queries')} others; "
        f"{broad.get('repeated_in_set', 0)} repeats within the set were timed as cached. "
        "Milliseconds.",
        "",
        "| kind | n | ours p50 / p95 / p99 / max | FTS5 p50 / p95 / p99 / max | p95 ratio "
        "| p99 ratio | ours cached p50 / p95 / p99 / max | slowest (ours) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    cached_kinds = cached.get("by_kind") or {}
    for kind, ops, slowest in _rows_by_kind(broad):
        ours, fts = ops.get("ours_full") or {}, ops.get("fts_full") or {}
        again = (cached_kinds.get(kind) or {}) if kind != "all" else cached
        ratios = [fmt(_ratio(ours.get(f"{p}_ms"), fts.get(f"{p}_ms"))) for p in ("p95", "p99")]
        lines.append(
            f"| {kind} | {ours.get('n')} | {_cells(ours)} | {_cells(fts)} | "
            f"{' | '.join(ratios)} | {_cells(again.get('ours_full'))} | "
            f"{_slow(slowest.get('ours_full'))} |"
        )
    return lines + failures_report(broad)


def failures_report(measured: dict[str, Any]) -> list[str]:
    """The queries an operation raised on (their times are left out of the figures)."""
    failed = measured.get("failures") or []
    if not failed:
        return []
    return ["", f"Failed ({len(failed)}, left out of the figures):"] + [
        f"- {f['op']} on `{f['q']}` ({f['kind']}): {f['error'][:200]}" for f in failed[:10]
    ]


def web_kinds_report(kinds: dict[str, Any], broad: dict[str, Any]) -> list[str]:
    """The broad set over HTTP, one request at a time, beside FTS5's in-process figures."""
    if "skipped" in kinds:
        return ["", f"Broad set over HTTP: {kinds['skipped']}"]
    paths = [(name, kinds[name]) for name in ("api", "page") if kinds.get(name)]
    if not paths:
        return []
    fts_kinds = broad.get("by_kind") or {}
    lines = [
        "",
        "## Broad query set over HTTP (waitress, one process, one client, keep-alive)",
        "",
        "`api`: `/api/search`; `page`: the HTML search page. Each path on a server of its own, "
        "warmed on other queries; first sight (uncached) and a repeat (cached). FTS5: hits + "
        "snippet in process, the same queries. Milliseconds.",
        "",
        "| path | kind | n | ours p50 / p95 / p99 / max | FTS5 p50 / p95 / p99 / max | p95 ratio "
        "| p99 ratio | cached p50 / p95 / p99 / max | slowest | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, data in paths:
        cached_kinds = (data.get("cached") or {}).get("by_kind") or {}
        for kind, ops, slowest in _rows_by_kind(data):
            ours = ops.get(name) or {}
            peer = broad if kind == "all" else fts_kinds.get(kind) or {}
            fts = peer.get("fts_full") or {}
            again = cached_kinds.get(kind) if kind != "all" else data.get("cached")
            ratios = [fmt(_ratio(ours.get(f"{p}_ms"), fts.get(f"{p}_ms"))) for p in ("p95", "p99")]
            errors = data.get("errors") if kind == "all" else ""
            lines.append(
                f"| {name} | {kind} | {ours.get('n')} | {_cells(ours)} | {_cells(fts)} | "
                f"{' | '.join(ratios)} | {_cells((again or {}).get(name))} | "
                f"{_slow(slowest.get(name))} | {fmt(errors) if errors != '' else ''} |"
            )
    examples = [e for _n, d in paths for e in d.get("error_examples", [])]
    if examples:
        lines += ["", "Errors, e.g.: " + "; ".join(f"`{e}`" for e in examples[:5])]
    return lines

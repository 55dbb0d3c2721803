"""The performance targets (issue #18 and before), judged on a run's results: met, gap, not
measured, or measured at another scale than the target's.

The query targets are judged on first sight (uncached: :mod:`bench.first_sight`); a results
cache shows only in the ``cached`` figures beside them, never here.
"""

from __future__ import annotations

from typing import Any

from bench.broad_report import fmt

#: the first `letters index` of an empty index is "as fast as --rebuild": within this ratio
FIRST_INDEX_SLACK = 1.1


def scale_of(result: dict[str, Any]) -> str:
    corpus = result["corpus"]
    if corpus["kind"] == "20news" and not corpus["quick"]:
        return "20news"
    if corpus["kind"] == "scaled" and not corpus["quick"] and corpus["letters"] >= 150_000:
        return "190k"
    return f"{corpus['letters']} letters"


def get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data or data[key] is None:
            return None
        data = data[key]
    return data


def _ratio(ours: Any, theirs: Any) -> float | None:
    if ours is None or not theirs:
        return None
    return round(ours / theirs, 2)


def zero_hit_ratio(result: dict[str, Any]) -> float | None:
    """A zero-hit query's p95 (with its suggestion) over the p95 of the broad set's other
    queries (the normal ones), both on first sight."""
    broad = result.get("queries_broad") or {}
    zero = get(broad, "by_kind", "zero_hit", "ours_full", "p95_ms")
    return _ratio(zero, get(broad, "not_zero_hit", "ours_full", "p95_ms"))


def _web_note(web: dict[str, Any]) -> str:
    if "skipped" in web:
        return str(web["skipped"])
    if web.get("stopped_by_memory_limit_kb"):
        return (
            f"load stopped early: server RSS passed {web['stopped_by_memory_limit_kb'] // 1024} MB"
        )
    if web.get("errors"):
        return f"{web['errors']} errors (zero required)"
    if not web:
        return ""
    return f"{web.get('requests')} timed requests, {web.get('different_targets')} different"


def _failures(*sets: dict[str, Any]) -> int | None:
    counted = [len(s["failures"]) for s in sets if "failures" in s]
    return sum(counted) if counted else None


def _failure_note(*sets: dict[str, Any]) -> str:
    failed = [f for s in sets for f in s.get("failures", [])]
    shown = "; ".join(f"{f['op']} `{f['q']}`: {f['error'][:80]}" for f in failed[:3])
    return shown + (f" (and {len(failed) - 3} more)" if len(failed) > 3 else "")


def _sample(every: Any) -> str:
    return "the whole corpus" if every == 1 else f"sample: one message in {every}"


def _mb(kb: Any) -> float | None:
    return round(kb / 1024, 1) if kb else None


def target_rows(result: dict[str, Any]) -> list[tuple[str, str, Any, float, str, str]]:
    """(target, scale, measured value, limit, unit, note) for every target."""
    q, b = result.get("queries") or {}, result.get("queries_broad") or {}
    web, first = result.get("web") or {}, result.get("first_index") or {}
    kinds = result.get("web_kinds") or {}

    def ms(data: Any, op: str, p: str) -> Any:
        return get(data, op, f"{p}_ms")

    def both(data: Any, p: str) -> str:
        return f"ours {fmt(ms(data, 'ours_full', p))} ms, FTS5 {fmt(ms(data, 'fts_full', p))} ms"

    slow = get(b, "slowest_all", "ours_full") or {}
    slowest = f"; slowest {slow['ms']} ms `{slow['q']}` ({slow['kind']})" if slow else ""
    processes = web.get("server_processes") or []
    per_process = ", ".join(f"{_mb(p.get('VmHWM'))}" for p in processes)
    return [
        ("broad set, full response p95 ≤ 3× FTS5 hits+snippet p95", "20news",
         b.get("ratio_full_p95"), 3.0, "×", both(b, "p95")),
        ("broad set, full response p99 ≤ 3× FTS5 hits+snippet p99", "20news",
         b.get("ratio_full_p99"), 3.0, "×", both(b, "p99") + slowest),
        ("main mix, full response p95 ≤ 3× FTS5 hits+snippet p95", "20news",
         q.get("ratio_full_p95"), 3.0, "×", both(q, "p95")),
        ("main mix, full response p99 ≤ 3× FTS5 hits+snippet p99", "20news",
         q.get("ratio_full_p99"), 3.0, "×", both(q, "p99")),
        ("broad set, full response p95 ≤ 150 ms", "190k", ms(b, "ours_full", "p95"), 150.0,
         "ms", ""),
        ("broad set, full response p99 ≤ 300 ms", "190k", ms(b, "ours_full", "p99"), 300.0,
         "ms", slowest.lstrip("; ")),
        ("zero-hit query with its suggestion ≤ 3× a normal query's p95", "any",
         zero_hit_ratio(result), 3.0, "×",
         f"zero-hit p95 {fmt(get(b, 'by_kind', 'zero_hit', 'ours_full', 'p95_ms'))} ms, other "
         f"kinds p95 {fmt(get(b, 'not_zero_hit', 'ours_full', 'p95_ms'))} ms"),
        ("bulk build ≤ 10× FTS5", "any", get(result, "build", "ratio_seconds"), 10.0, "×",
         f"ours {get(result, 'build', 'ours', 'seconds')} s, "
         f"FTS5 {get(result, 'build', 'fts5', 'seconds')} s"),
        (f"first `letters index` of an empty index ≤ {FIRST_INDEX_SLACK}× `--rebuild`", "any",
         first.get("ratio_first_to_rebuild"), FIRST_INDEX_SLACK, "×",
         f"{first.get('letters')} letters ({_sample(first.get('sample_every'))}), "
         f"first {first.get('first_index_s')} s, rebuild {first.get('rebuild_s')} s"
         if first.get("letters") else ""),
        ("facet counts for the whole archive (empty-query response) p95 ≤ 20 ms", "20news",
         get(result, "facets", "ours_response", "p95_ms"), 20.0, "ms",
         f"FTS5 GROUP BY {fmt(get(result, 'facets', 'fts', 'p95_ms'))} ms"),
        ("incremental update of one letter (median) ≤ 200 ms", "any",
         get(result, "update", "ours", "p50_ms"), 200.0, "ms",
         f"max {fmt(get(result, 'update', 'ours', 'max_ms'))} ms (`letters index FILE`)"),
        ("web ≥ 300 search requests/s (2 cores)", "20news", web.get("rps"), 300.0, "rps",
         _web_note(web)),
        ("web p99 ≤ 150 ms", "20news", get(web, "latency", "p99_ms"), 150.0, "ms",
         _web_note(web)),
        ("no query fails in process (main mix, broad set)", "any", _failures(q, b), 0.0, "",
         _failure_note(q, b)),
        ("web errors = 0", "any", web.get("errors"), 0.0, "", _web_note(web)),
        ("web p99 ≤ 500 ms", "190k", get(web, "latency", "p99_ms"), 500.0, "ms",
         _web_note(web)),
        ("broad set over HTTP (/api/search, one client) p99 ≤ 500 ms", "190k",
         get(kinds, "api", "api", "p99_ms"), 500.0, "ms",
         f"search page p99 {fmt(get(kinds, 'page', 'page', 'p99_ms'))} ms"),
        ("server memory (peak RSS) ≤ 300 MB per process", "190k",
         _mb(web.get("server_peak_rss_per_process_max_kb")), 300.0, "MB",
         f"per process: {per_process} MB" if per_process else _web_note(web)),
    ]  # fmt: skip


def evaluate_targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with its measured value and status."""
    scale = scale_of(result)
    targets = []
    for text, target_scale, value, limit, unit, note in target_rows(result):
        if value is None:
            status = "not measured"
        else:
            met = value >= limit if unit == "rps" else value <= limit
            status = "met" if met else "gap"
            if target_scale not in ("any", scale):
                status += f" (at {scale}; target is for {target_scale})"
        targets.append(
            {"target": text, "scale": target_scale, "value": value, "limit": limit,
             "unit": unit, "status": status, "note": note}
        )  # fmt: skip
    return targets


def combined_targets_report(small: dict[str, Any], large: dict[str, Any]) -> list[str]:
    """Markdown: every target beside the value of each run, judged on the run of its scale
    (a target "at any size" on both), so that one table shows all of #18 met or its gap."""
    runs = {scale_of(small): small, scale_of(large): large}
    judged = {name: {t["target"]: t for t in evaluate_targets(run)} for name, run in runs.items()}
    names = list(runs)
    lines = [
        "",
        "## Targets, each judged on the run of its scale",
        "",
        f"| target | {' | '.join(names)} | status |",
        "|---|" + "---:|" * len(names) + "---|",
    ]
    for row in evaluate_targets(small):
        text, scale = row["target"], row["scale"]
        values = [judged[name][text] for name in names]
        cells = [fmt(v["value"], v["unit"]) for v in values]
        if scale == "any":
            status = "; ".join(
                f"{name}: {v['status']}" for name, v in zip(names, values, strict=True)
            )
        elif scale in judged:
            status = judged[scale][text]["status"]
        else:
            status = f"no run at {scale}"
        lines.append(f"| {text} | {' | '.join(cells)} | {status} |")
    return lines

"""The performance targets, judged on a run's results, and the Markdown table of a run."""

from __future__ import annotations

from typing import Any

from bench.tools_measures import tools_report


def _scale(result: dict[str, Any]) -> str:
    corpus = result["corpus"]
    if corpus["kind"] == "20news" and not corpus["quick"]:
        return "20news"
    if corpus["kind"] == "scaled" and not corpus["quick"] and corpus["letters"] >= 150_000:
        return "190k"
    return f"{corpus['letters']} letters"


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data or data[key] is None:
            return None
        data = data[key]
    return data


def evaluate_targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with its measured value and status: met, gap, not measured, or another scale."""
    scale = _scale(result)
    fts_full_p95 = _get(result, "queries", "fts_full", "p95_ms")
    web = result.get("web", {})
    web_rps, web_p99 = _get(web, "rps"), _get(web, "latency", "p99_ms")
    server_mb = web.get("server_peak_rss_kb")
    server_mb = round(server_mb / 1024, 1) if server_mb else None
    rows = [
        (
            "full search response p95 ≤ 3× FTS5 hits+snippet p95",
            "20news",
            _get(result, "queries", "ratio_full_p95"),
            3.0,
            "×",
            f"ours {_get(result, 'queries', 'ours_full', 'p95_ms')} ms, FTS5 {fts_full_p95} ms",
        ),
        (
            "full search response p95 ≤ 150 ms",
            "190k",
            _get(result, "queries", "ours_full", "p95_ms"),
            150.0,
            "ms",
            "",
        ),
        (
            "facet counts for the whole archive (empty-query response) p95 ≤ 20 ms",
            "20news",
            _get(result, "facets", "ours_response", "p95_ms"),
            20.0,
            "ms",
            f"counting alone {_get(result, 'facets', 'ours_counting', 'p95_ms')} ms; "
            f"FTS5 GROUP BY {_get(result, 'facets', 'fts', 'p95_ms')} ms",
        ),
        (
            "bulk build ≤ 10× FTS5",
            "any",
            _get(result, "build", "ratio_seconds"),
            10.0,
            "×",
            f"ours {_get(result, 'build', 'ours', 'seconds')} s, "
            f"FTS5 {_get(result, 'build', 'fts5', 'seconds')} s",
        ),
        (
            "incremental update of one letter (median) ≤ 200 ms",
            "any",
            _get(result, "update", "ours", "p50_ms"),
            200.0,
            "ms",
            f"max {_get(result, 'update', 'ours', 'max_ms')} ms (`letters index FILE`); "
            f"walking the whole corpus: {_get(result, 'update', 'ours_full_scan', 'p50_ms')} ms, "
            f"nothing changed: {_get(result, 'update', 'ours_nothing_changed_ms')} ms",
        ),
        (
            "broad set: full response p95 ≤ 3× FTS5",
            "20news",
            _get(result, "queries_broad", "ratio_full_p95"),
            3.0,
            "×",
            f"ours {_get(result, 'queries_broad', 'ours_full', 'p95_ms')} ms",
        ),
        (
            "broad set: full response p99 ≤ 3× FTS5",
            "20news",
            _get(result, "queries_broad", "ratio_full_p99"),
            3.0,
            "×",
            f"ours {_get(result, 'queries_broad', 'ours_full', 'p99_ms')} ms, slowest "
            f"{_get(result, 'queries_broad', 'slowest', 'ours_full', 'ms')} ms",
        ),
        (
            "zero-hit query with its suggestion ≤ 3× a word query's p95",
            "any",
            zero_hit_ratio(result),
            3.0,
            "×",
            "zero-hit p95 "
            f"{_get(result, 'queries_broad', 'by_kind', 'zero_hit', 'ours_full', 'p95_ms')} ms",
        ),
        ("web ≥ 300 search requests/s", "any", web_rps, 300.0, "rps", _web_note(web)),
        ("web p99 ≤ 150 ms", "any", web_p99, 150.0, "ms", _web_note(web)),
        ("server memory (peak RSS) ≤ 300 MB", "190k", server_mb, 300.0, "MB", _web_note(web)),
    ]
    targets = []
    for text, target_scale, value, limit, unit, note in rows:
        higher_is_better = unit == "rps"
        if value is None:
            status = "not measured"
        else:
            met = value >= limit if higher_is_better else value <= limit
            status = "met" if met else "gap"
            if target_scale not in ("any", scale):
                status += f" (at {scale}; target is for {target_scale})"
        targets.append(
            {
                "target": text,
                "scale": target_scale,
                "value": value,
                "limit": limit,
                "unit": unit,
                "status": status,
                "note": note,
            }
        )
    return targets


def _web_note(web: dict[str, Any]) -> str:
    if "skipped" in web:
        return web["skipped"]
    if web.get("stopped_by_memory_limit_kb"):
        return (
            f"load stopped early: server RSS passed {web['stopped_by_memory_limit_kb'] // 1024} MB"
        )
    if web.get("errors"):
        return f"{web['errors']} errors (zero required)"
    return ""


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value} {unit}".strip()


def markdown_report(result: dict[str, Any]) -> str:
    m, c = result["machine"], result["corpus"]
    lines = [
        f"# Benchmark: {result['name']} ({result['date']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, Whoosh {m['whoosh']}, "
        f"SQLite {m['sqlite']}; {m['platform']}.",
        f"Corpus: {c['kind']}{' (quick)' if c['quick'] else ''}, {c['letters']:,} letters, "
        f"{c['bytes'] / 1e6:.1f} MB. Run took {result.get('bench_seconds', 0):.0f} s; "
        f"indexer/webapp source digest {result.get('indexer_digest', '?')}.",
        "",
        "| measure | ours | SQLite FTS5 | ours / FTS5 |",
        "|---|---:|---:|---:|",
    ]

    def row(label: str, ours: Any, fts: Any, unit: str, ratio_: Any = None) -> None:
        lines.append(f"| {label} | {_fmt(ours, unit)} | {_fmt(fts, unit)} | {_fmt(ratio_)} |")

    b = result.get("build", {})
    bo, bf = b.get("ours", {}), b.get("fts5", {})
    row("bulk build", bo.get("seconds"), bf.get("seconds"), "s", b.get("ratio_seconds"))
    row("build letters/s", bo.get("letters_per_s"), bf.get("letters_per_s"), "")
    row("build MB/s", bo.get("mb_per_s"), bf.get("mb_per_s"), "")
    for label, key, in_mb, ratio_key in (
        ("build peak memory (RSS)", "peak_rss_kb", _mb, "ratio_peak_rss"),
        ("index size on disk", "index_bytes", _mb_bytes, "ratio_index_bytes"),
    ):
        row(label, in_mb(bo.get(key)), in_mb(bf.get(key)), "MB", b.get(ratio_key))
    q = result.get("queries", {})
    for label, ours, fts in (
        ("hits only", "ours_hits", "fts_hits"),
        ("full response (ours: hits+facets+passages; FTS5: hits+snippet)", "ours_full", "fts_full"),
    ):
        for p in ("p50", "p95", "p99"):
            o, f = _get(q, ours, f"{p}_ms"), _get(q, fts, f"{p}_ms")
            row(f"{label} {p}", o, f, "ms", _ratio(o, f))
    f = result.get("facets", {})
    for p in ("p50", "p95"):
        o, t = _get(f, "ours_response", f"{p}_ms"), _get(f, "fts", f"{p}_ms")
        row(f"facet counts, whole archive (empty-query response) {p}", o, t, "ms", _ratio(o, t))
    o = _get(f, "ours_counting", "p95_ms")
    row(
        "facet counts, whole archive (counting alone) p95",
        o,
        _get(f, "fts", "p95_ms"),
        "ms",
        _ratio(o, _get(f, "fts", "p95_ms")),
    )
    u = result.get("update", {})
    o, t = _get(u, "ours", "p50_ms"), _get(u, "fts", "p50_ms")
    row("update one letter, named (median)", o, t, "ms", _ratio(o, t))
    o = _get(u, "ours_full_scan", "p50_ms")
    row("update one letter, walking the corpus (median)", o, t, "ms", _ratio(o, t))
    row("update, nothing changed", u.get("ours_nothing_changed_ms"), None, "ms")
    w = result.get("web", {})
    if "skipped" in w:
        lines.append(f"| web search requests/s | {w['skipped']} | – | – |")
    else:
        row("web search requests/s", w.get("rps"), None, "")
        for p in ("p50", "p95", "p99"):
            row(f"web latency {p}", _get(w, "latency", f"{p}_ms"), None, "ms")
        row("web errors", w.get("errors"), None, "")
        row("server memory (peak RSS)", _mb(w.get("server_peak_rss_kb")), None, "MB")
    lines += [
        "",
        f"Queries: {q.get('queries')} (seeded mix: single words, several words, phrases, "
        f"fielded, with a sender or date filter), {q.get('repeat')} timed passes after a "
        "warm-up; queries without hits (warm-up pass): "
        + ", ".join(f"{k} {v}" for k, v in (q.get("queries_without_hits") or {}).items())
        + ".",
    ]
    if "skipped" not in w and w:
        lines.append(
            f"Web: {w.get('requests')} requests to /api/search from {w.get('clients')} "
            f"client threads (keep-alive), waitress with {w.get('server_workers', 1)} "
            f"process(es) × {w.get('server_threads')} threads, {w.get('seconds')} s; server "
            "memory summed over its processes."
        )
    lines += broad_report(result.get("queries_broad") or {})
    lines += tools_report(result.get("tools") or {})
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | status | note |",
        "|---|---:|---|---|",
    ]
    for t in result.get("targets", []):
        lines.append(
            f"| {t['target']} | {_fmt(t['value'], t['unit'])} | {t['status']} | {t['note']} |"
        )
    if result.get("notes"):
        lines += ["", "Notes:", *[f"- {n}" for n in result["notes"]]]
    return "\n".join(lines) + "\n"


def broad_report(broad: dict[str, Any]) -> list[str]:
    """The broad query set per kind: the tail (p95, p99, max) beside FTS5's, and the slowest."""
    if not broad.get("by_kind"):
        return []
    lines = [
        "",
        "## Broad query set (full response; FTS5: hits + snippet)",
        "",
        "| kind | queries × passes | ours p50 / p95 / p99 / max ms | FTS5 p50 / p95 / p99 / max ms "
        "| p95 ratio | p99 ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, ops in broad["by_kind"].items():
        ours, fts = ops.get("ours_full", {}), ops.get("fts_full", {})
        cells = [
            " / ".join(_fmt(side.get(f"{p}_ms")) for p in ("p50", "p95", "p99", "max"))
            for side in (ours, fts)
        ]
        ratios = [_fmt(_ratio(ours.get(f"{p}_ms"), fts.get(f"{p}_ms"))) for p in ("p95", "p99")]
        lines.append(
            f"| {kind} | {ours.get('n')} | {cells[0]} | {cells[1]} | {' | '.join(ratios)} |"
        )
    all_ours, all_fts = broad.get("ours_full", {}), broad.get("fts_full", {})
    lines.append(
        f"| all | {all_ours.get('n')} | "
        + " / ".join(_fmt(all_ours.get(f"{p}_ms")) for p in ("p50", "p95", "p99", "max"))
        + " | "
        + " / ".join(_fmt(all_fts.get(f"{p}_ms")) for p in ("p50", "p95", "p99", "max"))
        + f" | {_fmt(broad.get('ratio_full_p95'))} | {_fmt(broad.get('ratio_full_p99'))} |"
    )
    slow = (broad.get("slowest") or {}).get("ours_full")
    if slow:
        lines += ["", f"Slowest full response: {slow['ms']} ms for `{slow['q']}` ({slow['kind']})."]
    return lines


def zero_hit_ratio(result: dict[str, Any]) -> float | None:
    """A zero-hit query's p95 (with its suggestion) over the p95 of the other broad queries."""
    broad = result.get("queries_broad") or {}
    zero = _get(broad, "by_kind", "zero_hit", "ours_full", "p95_ms")
    words = _get(broad, "by_kind", "word", "ours_full", "p95_ms")
    return _ratio(zero, words)


def _mb(kb: int | None) -> float | None:
    return round(kb / 1024, 1) if kb else None


def _mb_bytes(size: int | None) -> float | None:
    return round(size / 1e6, 1) if size else None


def _ratio(ours: Any, theirs: Any) -> float | None:
    if ours is None or not theirs:
        return None
    return round(ours / theirs, 2)

"""The Markdown report of a run: each measure beside FTS5, the query sets per kind, growth,
and the targets (judged by :mod:`bench.targets`)."""

from __future__ import annotations

from typing import Any

from bench.broad_report import broad_report, failures_report, fmt, web_kinds_report
from bench.growth import growth_report
from bench.targets import get as _get
from bench.tools_measures import tools_report


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
        lines.append(f"| {label} | {fmt(ours, unit)} | {fmt(fts, unit)} | {fmt(ratio_)} |")

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
        row("server memory (peak RSS), summed", _mb(w.get("server_peak_rss_kb")), None, "MB")
        row(
            "server memory (peak RSS), largest process",
            _mb(w.get("server_peak_rss_per_process_max_kb")),
            None,
            "MB",
        )
    lines += [
        "",
        f"Queries: {q.get('queries')} (seeded mix: single words, several words, phrases, "
        "fielded, with a sender or date filter), each timed once on first sight (uncached) "
        f"after a warm-up on {q.get('warmup_queries')} other queries; cached (a repeat): full "
        f"response p95 {_get(q, 'cached', 'ours_full', 'p95_ms')} ms, p99 "
        f"{_get(q, 'cached', 'ours_full', 'p99_ms')} ms; queries without hits: "
        + ", ".join(f"{k} {v}" for k, v in (q.get("without_hits") or {}).items())
        + ".",
    ]
    if "skipped" not in w and w:
        lines.append(
            f"Web: {w.get('requests')} different requests (main mix kinds, another seed; none "
            f"repeated) to /api/search from {w.get('clients')} "
            f"client threads (keep-alive), waitress with {w.get('server_workers', 1)} "
            f"process(es) × {w.get('server_threads')} threads, {w.get('seconds')} s; server "
            "memory summed over its processes and of the largest."
        )
    lines += failures_report(q)
    lines += broad_report(result.get("queries_broad") or {})
    lines += web_kinds_report(result.get("web_kinds") or {}, result.get("queries_broad") or {})
    if result.get("growth"):
        lines += growth_report(result["growth"])
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
            f"| {t['target']} | {fmt(t['value'], t['unit'])} | {t['status']} | {t['note']} |"
        )
    if result.get("notes"):
        lines += ["", "Notes:", *[f"- {n}" for n in result["notes"]]]
    return "\n".join(lines) + "\n"


def _mb(kb: int | None) -> float | None:
    return round(kb / 1024, 1) if kb else None


def _mb_bytes(size: int | None) -> float | None:
    return round(size / 1e6, 1) if size else None


def _ratio(ours: Any, theirs: Any) -> float | None:
    if ours is None or not theirs:
        return None
    return round(ours / theirs, 2)

"""What the reading tools cost (issue #17), beside the search p95 of the same run.

Each tool is asked through the web app in-process (Flask's test client on the run's index: the
routes, the engine and the rendering, without sockets), so a number is what a reader waits for
less the network:

- the concordance (``/kwic``) of a common and of a rare word of the corpus;
- a batch of :data:`BATCH_LINES` lines (``/batch``, JSON), in total and per line;
- ``/letters/<id>/reuse.json`` and ``/api/letters/<id>/similar`` (what each letter page adds)
  over :data:`LETTERS` letters drawn with a fixed seed;
- the working-set downloads of :data:`SET_SIZE` letters (``/set.csv``, ``/set.cmif.xml``);
- the search page with its near-duplicate grouping, and with ``group=0``;
- the index-time cost of the reuse band terms (MinHash of every passage): their time per letter
  on sampled letters, against reading and analysing the same letters into index documents, and
  as a share of the run's bulk build.

Every figure comes with p50/p95/p99/max (a mean hides the slow letter), and the slowest case.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.logs import log
from bench.stats import latency_summary, ratio

SEED = 17
LETTERS = 200  # letters whose reuse.json and similar list are asked (quick: a quarter)
BATCH_LINES = 500
SET_SIZE = 100
KWIC_REPEAT = 5
PROFILE_LETTERS = 300  # letters analysed for the band terms' share of index time
CANDIDATE_WORDS = 40  # words of sampled titles, searched to find a common and a rare one


def tools_measures(
    index_root: Path, files: Sequence[Path], result: dict[str, Any], quick: bool = False
) -> dict[str, Any]:
    """The reading tools' latencies on the run's index (``files``: the corpus's letters)."""
    from webapp import create_app

    client = create_app({"INDEX_PATH": str(index_root)}).test_client()
    rng = random.Random(SEED)
    ids = _letter_ids(client)
    sample = rng.sample(ids, min(len(ids), LETTERS // 4 if quick else LETTERS))
    out: dict[str, Any] = {
        "search_full_p95_ms": (result.get("queries") or {}).get("ours_full", {}).get("p95_ms"),
        "letters_sampled": len(sample),
    }
    words = _words(client, sample, rng)
    log(f"  concordance: common word {words['common']!r}, rare word {words['rare']!r} …")
    out["kwic"] = {
        kind: {"word": word, "letters": total, **_timed(client, [f"/kwic?q={word}"] * KWIC_REPEAT)}
        for kind, (word, total) in (
            ("common", (words["common"], words["common_total"])),
            ("rare", (words["rare"], words["rare_total"])),
        )
    }
    log(f"  batch of {BATCH_LINES} lines …")
    out["batch"] = _batch(client, _batch_lines(client, ids, rng))
    log(f"  reuse.json and similar letters of {len(sample)} letters …")
    out["reuse_json"] = _timed(client, [f"/letters/{i}/reuse.json" for i in sample])
    out["similar"] = _timed(client, [f"/api/letters/{i}/similar" for i in sample])
    chosen = rng.sample(ids, min(len(ids), SET_SIZE))
    query = "&".join(f"id={i}" for i in chosen)
    log(f"  working set of {len(chosen)} letters as CSV and CMIF …")
    out["set_csv"] = {"letters": len(chosen), **_timed(client, [f"/set.csv?{query}"] * 5)}
    out["set_cmif"] = {"letters": len(chosen), **_timed(client, [f"/set.cmif.xml?{query}"] * 5)}
    common = words["common"]
    out["search_grouped"] = _timed(client, [f"/search?q={common}&per_page=100"] * 5)
    out["search_flat"] = _timed(client, [f"/search?q={common}&per_page=100&group=0"] * 5)
    log("  reuse band terms at index time …")
    out["band_terms"] = band_terms_share(files, rng, result)
    search_p95 = out["search_full_p95_ms"]
    for key in ("reuse_json", "similar"):
        out[key]["ratio_p95_to_search_p95"] = ratio(out[key]["p95_ms"], search_p95)
    return out


def _timed(client: Any, urls: list[str]) -> dict[str, Any]:
    """Latency summary of GETting each URL once, and the slowest; a non-200 answer is an error."""
    seconds: list[float] = []
    slowest = ("", 0.0)
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        taken = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        seconds.append(taken)
        if taken > slowest[1]:
            slowest = (url, taken)
    return {**latency_summary(seconds), "slowest": slowest[0][:200]}


def _letter_ids(client: Any) -> list[str]:
    """Every letter id, newest first (the empty search, page by page)."""
    ids: list[str] = []
    page = 1
    while True:
        data = client.get(f"/api/search?per_page=100&page={page}&group=0").get_json()
        ids += [hit["id"] for hit in data["hits"]]
        if page >= data["pages"]:
            return ids
        page += 1


def _words(client: Any, sample: list[str], rng: random.Random) -> dict[str, Any]:
    """A common and a rare word of the corpus: title words of sampled letters, counted."""
    titles: list[str] = []
    for letter_id in sample[:CANDIDATE_WORDS]:
        titles += client.get(f"/api/letters/{letter_id}").get_json().get("title", "").split()
    words = sorted({w.lower() for w in titles if w.isalpha() and len(w) >= 5})
    counted = []
    for word in rng.sample(words, min(len(words), CANDIDATE_WORDS)):
        counted.append((client.get(f"/api/search?q={word}&per_page=1").get_json()["total"], word))
    counted.sort()
    rare = next(((n, w) for n, w in counted if n >= 3), counted[0])
    common = counted[-1]
    return {"common": common[1], "common_total": common[0], "rare": rare[1], "rare_total": rare[0]}


def _batch_lines(client: Any, ids: list[str], rng: random.Random) -> list[str]:
    """:data:`BATCH_LINES` distinct lines: the senders and title words of random letters."""
    lines: dict[str, None] = {}
    for letter_id in rng.sample(ids, min(len(ids), BATCH_LINES * 2)):
        letter = client.get(f"/api/letters/{letter_id}").get_json()
        for text in [*(letter.get("senders") or [])[:1], *letter.get("title", "").split()[:2]]:
            if len(text) >= 4 and len(lines) < BATCH_LINES:
                lines[text.replace('"', "")] = None
        if len(lines) >= BATCH_LINES:
            break
    return list(lines)


def _batch(client: Any, lines: list[str]) -> dict[str, Any]:
    start = time.perf_counter()
    response = client.post("/batch", data={"queries": "\n".join(lines), "format": "json"})
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"/batch answered {response.status_code}")
    data = json.loads(response.data)
    reached = [line for line in data["lines"] if line.get("total") is not None]
    return {
        "lines": len(lines),
        "lines_searched": len(reached),
        "timed_out": data.get("timed_out"),
        "total_s": round(seconds, 2),
        "per_line_ms": round(seconds * 1000 / max(1, len(reached)), 2),
    }


def band_terms_share(
    files: Sequence[Path], rng: random.Random, result: dict[str, Any]
) -> dict[str, Any]:
    """The reuse band terms' time per letter beside reading and analysing the same letters
    into index documents (the band terms included), and as a share of the bulk build."""
    from indexer.engine.reuse import band_terms
    from indexer.engine.schema import to_document
    from indexer.letters.letter import load_letter

    chosen = rng.sample(list(files), min(len(files), PROFILE_LETTERS))
    bands: list[float] = []
    documents: list[float] = []
    for path in chosen:
        start = time.perf_counter()
        letter = load_letter(path)
        to_document(letter)
        documents.append(time.perf_counter() - start)
        texts = [p.text for p in letter.passages]
        start = time.perf_counter()
        band_terms(texts)
        bands.append(time.perf_counter() - start)
    per_letter = sum(bands) / len(bands)
    build = (result.get("build") or {}).get("ours") or {}
    build_s, letters = build.get("seconds"), build.get("letters")
    return {
        "letters_profiled": len(chosen),
        "band_terms": latency_summary(bands),
        "letter_to_document": latency_summary(documents),
        "share_of_letter_to_document": round(sum(bands) / sum(documents), 3),
        "share_of_bulk_build": (
            round(per_letter * letters / build_s, 3) if build_s and letters else None
        ),
    }


def tools_report(tools: dict[str, Any]) -> list[str]:
    """The reading tools' rows for the benchmark's Markdown table."""
    if not tools:
        return []  # not measured, not shown
    if "error" in tools:
        return ["", f"Reading tools: not measured ({tools['error']})."]

    def cells(data: dict[str, Any]) -> str:
        return " / ".join(f"{data[f'{p}_ms']:,}" for p in ("p50", "p95", "p99", "max"))

    lines = [
        "",
        "## Reading tools",
        "",
        f"Search (full response) p95 of this run: {tools['search_full_p95_ms']} ms.",
        "",
        "| tool | p50 / p95 / p99 / max ms | slowest |",
        "|---|---:|---|",
    ]
    for kind in ("common", "rare"):
        k = tools["kwic"][kind]
        label = f"concordance, {kind} word `{k['word']}` ({k['letters']} letters)"
        lines.append(f"| {label} | {cells(k)} | |")
    for key, label in (
        ("reuse_json", f"reuse.json per letter ({tools['letters_sampled']} letters)"),
        ("similar", "similar letters per letter"),
        ("set_csv", f"working set of {tools['set_csv']['letters']} letters as CSV"),
        ("set_cmif", f"working set of {tools['set_cmif']['letters']} letters as CMIF"),
        ("search_grouped", "search page, 100 hits, near-duplicates grouped"),
        ("search_flat", "search page, 100 hits, `group=0`"),
    ):
        lines.append(f"| {label} | {cells(tools[key])} | `{tools[key]['slowest']}` |")
    b = tools["batch"]
    lines.append(
        f"| batch of {b['lines']} lines ({b['lines_searched']} searched) | total {b['total_s']} s, "
        f"{b['per_line_ms']} ms a line | |"
    )
    t = tools["band_terms"]
    lines.append(
        f"| reuse band terms at index time ({t['letters_profiled']} letters) | "
        f"{cells(t['band_terms'])} a letter; {t['share_of_letter_to_document']:.0%} of reading "
        f"and analysing a letter, {_share(t['share_of_bulk_build'])} of the bulk build | |"
    )
    return lines


def _share(value: float | None) -> str:
    return "?" if value is None else f"{value:.0%}"

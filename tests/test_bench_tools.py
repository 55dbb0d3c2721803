"""The benchmark's tools: the 20news converter, the FTS5 peer, the query mix, the statistics.

Fast and without timing assertions; the benchmark itself (``python -m bench``) is not run here.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from indexer.letters.letter import load_letter

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # bench/ is not installed: import it from the checkout
    sys.path.insert(0, str(REPO_ROOT))

from bench import newsgroups  # noqa: E402
from bench.broad_queries import BROAD_MIX, build_broad_mix  # noqa: E402
from bench.fts5 import Fts5Index, available, letter_files, quote_term, read_letter  # noqa: E402
from bench.queries import MIX, build_mix  # noqa: E402
from bench.report import markdown_report  # noqa: E402
from bench.stats import latency_summary, percentile, ratio  # noqa: E402
from bench.targets import evaluate_targets  # noqa: E402

REAL = newsgroups.SOURCE

FAKE_MESSAGES = {
    ("train", "sci.space", 60001): (
        b"From: pgf@space.mit.edu (Peter G. Ford)\n"
        b"Subject: Re: Voyager images\n"
        b"Organization: MIT Center for Space Research\n"
        b"Lines: 7\n\n"
        b"In article <abc.123@host.edu>, someone writes:\n"
        b">#12) The compressed image format\n"
        b"> is not supported.\n\n"
        b"#1 rule: use 3 < 4 and <b>bold</b>.\n\n"
        b"Peter\n"
    ),
    ("train", "sci.space", 60002): (
        b"From: caf\xe9@example.org (Ren\xe9 Caf\xe9)\n"  # Latin-1, not UTF-8
        b"Subject: Orbital\n"
        b"  mechanics\n"  # a folded header line
        b"Lines: 2\n\n"
        b"Orbital mechanics of the shuttle launch.\n"
    ),
    ("test", "rec.autos", 60001): (
        b"From: driver@cars.example\nSubject: \nOrganization: Cars Inc.\n\n\n\n"
    ),
}


def write_source(root: Path) -> Path:
    for (split, group, number), data in FAKE_MESSAGES.items():
        folder = root / f"20news-bydate-{split}" / group
        folder.mkdir(parents=True, exist_ok=True)
        (folder / str(number)).write_bytes(data)
    return root


def files_of(corpus: Path) -> dict[str, bytes]:
    return {str(p.relative_to(corpus)): p.read_bytes() for p in sorted(corpus.rglob("*.md"))}


@pytest.fixture
def fake_corpus(tmp_path: Path) -> Path:
    source = write_source(tmp_path / "source")
    out = tmp_path / "corpus"
    assert len(list(newsgroups.convert(out, source=source))) == 3
    return out


# -- the converter -----------------------------------------------------------------------------


def test_converted_letters_load_with_the_mapping(fake_corpus: Path) -> None:
    letters = {p.name: load_letter(p, root=fake_corpus) for p in fake_corpus.rglob("*.md")}
    assert set(letters) == {
        "1993-05-22-sci-space-60001.md",
        "1993-05-23-sci-space-60002.md",
        "1993-05-22-rec-autos-60001.md",
    }
    ford = letters["1993-05-22-sci-space-60001.md"]
    assert ford.id == "1993-05-22-sci-space-60001"
    assert ford.title == "Re: Voyager images"
    assert ford.senders == ["pgf@space.mit.edu (Peter G. Ford)"]
    assert [p.name for p in ford.signatories] == ["pgf@space.mit.edu (Peter G. Ford)"]
    assert [p.name for p in ford.recipients] == ["sci.space"]
    assert (ford.type, ford.language) == ("usenet post", "en")
    assert ford.place == "MIT Center for Space Research"
    assert ford.date == ford.date_from == ford.date_to == "1993-05-22"  # 60001 % 365 = 141 days
    texts = [p.text for p in ford.passages]
    assert texts[0] == "In article <abc.123@host.edu>, someone writes:"  # no mail link
    assert texts[1].startswith("#12) The compressed")  # a quoted '#' is not a heading
    assert texts[2] == "#1 rule: use 3 < 4 and <b>bold</b>."  # nor raw HTML

    latin = letters["1993-05-23-sci-space-60002.md"]
    assert latin.senders == ["café@example.org (René Café)"]
    assert latin.title == "Orbital mechanics"
    assert latin.place == ""  # no Organization header

    empty = letters["1993-05-22-rec-autos-60001.md"]
    assert empty.title == "(no subject)"
    assert [p.text for p in empty.passages] == ["(empty message)"]


def test_conversion_is_deterministic(tmp_path: Path) -> None:
    source = write_source(tmp_path / "source")
    for name in ("a", "b"):
        list(newsgroups.convert(tmp_path / name, source=source, scale=2))
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert len(files_of(tmp_path / "a")) == 6


def test_scaled_variants_shift_dates_and_vary_senders(tmp_path: Path) -> None:
    source = write_source(tmp_path / "source")
    out = tmp_path / "scaled"
    list(newsgroups.convert(out, source=source, scale=3))
    variants = sorted(
        (load_letter(p) for p in out.rglob("*sci-space-60001*.md")), key=lambda x: x.id
    )
    assert [v.id for v in variants] == [
        "1993-05-22-sci-space-60001",
        "1994-05-22-sci-space-60001-v1",
        "1995-05-22-sci-space-60001-v2",
    ]
    assert [v.senders[0] for v in variants] == [
        "pgf@space.mit.edu (Peter G. Ford)",
        "pgf1@space.mit.edu (Peter G. Ford)",
        "pgf2@space.mit.edu (Peter G. Ford)",
    ]
    assert newsgroups.vary_sender("Anonymous", 4) == "Anonymous 4"


def test_converter_cli_writes_letters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_source(tmp_path / "source")
    assert newsgroups.main([str(tmp_path / "out"), "--source", str(source), "--every", "2"]) == 0
    assert "wrote 2 letters" in capsys.readouterr().out


@pytest.mark.skipif(not REAL.is_dir(), reason=f"no 20news corpus at {REAL}")
def test_real_20news_messages_convert_to_valid_letters(tmp_path: Path) -> None:
    source = tmp_path / "source"
    picked = []
    for split in ("20news-bydate-train", "20news-bydate-test"):
        for group in ("alt.atheism", "comp.graphics", "sci.crypt", "talk.politics.mideast"):
            folder = REAL / split / group
            first = sorted(folder.iterdir(), key=lambda p: p.name)[:2]
            for path in first:
                target = source / split / group / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                picked.append(path)
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    written = list(newsgroups.convert(out_a, source=source))
    list(newsgroups.convert(out_b, source=source))
    assert len(written) == len(picked) == 16
    assert files_of(out_a) == files_of(out_b)
    for path in written:
        letter = load_letter(path, root=out_a)
        message = newsgroups.parse_message(
            next(
                p
                for p in picked
                if p.name == letter.id.rsplit("-", 1)[-1]
                and p.parent.name == letter.recipients[0].name
            )
        )
        assert letter.title == " ".join(message.headers["subject"].split()) or "(no subject)"
        assert letter.senders == [" ".join(message.headers["from"].split())]
        assert letter.type == "usenet post"
        assert letter.passages


# -- the FTS5 peer -----------------------------------------------------------------------------


@pytest.mark.skipif(not available(), reason="this SQLite has no FTS5")
def test_fts5_peer_answers_queries_filters_counts_and_updates(
    fake_corpus: Path, tmp_path: Path
) -> None:
    db = Fts5Index(tmp_path / "peer.db")
    files = letter_files(fake_corpus)
    assert db.build(files, fake_corpus) == 3 == db.doc_count()

    hits = db.search('"compressed" "images"', snippets=True)
    assert [h.id for h in hits] == ["1993-05-22-sci-space-60001"]
    assert "<mark>compressed</mark>" in hits[0].snippet

    assert [h.id for h in db.search('"orbital"')] == ["1993-05-23-sci-space-60002"]  # porter stem
    assert db.search('"orbit"', sender="nobody") == []
    assert db.search('"orbit"', date_from="1993-06-01", date_to="1993-12-31") == []
    assert len(db.search('"orbit"', date_from="1993-05-01", date_to="1993-05-31")) == 1
    assert db.search('title : "voyager"')[0].id == "1993-05-22-sci-space-60001"

    facets = db.facet_counts()
    assert dict(facets["recipient"]) == {"sci.space": 2, "rec.autos": 1}
    assert facets["year"] == [("1993", 3)]
    assert facets["type"] == [("usenet post", 3)]

    changed = next(p for p in files if p.name.startswith("1993-05-23"))
    changed.write_text(changed.read_text() + "\nA new word: heliopause.\n")
    db.update_file(changed, fake_corpus)
    assert db.doc_count() == 3
    assert [h.id for h in db.search('"heliopause"')] == ["1993-05-23-sci-space-60002"]
    assert len(db.search('"orbital"')) == 1  # the old row is gone
    db.close()


def test_peer_reads_front_matter_like_ours(fake_corpus: Path) -> None:
    path = next(fake_corpus.rglob("1993-05-22-sci-space-60001.md"))
    peer, ours = read_letter(path), load_letter(path)
    assert (peer.id, peer.title, peer.senders) == (ours.id, ours.title, ours.senders)
    assert (peer.date_from, peer.date_to) == (ours.date_from, ours.date_to)
    assert ("recipient", "sci.space") in peer.facets


# -- the query mix -----------------------------------------------------------------------------


def test_query_mix_is_seeded_and_complete(fake_corpus: Path) -> None:
    files = letter_files(fake_corpus)
    mix = {"single": 3, "multi": 2, "phrase": 2, "fielded": 2, "filtered": 2}
    first, second = build_mix(files, mix=mix), build_mix(files, mix=mix)
    assert first == second
    assert sorted(q.kind for q in first) == sorted(k for k, n in mix.items() for _ in range(n))
    for query in first:
        assert query.q and query.match
        if query.kind == "filtered":
            assert query.sender or (query.date_from and query.date_to)
    assert sum(MIX.values()) == 200


def test_broad_set_is_seeded_and_has_every_kind(fake_corpus: Path) -> None:
    files = letter_files(fake_corpus)
    first, second = build_broad_mix(files), build_broad_mix(files)
    assert first == second
    assert Counter(q.kind for q in first) == Counter(BROAD_MIX)
    peer_words = {w for f in files for w in read_letter(f).body.lower().split()}
    for query in first:
        if query.kind == "zero_hit":
            assert query.q not in peer_words
        if query.kind == "facet":
            assert query.filters["year"] == (query.date_from[:4],)  # type: ignore[index]
        if query.kind == "pair":
            a, b = query.q.split()
            assert a != b and query.match == f"{quote_term(a)} AND {quote_term(b)}"


# -- statistics and the report -----------------------------------------------------------------


def test_percentile_interpolates_like_numpy() -> None:
    values = [15, 20, 35, 40, 50]
    assert percentile(values, 0) == 15
    assert percentile(values, 100) == 50
    assert percentile(values, 50) == 35
    assert percentile(values, 40) == pytest.approx(29.0)
    assert percentile([3, 1, 2, 4], 50) == 2.5  # unsorted input, even count
    assert percentile([7], 99) == 7
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_latency_summary_and_ratio() -> None:
    summary = latency_summary([0.001, 0.002, 0.003, 0.004])
    assert summary["n"] == 4
    assert summary["p50_ms"] == 2.5
    assert summary["max_ms"] == 4.0
    assert ratio(10, 4) == 2.5
    assert ratio(1, 0) is None
    assert ratio(None, 3) is None


def _summary(p50: float, p95: float, p99: float, top: float, n: int = 2) -> dict[str, Any]:
    values = (float(p50), float(p95), float(p99), float(top))  # as measured: floats
    return {"n": n, **dict(zip(("p50_ms", "p95_ms", "p99_ms", "max_ms"), values, strict=True))}


def test_targets_are_judged_and_reported() -> None:
    result = {
        "name": "20news",
        "date": "2026-01-01T00:00:00",
        "machine": {
            "cpu": "cpu",
            "cores": 2,
            "python": "3.11",
            "platform": "linux",
            "sqlite": "3",
            "whoosh": "2.7.4",
        },
        "corpus": {"kind": "20news", "quick": False, "letters": 18846, "bytes": 36_000_000},
        "build": {"ours": {"seconds": 50.0}, "fts5": {"seconds": 10.0}, "ratio_seconds": 5.0},
        "queries": {
            "ours_full": {"p95_ms": 40.0},
            "fts_full": {"p95_ms": 10.0},
            "ratio_full_p95": 4.0,
        },
        "facets": {"ours_response": {"p95_ms": 12.0}},
        "update": {"ours": {"p50_ms": 150.0}},
        "web": {"skipped": "web app not measurable: not there"},
        "first_index": {"letters": 10, "sample_every": 16, "first_index_s": [2.0, 2.1],
                        "rebuild_s": [1.0, 1.1], "ratio_first_to_rebuild": 2.0},
    }  # fmt: skip
    targets = {t["target"]: t["status"] for t in evaluate_targets(result)}
    assert targets["bulk build ≤ 10× FTS5"] == "met"
    assert targets["main mix, full response p95 ≤ 3× FTS5 hits+snippet p95"] == "gap"
    assert targets["first `letters index` of an empty index ≤ 1.1× `--rebuild`"] == "gap"
    assert targets["broad set, full response p95 ≤ 150 ms"] == "not measured"
    assert targets["web ≥ 300 search requests/s (2 cores)"] == "not measured"
    assert targets["server memory (peak RSS) ≤ 300 MB per process"] == "not measured"
    result["targets"] = evaluate_targets(result)
    text = markdown_report(result)
    assert "| bulk build | 50.00 s | 10.00 s | 5.00 |" in text
    assert "web app not measurable" in text
    assert "Broad query set" not in text  # not measured, not shown
    word = {"ours_full": _summary(10, 20, 40, 50), "fts_full": _summary(5, 5, 10, 10)}
    zero = {"ours_full": _summary(30, 80, 90, 90), "fts_full": _summary(1, 1, 1, 1)}
    result["queries_broad"] = {
        "queries": 4,
        "warmup_queries": 2,
        "by_kind": {"word": word, "zero_hit": zero},
        "not_zero_hit": {"ours_full": _summary(10, 20, 40, 50)},
        "ours_full": _summary(20, 80, 90, 90, 4),
        "fts_full": _summary(3, 5, 10, 10, 4),
        "ratio_full_p95": 16.0,
        "ratio_full_p99": 9.0,
        "slowest": {"zero_hit": {"ours_full": {"ms": 90.0, "kind": "zero_hit", "q": "qwxzv"}}},
        "slowest_all": {"ours_full": {"ms": 90.0, "kind": "zero_hit", "q": "qwxzv"}},
        "cached": {"by_kind": {"word": {"ours_full": _summary(1, 2, 3, 4)}}},
    }
    result["web"] = {
        "rps": 320.0, "latency": {"p99_ms": 140.0}, "errors": 0, "requests": 10,
        "different_targets": 10, "server_peak_rss_per_process_max_kb": 400 * 1024,
        "server_processes": [{"pid": 1, "VmHWM": 50 * 1024}, {"pid": 2, "VmHWM": 400 * 1024}],
    }  # fmt: skip
    result["queries"]["failures"] = [  # type: ignore[index]
        {"op": "ours_full", "kind": "multi", "q": "prove argue", "error": "IndexError: x"}
    ]
    targets = {t["target"]: t for t in evaluate_targets(result)}
    failed = targets["no query fails in process (main mix, broad set)"]
    assert (failed["value"], failed["status"], failed["note"]) == (
        1,
        "gap",
        "ours_full `prove argue`: IndexError: x",
    )
    zero_target = targets["zero-hit query with its suggestion ≤ 3× a normal query's p95"]
    assert (zero_target["value"], zero_target["status"]) == (4.0, "gap")
    assert targets["web ≥ 300 search requests/s (2 cores)"]["status"] == "met"
    assert targets["web p99 ≤ 150 ms"]["status"] == "met"
    assert targets["web errors = 0"]["status"] == "met"
    memory = targets["server memory (peak RSS) ≤ 300 MB per process"]
    assert (memory["value"], memory["status"], memory["note"]) == (
        400.0,
        "gap (at 20news; target is for 190k)",
        "per process: 50.0, 400.0 MB",
    )
    result["targets"] = list(targets.values())
    text = markdown_report(result)
    assert (
        "| word | 2 | 10.00 / 20.00 / 40.00 / 50.00 | 5.00 / 5.00 / 10.00 / 10.00 | 4.00 | 4.00 "
        "| 1.00 / 2.00 / 3.00 / 4.00 | – |" in text
    )
    assert (
        "| zero_hit | 2 | 30.00 / 80.00 / 90.00 / 90.00 | 1.00 / 1.00 / 1.00 / 1.00 | 80.00 "
        in text
    )
    assert "| 90.0 ms `qwxzv` |" in text
    assert "- ours_full on `prove argue` (multi): IndexError: x" in text

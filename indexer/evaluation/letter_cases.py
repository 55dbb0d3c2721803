"""The letters quality set: searches a careful user would make, and what they expect to find.

A case file (YAML, ``tests/quality/letters.yaml``) names archives and cases. Each case is one
search on one archive with the letters it MUST find, those it MUST NOT find and, for a
misspelling, the "did you mean" suggestion expected. The expectations come from reading the
letters, not from what the engine does, so a failing case is a fault to fix (or a case to
argue with), never noise.

The archives are built the way a person would build them: ``letters import`` (its library
function :func:`indexer.formats.importer.import_file`) into a corpus folder, then an index
through the facade :class:`indexer.archive.Archive`; both are cached by
:mod:`indexer.evaluation.letter_archives`. Searches go through the facade only.
"""

from __future__ import annotations

import tempfile
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.archive import Archive
from indexer.evaluation.letter_archives import ArchiveSpec, CaseFileError, built_index
from indexer.request import FACETS, SearchRequest

CASE_KEYS = {
    "name", "archive", "kind", "query", "filters", "from", "to", "must", "must_not",
    "suggest", "no_suggestion", "note",
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    name: str
    archive: str
    kind: str
    query: str
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    suggest: str | None = None  # the expected "did you mean"
    no_suggestion: bool = False  # a correct query: any suggestion is wrong
    note: str = ""

    def request(self) -> SearchRequest:
        return SearchRequest(
            q=self.query,
            filters=dict(self.filters),
            date_from=self.date_from,
            date_to=self.date_to,
            per_page=100,
        )


@dataclass(frozen=True)
class CaseFile:
    archives: dict[str, ArchiveSpec]
    cases: list[Case]


@dataclass
class CaseResult:
    case: Case
    found: set[str]
    total: int
    suggestion: str | None
    reasons: list[str]

    @property
    def passed(self) -> bool:
        return not self.reasons


def load_cases(path: str | Path) -> CaseFile:
    """Read and check a case file; archive paths are relative to the file's folder."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CaseFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("archives"), dict):
        raise CaseFileError(f"{path}: needs 'archives' (a mapping) and 'cases' (a list)")
    archives = {
        str(name): ArchiveSpec.from_yaml(str(name), spec, path.parent)
        for name, spec in data["archives"].items()
    }
    raw_cases = data.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise CaseFileError(f"{path}: 'cases' must be a non-empty list")
    cases = [_case(path, n, raw, archives) for n, raw in enumerate(raw_cases, 1)]
    names = [c.name for c in cases]
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        raise CaseFileError(f"{path}: case names used twice: {', '.join(doubles)}")
    return CaseFile(archives, cases)


def _case(path: Path, n: int, raw: Any, archives: dict[str, ArchiveSpec]) -> Case:
    where = f"{path}: case {n}"
    if not isinstance(raw, dict):
        raise CaseFileError(f"{where}: not a mapping")
    unknown = sorted(set(raw) - CASE_KEYS)
    if unknown:
        raise CaseFileError(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in ("name", "archive", "kind", "query"):
        if not isinstance(raw.get(key), str):
            raise CaseFileError(f"{where}: '{key}' (a string) is required")
    if raw["archive"] not in archives:
        raise CaseFileError(f"{where}: unknown archive {raw['archive']!r}")
    filters = raw.get("filters") or {}
    if not isinstance(filters, dict) or not set(filters) <= set(FACETS):
        raise CaseFileError(f"{where}: filters must be a mapping of {', '.join(FACETS)}")

    def ids(key: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CaseFileError(f"{where}: '{key}' must be a list of letter ids")
        return tuple(value)

    case = Case(
        name=raw["name"],
        archive=raw["archive"],
        kind=raw["kind"],
        query=raw["query"],
        filters={k: tuple(v if isinstance(v, list) else [v]) for k, v in filters.items()},
        date_from=_optional_str(raw.get("from")),
        date_to=_optional_str(raw.get("to")),
        must=ids("must"),
        must_not=ids("must_not"),
        suggest=_optional_str(raw.get("suggest")),
        no_suggestion=bool(raw.get("no_suggestion", False)),
        note=str(raw.get("note", "")),
    )
    if set(case.must) & set(case.must_not):
        raise CaseFileError(f"{where} ({case.name}): a letter is both must and must_not")
    if not (case.must or case.must_not or case.suggest or case.no_suggestion):
        raise CaseFileError(f"{where} ({case.name}): expects nothing")
    return case


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def same_words(a: str | None, b: str | None) -> bool:
    """Suggestions compared as a reader would: case, accents and spacing aside."""

    def norm(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())

    return a is not None and b is not None and norm(a) == norm(b)


def run_case(session: Any, case: Case) -> CaseResult:
    """One search through an :class:`~indexer.archive.ArchiveSession`, judged by its whole
    hit set (a must-not letter on the last page is as wrong as one on the first)."""
    result = session.search(case.request())
    found = session.matching_ids(case.request())
    suggestion = result.suggestion
    reasons = []
    missed = [i for i in case.must if i not in found]
    if missed:
        reasons.append(f"missed {len(missed)}/{len(case.must)} must: {', '.join(missed)}")
    unwanted = [i for i in case.must_not if i in found]
    if unwanted:
        reasons.append(f"found {len(unwanted)} must-not: {', '.join(unwanted)}")
    if case.suggest and not same_words(suggestion, case.suggest):
        reasons.append(f"suggested {suggestion!r}, expected {case.suggest!r}")
    if case.no_suggestion and suggestion:
        reasons.append(f"suggested {suggestion!r} for a correct query")
    return CaseResult(case, found, result.total, suggestion, reasons)


def evaluate_cases(
    path: str | Path,
    cache: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run every case of the file; archives whose source folder is absent are skipped.

    ``cache`` keeps imported corpora and indexes between runs (default: a fresh temporary
    folder each time). Returns the summary described in ``tests/quality/README.md``.
    """
    started = time.perf_counter()
    case_file = load_cases(path)
    if cache is None:
        with tempfile.TemporaryDirectory(prefix="letters-eval-") as temporary:
            return _evaluate(case_file, Path(temporary), progress, started)
    return _evaluate(case_file, Path(cache), progress, started)


def _evaluate(
    case_file: CaseFile,
    cache: Path,
    progress: Callable[[str], None] | None,
    started: float,
) -> dict[str, Any]:
    results: list[CaseResult] = []
    archives: dict[str, dict[str, Any]] = {}
    skipped: list[Case] = []
    for name, spec in case_file.archives.items():
        cases = [c for c in case_file.cases if c.archive == name]
        if not spec.source.is_dir():
            archives[name] = {"status": "skipped", "reason": f"{spec.source}: no such folder"}
            skipped.extend(cases)
            continue
        if not cases:
            continue
        clock = time.perf_counter()
        index_root, letters = built_index(spec, cache, progress)
        with Archive(index_root, search_seconds=30.0).session() as session:
            results.extend(run_case(session, case) for case in cases)
        archives[name] = {
            "status": "run",
            "letters": letters,
            "cases": len(cases),
            "seconds": round(time.perf_counter() - clock, 1),
        }
    return summarise(results, skipped, archives, time.perf_counter() - started)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(
    results: list[CaseResult],
    skipped: list[Case],
    archives: dict[str, dict[str, Any]],
    seconds: float,
) -> dict[str, Any]:
    """Pass rate, suggestion accuracy and per-kind precision/recall of the must sets."""
    kinds: dict[str, dict[str, Any]] = {}
    for kind in sorted({r.case.kind for r in results}):
        of_kind = [r for r in results if r.case.kind == kind]
        must = sum(len(r.case.must) for r in of_kind)
        hit = sum(len(set(r.case.must) & r.found) for r in of_kind)
        wrong = sum(len(set(r.case.must_not) & r.found) for r in of_kind)
        passed = sum(r.passed for r in of_kind)
        kinds[kind] = {
            "cases": len(of_kind),
            "passed": passed,
            "pass_rate": _ratio(passed, len(of_kind)),
            "recall": _ratio(hit, must),
            "precision": _ratio(hit, hit + wrong),
        }
    expecting = [r for r in results if r.case.suggest]
    correct = sum(same_words(r.suggestion, r.case.suggest) for r in expecting)
    correct_queries = [r for r in results if r.case.no_suggestion]
    passed = sum(r.passed for r in results)
    return {
        "cases": len(results) + len(skipped),
        "run": len(results),
        "skipped": len(skipped),
        "passed": passed,
        "pass_rate": _ratio(passed, len(results)),
        "suggestions": {
            "expected": len(expecting),
            "correct": correct,
            "accuracy": _ratio(correct, len(expecting)),
            "correct_queries": len(correct_queries),
            "unwanted": sum(bool(r.suggestion) for r in correct_queries),
        },
        "kinds": kinds,
        "archives": archives,
        "failures": [
            {
                "name": r.case.name,
                "archive": r.case.archive,
                "kind": r.case.kind,
                "query": r.case.query,
                "total": r.total,
                "suggestion": r.suggestion,
                "reasons": r.reasons,
            }
            for r in results
            if not r.passed
        ],
        "skipped_cases": [c.name for c in skipped],
        "seconds": round(seconds, 1),
    }


def format_report(summary: dict[str, Any]) -> str:
    """The summary as plain text: totals, one line per kind, then each failing case."""

    def pct(value: float | None) -> str:
        return "   -  " if value is None else f"{100 * value:5.1f}%"

    sugg = summary["suggestions"]
    lines = [
        f"letters quality set: {summary['run']} cases run, {summary['skipped']} skipped, "
        f"{summary['passed']} passed ({pct(summary['pass_rate']).strip()}), "
        f"{summary['seconds']:.1f} s",
        f"suggestions: {sugg['correct']}/{sugg['expected']} as expected "
        f"({pct(sugg['accuracy']).strip()}); {sugg['unwanted']}/{sugg['correct_queries']} "
        "correct queries got an unwanted suggestion",
        f"{'kind':<16} {'cases':>5} {'passed':>6} {'pass':>6} {'precision':>9} {'recall':>7}",
    ]
    for kind, row in summary["kinds"].items():
        lines.append(
            f"{kind:<16} {row['cases']:>5} {row['passed']:>6} {pct(row['pass_rate'])} "
            f"{pct(row['precision']):>9} {pct(row['recall']):>7}"
        )
    for name, archive in summary["archives"].items():
        if archive["status"] == "skipped":
            lines.append(f"skipped archive {name}: {archive['reason']}")
        else:
            lines.append(
                f"archive {name}: {archive['letters']} letters, {archive['cases']} cases, "
                f"{archive['seconds']:.1f} s"
            )
    if summary["failures"]:
        lines.append("failing cases:")
    for failure in summary["failures"]:
        lines.append(
            f"  [{failure['kind']}] {failure['name']} ({failure['archive']}): "
            f"{failure['query']!r} -> {failure['total']} letters"
        )
        lines.extend(f"      {reason}" for reason in failure["reasons"])
    return "\n".join(lines)

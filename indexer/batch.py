"""Batch search: a list of queries (names, words, phrases) run with the same filters, each
answered with its number of letters and the first of them.

Journalists and researchers arrive with lists — the people in a leaked spreadsheet, the
companies of a register — and want to know which of them the archive knows. :func:`read_queries`
takes pasted text (one query per line) or a CSV file (the column named query, q, name, search
or term, else the first), :func:`run_batch` searches each line exactly as the search page would
(the same :class:`SearchRequest`, so counts equal single searches) and stops at a time limit,
marking the lines it did not reach. The CLI (``letters batch``) and ``/batch`` share it.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from indexer.links import Links
from indexer.request import MAX_QUERY_CHARS, BadRequest, SearchRequest
from indexer.results import SearchResult

MAX_QUERIES = 1_000
DEFAULT_FIRST = 3
MAX_FIRST = 10
BATCH_SECONDS = 60.0
QUERY_COLUMNS = ("query", "q", "name", "search", "term")


class SearchesLetters(Protocol):
    """The part of an archive session a batch needs."""

    def search(self, request: SearchRequest) -> SearchResult: ...


@dataclass(frozen=True)
class LineResult:
    """One line of the batch: its search's result, or why it was not searched."""

    number: int  # the query's line (1 = the first query)
    query: str
    result: SearchResult | None = None
    problem: str = ""  # a query that could not be searched, or "not reached (time limit)"

    @property
    def total(self) -> int | None:
        return self.result.total if self.result else None


@dataclass
class BatchResult:
    template: SearchRequest  # the filters every line shares (its q is empty)
    lines: list[LineResult] = field(default_factory=list)
    timed_out: bool = False

    @property
    def found(self) -> int:
        """How many lines find at least one letter."""
        return sum(1 for line in self.lines if line.total)

    def to_json(self, links: Links) -> dict[str, Any]:
        return {
            "filters": {k: list(v) for k, v in self.template.filters.items()},
            "from": self.template.date_from,
            "to": self.template.date_to,
            "queries": len(self.lines),
            "found": self.found,
            "timed_out": self.timed_out,
            "lines": [
                {
                    "line": line.number,
                    "query": line.query,
                    "total": line.total,
                    "problem": line.problem or None,
                    "search_url": links.search(self.line_request(line)) if line.result else None,
                    "hits": (line.result.to_json(links)["hits"] if line.result is not None else []),
                }
                for line in self.lines
            ],
        }

    def line_request(self, line: LineResult) -> SearchRequest:
        """The full search of one line (all its letters, page 1)."""
        return replace(self.template, q=line.query, page=1, per_page=10)


def read_queries(text: str, filename: str = "") -> list[str]:
    """The queries of pasted text or of an uploaded file: CSV when its name ends in .csv or
    its first row names a query column (``name,country``), else one query per line."""
    if filename.lower().endswith(".csv") or _query_header(text):
        queries = _csv_queries(text)
    else:
        queries = [line.strip() for line in text.splitlines()]
    queries = [q for q in queries if q]
    if len(queries) > MAX_QUERIES:
        raise BadRequest(
            f"a batch has at most {MAX_QUERIES:,} queries, this one {len(queries):,}", "queries"
        )
    return queries


def _query_header(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    cells = [cell.strip().casefold() for cell in next(csv.reader([first]), [])]
    return len(cells) > 1 and any(name in cells for name in QUERY_COLUMNS)


def _csv_queries(text: str) -> list[str]:
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().casefold() for cell in rows[0]]
    named = next((header.index(name) for name in QUERY_COLUMNS if name in header), None)
    column, data = (named, rows[1:]) if named is not None else (0, rows)
    return [row[column].strip() for row in data if column < len(row)]


def run_batch(
    session: SearchesLetters,
    queries: Iterable[str],
    template: SearchRequest,
    first: int = DEFAULT_FIRST,
    seconds: float = BATCH_SECONDS,
    progress: Callable[[int], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> BatchResult:
    """Search every query with the template's filters; lines after ``seconds`` are not run."""
    batch = BatchResult(replace(template, q="", page=1))
    deadline = clock() + seconds
    for number, query in enumerate(queries, start=1):
        if batch.timed_out or clock() > deadline:
            batch.timed_out = True
            batch.lines.append(LineResult(number, query, problem="not reached (time limit)"))
            continue
        if len(query) > MAX_QUERY_CHARS:
            problem = f"too long ({len(query)} characters; at most {MAX_QUERY_CHARS})"
            batch.lines.append(LineResult(number, query, problem=problem))
            continue
        line = replace(template, q=query, page=1, per_page=first, counts=False)
        result = session.search(line)
        batch.lines.append(LineResult(number, query, result))
        if progress:
            progress(number)
    return batch

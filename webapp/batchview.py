"""What the batch page shows, as plain data: the form as it was sent, and a row per query with
its count, its first letters (the search page's own hit views) and the link to its search."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indexer.batch import DEFAULT_FIRST, BatchResult
from indexer.request import last_value
from webapp.links import RouteLinks
from webapp.searchview import HitView, hits


@dataclass(frozen=True)
class BatchLineView:
    number: int
    query: str
    total: int | None
    problem: str
    search_url: str | None
    hits: list[HitView] = field(default_factory=list)


def form_view(params: dict[str, list[str]], text: str, error: str = "") -> dict[str, Any]:
    """The form with what was typed, the filters it carries, and the message of a bad part."""
    filters = [
        (name, value)
        for name, values in params.items()
        if name not in ("from", "to")
        for value in values
        if value.strip()
    ]
    return {
        "error": error,
        "queries_text": text,
        "form": {
            "from": last_value(params.get("from", ())),
            "to": last_value(params.get("to", ())),
        },
        "filters": filters,
        "first_default": DEFAULT_FIRST,
        "batch": None,
        "rows": [],
    }


def results_view(batch: BatchResult) -> dict[str, Any]:
    links = RouteLinks()
    rows = [
        BatchLineView(
            number=line.number,
            query=line.query,
            total=line.total,
            problem=line.problem,
            search_url=links.search(batch.line_request(line)) if line.result else None,
            hits=hits(line.result, links.letter) if line.result else [],
        )
        for line in batch.lines
    ]
    return {"batch": batch, "rows": rows}

"""Search results as CSV (one row per hit) or as the search JSON, over all result pages."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from indexer.links import Links
from indexer.results import SearchResult

CSV_COLUMNS = (
    "id",
    "title",
    "date",
    "date_from",
    "date_to",
    "senders",
    "recipients",
    "type",
    "language",
    "passages",
    "url",
)
SEPARATOR = "; "


def csv_row(hit: Mapping[str, Any]) -> dict[str, str]:
    """One hit of the search JSON as a CSV row: lists joined by "; "."""
    recipients = [
        r.get("name", "") if isinstance(r, Mapping) else str(r) for r in hit.get("recipients", ())
    ]
    return {
        "id": hit["id"],
        "title": hit.get("title") or "",
        "date": hit.get("date") or "",
        "date_from": hit.get("date_from") or "",
        "date_to": hit.get("date_to") or "",
        "senders": SEPARATOR.join(hit.get("senders", ())),
        "recipients": SEPARATOR.join(recipients),
        "type": hit.get("type") or "",
        "language": hit.get("language") or "",
        "passages": SEPARATOR.join(str(p["n"]) for p in hit.get("passages", ())),
        "url": hit["url"],
    }


def csv_text(hits: Iterable[Mapping[str, Any]]) -> str:
    """Hits as CSV text (RFC 4180: header row, CRLF line ends, quoting where needed)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for hit in hits:
        writer.writerow(csv_row(hit))
    return out.getvalue()


def results_json(results: Sequence[SearchResult], links: Links) -> dict[str, Any]:
    """The search JSON of the first page with the hits of all the given pages.

    For a search whose hits fit on the first page this is exactly the search JSON of that page.
    """
    if not results:
        raise ValueError("no result pages")
    data = results[0].to_json(links)
    data["hits"] = [hit for result in results for hit in result.to_json(links)["hits"]]
    return data


CONCORDANCE_COLUMNS = ("id", "title", "date", "paragraph", "left", "match", "right", "url")


def concordance_csv(lines: Iterable[Any], links: Links, q: str) -> str:
    """Concordance lines (:class:`indexer.concordance.Line`) as CSV, each with its ¶ link."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CONCORDANCE_COLUMNS)
    writer.writeheader()
    for line in lines:
        writer.writerow(
            {
                "id": line.letter_id,
                "title": line.title,
                "date": line.date or "",
                "paragraph": line.n,
                "left": line.left,
                "match": line.match,
                "right": line.right,
                "url": links.passage(line.letter_id, line.n, q),
            }
        )
    return out.getvalue()


BATCH_COLUMNS = ("line", "query", "letters", "first_letters", "search_url", "problem")


def batch_csv(batch: dict[str, Any]) -> str:
    """A batch's JSON (:meth:`indexer.batch.BatchResult.to_json`) as CSV, a row per query."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BATCH_COLUMNS)
    writer.writeheader()
    for line in batch["lines"]:
        writer.writerow(
            {
                "line": line["line"],
                "query": line["query"],
                "letters": "" if line["total"] is None else line["total"],
                "first_letters": SEPARATOR.join(hit["url"] for hit in line["hits"]),
                "search_url": line["search_url"] or "",
                "problem": line["problem"] or "",
            }
        )
    return out.getvalue()

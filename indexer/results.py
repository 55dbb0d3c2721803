"""Search results as plain data, and their JSON form (``letters search --json``, the web API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indexer.links import Links
from indexer.request import SearchRequest


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool
    label: str = ""  # what people read; the value itself unless an authority names it
    key: str = ""  # the identity key (TEI @ref/@key) when the value is one
    excluded: bool = False  # left out of the search (``-sender=…``)

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.value)


@dataclass(frozen=True)
class DateCounts:
    """Matching letters in each part of the one period a search's dates select: the months
    of a year, or the days of a month (a letter counts in every part its date touches)."""

    period: str
    counts: list[tuple[str, int]]


@dataclass
class PassageHit:
    n: int
    snippet: str  # HTML: matched words in <mark>, everything else escaped


@dataclass
class Hit:
    id: str
    title: str
    date: str | None
    date_from: str | None
    date_to: str | None
    senders: list[str]
    signatories: list[dict[str, str]]
    recipients: list[dict[str, str]]
    type: str
    language: str
    place: str
    score: float | None
    passages: list[PassageHit] = field(default_factory=list)
    transcribed: bool = True  # False: a record of the letter, without its text
    duplicates: list[Duplicate] = field(default_factory=list)  # folded under it (same page)


@dataclass(frozen=True)
class Duplicate:
    """A hit folded under a higher-ranked hit of the same page whose letter it nearly repeats
    (:mod:`indexer.letters.duplicates`)."""

    id: str
    title: str
    date_from: str | None
    date_to: str | None
    similarity: float  # the two letters' likeness, from the duplicates' threshold to 1


@dataclass(frozen=True)
class SharedPassage:
    """Passage ¶``n`` of a letter recurs as ¶``other_n`` of letter ``other_id`` (text re-use)."""

    n: int
    other_id: str
    other_n: int
    similarity: float  # share of the shorter passage's wording in the other, 0.5 to 1
    other_title: str = ""


@dataclass(frozen=True)
class SimilarLetter:
    """A letter about the same things (by its distinctive words), not a copy of this one."""

    id: str
    title: str
    date_from: str | None  # the letter's first and last possible day (None: undated)
    date_to: str | None
    score: float


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None  # the corrected query ("did you mean")
    suggestion_total: int | None = None  # letters the corrected query finds
    explain: str = ""
    fallback: bool = False
    timed_out: bool = False  # the search hit its time limit; hits and counts are partial
    unknown_fields: list[str] = field(default_factory=list)  # ``name:`` of no field: words
    notes: list[str] = field(default_factory=list)  # how the query was read, for people
    also_searched: list[str] = field(default_factory=list)  # terms the concepts added
    date_counts: DateCounts | None = None  # the selected year's months or month's days
    undated: int = 0  # matching letters without a date, whatever the date filter

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    def to_json(self, links: Links) -> dict[str, Any]:
        """The documented JSON shape, with each hit's and passage's address from ``links``."""
        request = self.request
        return {
            "query": request.q,
            "explain": self.explain,
            "fallback": self.fallback,
            "timed_out": self.timed_out,
            "unknown_fields": list(self.unknown_fields),
            "notes": list(self.notes),
            "concepts": request.concepts,
            "also_searched": list(self.also_searched),
            "filters": {k: list(v) for k, v in request.filters.items()},
            "exclude": {k: list(v) for k, v in request.exclude.items()},
            "from": request.date_from,
            "to": request.date_to,
            "undated": request.undated,
            "sort": request.sort,
            "group": request.group,
            "total": self.total,
            "page": request.page,
            "per_page": request.per_page,
            "pages": self.pages,
            "suggestion": self.suggestion,
            "suggestion_total": self.suggestion_total,
            "undated_count": self.undated,
            "date_counts": (
                {
                    "period": self.date_counts.period,
                    "values": [{"value": v, "count": n} for v, n in self.date_counts.counts],
                }
                if self.date_counts
                else None
            ),
            "hits": [hit_json(h, request.q, links) for h in self.hits],
            "facets": {
                name: [
                    {
                        "value": c.value,
                        "label": c.label,
                        "key": c.key or None,
                        "count": c.count,
                        "selected": c.selected,
                        "excluded": c.excluded,
                    }
                    for c in counts
                ]
                for name, counts in self.facets.items()
            },
        }


def hit_json(hit: Hit, q: str, links: Links) -> dict[str, Any]:
    """One hit as the search JSON has it (the exports read this shape too)."""
    return {
        "id": hit.id,
        "title": hit.title,
        "date": hit.date,
        "date_from": hit.date_from,
        "date_to": hit.date_to,
        "senders": hit.senders,
        "signatories": hit.signatories,
        "recipients": hit.recipients,
        "type": hit.type,
        "language": hit.language,
        "place": hit.place,
        "score": round(hit.score, 4) if hit.score is not None else None,
        "url": links.letter(hit.id),
        "passages": [
            {"n": p.n, "snippet": p.snippet, "url": links.passage(hit.id, p.n, q)}
            for p in hit.passages
        ],
        "duplicates": [
            {"id": d.id, "title": d.title, "similarity": d.similarity, "url": links.letter(d.id)}
            for d in hit.duplicates
        ],
    }

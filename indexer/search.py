"""One function answers a search: hits with passages, facet counts and a spelling suggestion.

The result is plain data (:class:`SearchResult`) whose :meth:`~SearchResult.to_json` is the
documented JSON shape shared by ``letters search --json`` and the web API.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from whoosh import query as wq
from whoosh import sorting
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.analysis import WORD_PATTERN, fold, text_analyzer
from indexer.facets import FacetCount, count_facets, selection_sets, value_postings
from indexer.query import ParsedQuery, parse_query
from indexer.request import SearchRequest
from indexer.schema import FACET_FIELDS, date_number
from indexer.snippets import Highlight, best_passages, mark

PROSE_FIELDS = {"title", "summary", "body"}
NAME_FIELDS = ("sender", "signatory", "recipient", "cc", "place", "reference")
_PROSE = text_analyzer()
SPELLING_SUGGEST_BELOW = 3  # offer "did you mean" when fewer hits than this


@dataclass
class PassageHit:
    n: int
    snippet: str  # HTML: matched words in <mark>, everything else escaped
    url: str


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
    url: str
    passages: list[PassageHit] = field(default_factory=list)


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None
    explain: str = ""
    fallback: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    def to_json(self) -> dict[str, Any]:
        request = self.request
        return {
            "query": request.q,
            "explain": self.explain,
            "fallback": self.fallback,
            "filters": {k: list(v) for k, v in request.filters.items()},
            "from": request.date_from,
            "to": request.date_to,
            "sort": request.sort,
            "total": self.total,
            "page": request.page,
            "per_page": request.per_page,
            "pages": self.pages,
            "suggestion": self.suggestion,
            "hits": [_hit_json(h) for h in self.hits],
            "facets": {
                name: [
                    {"value": c.value, "label": c.value, "count": c.count, "selected": c.selected}
                    for c in counts
                ]
                for name, counts in self.facets.items()
            },
        }


def _hit_json(hit: Hit) -> dict[str, Any]:
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
        "url": hit.url,
        "passages": [{"n": p.n, "snippet": p.snippet, "url": p.url} for p in hit.passages],
    }


def letter_url(letter_id: str) -> str:
    return f"/letters/{quote(letter_id)}"


def passage_url(letter_id: str, n: int, q: str = "") -> str:
    query = f"?{urlencode({'q': q})}" if q else ""
    return f"{letter_url(letter_id)}{query}#p{n}"


def search(searcher: Searcher, request: SearchRequest) -> SearchResult:
    """Answer a search request against an open Whoosh searcher."""
    reader = searcher.reader()
    parsed = parse_query(request.q, searcher.schema)
    base = _matching_docs(searcher, parsed, request)
    postings = {facet: value_postings(reader, facet) for facet in FACET_FIELDS}
    selections = selection_sets(postings, request.filters)
    docs = set(base)
    for chosen in selections.values():
        docs &= chosen
    facets = count_facets(base, postings, request.filters, selections)
    hits = _page_of_hits(searcher, parsed, request, docs)
    suggestion = _suggest(searcher, parsed, len(docs))
    return SearchResult(
        request=request,
        total=len(docs),
        hits=hits,
        facets=facets,
        suggestion=suggestion,
        explain=parsed.explain(),
        fallback=parsed.fallback,
    )


def _matching_docs(searcher: Searcher, parsed: ParsedQuery, request: SearchRequest) -> set[int]:
    reader = searcher.reader()
    if parsed.query is None:
        docs = set(reader.all_doc_ids())
    else:
        docs = set(searcher.docs_for_query(parsed.query))
    date_filter = _date_filter(request)
    if date_filter is not None and docs:
        docs &= set(searcher.docs_for_query(date_filter))
    return docs


def _date_filter(request: SearchRequest) -> wq.Query | None:
    """Overlap: a letter dated (or dated somewhere in) [from_, to_] of the letter matches."""
    start, end = request.day_range()
    clauses = []
    if end:
        clauses.append(wq.NumericRange("date_from", None, date_number(end)))
    if start:
        clauses.append(wq.NumericRange("date_to", date_number(start), None))
    return wq.And(clauses) if clauses else None


def _page_of_hits(
    searcher: Searcher, parsed: ParsedQuery, request: SearchRequest, docs: set[int]
) -> list[Hit]:
    if not docs:
        return []
    first = (request.page - 1) * request.per_page
    if first >= len(docs):
        return []
    sort = request.sort
    if parsed.query is None and sort == "relevance":
        sort = "newest"
    limit = first + request.per_page
    if sort == "relevance":
        results = searcher.search(parsed.query, filter=docs, limit=limit)
    else:
        newest = sort == "newest"
        order = sorting.MultiFacet(
            [
                sorting.FieldFacet("sort_date", reverse=newest),
                sorting.FieldFacet("date_to", reverse=newest),
                sorting.FieldFacet("id"),
            ]
        )
        results = searcher.search(
            wq.Every(), filter=docs, limit=limit, sortedby=order, scored=False
        )
        if sort == "oldest":  # undated letters (sort key 0) go last, not first
            ordered = sorted(results[first:limit], key=lambda h: h["sort_date"] == 0)
            return _build_hits(searcher, parsed, request, ordered, None)
    return _build_hits(searcher, parsed, request, results[first:limit], sort)


def _build_hits(searcher, parsed, request, page, sort) -> list[Hit]:  # type: ignore[no-untyped-def]
    highlight = _highlight(searcher, parsed)
    hits = []
    for result in page:
        record = json.loads(result["doc"])
        passages = []
        if highlight:
            chosen = best_passages(((n, text) for n, _kind, text in record["passages"]), highlight)
            passages = [
                PassageHit(
                    n=m.n,
                    snippet=mark(text, m.spans),
                    url=passage_url(record["id"], m.n, request.q),
                )
                for m, text in chosen
            ]
        hits.append(
            Hit(
                id=record["id"],
                title=record["title"],
                date=record["date"],
                date_from=record["date_from"],
                date_to=record["date_to"],
                senders=record["senders"],
                signatories=record["signatories"],
                recipients=record["recipients"],
                type=record["type"],
                language=record["language"],
                place=record["place"],
                score=float(result.score) if sort == "relevance" else None,
                url=letter_url(record["id"]),
                passages=passages,
            )
        )
    return hits


def _highlight(searcher: Searcher, parsed: ParsedQuery) -> Highlight:
    """The terms of the query as they occur in the index (wildcards and fuzzy expanded)."""
    if parsed.query is None:
        return Highlight()
    stems, names, phrases = set(), set(), []
    reader = searcher.reader()
    for leaf in parsed.query.leaves():
        if isinstance(leaf, wq.Phrase):
            phrases.append(tuple(leaf.words))
            stems.update(leaf.words)
            continue
        if getattr(leaf, "fieldname", None) is None or isinstance(leaf, wq.NumericRange):
            continue
        try:
            texts = [
                t.decode("utf-8") if isinstance(t, bytes) else t
                for _f, t in leaf.expanded_terms(reader)
            ]
        except Exception:
            texts = []
        if leaf.fieldname in PROSE_FIELDS:
            stems.update(texts)
        else:
            names.update(fold(t) for t in texts)
    return Highlight(frozenset(stems), frozenset(names), tuple(dict.fromkeys(phrases)))


def _suggest(searcher: Searcher, parsed: ParsedQuery, total: int) -> str | None:
    """Replace each word the index does not know by its closest known spelling."""
    if parsed.query is None or total >= SPELLING_SUGGEST_BELOW:
        return None
    reader = searcher.reader()
    corrector = searcher.corrector("body")
    changed, pieces, cursor = False, [], 0
    for match in re.finditer(WORD_PATTERN, parsed.text):
        word = match.group(0)
        pieces.append(parsed.text[cursor : match.start()])
        cursor = match.end()
        replacement = word
        if not _known(reader, word) and not word.isupper():
            options = corrector.suggest(fold(word), limit=1, maxdist=2)
            if options:
                replacement, changed = _same_case(word, options[0]), True
        pieces.append(replacement)
    pieces.append(parsed.text[cursor:])
    return "".join(pieces) if changed else None


def _same_case(original: str, suggestion: str) -> str:
    if original.isupper():
        return suggestion.upper()
    return suggestion[:1].upper() + suggestion[1:] if original[:1].isupper() else suggestion


def _known(reader: IndexReader, word: str) -> bool:
    if len(word) < 4 or word.isdigit():
        return True
    stems = [t.text for t in _PROSE(word)]
    if not stems or any(("body", s) in reader for s in stems):
        return True
    folded = fold(word)
    return any((name, folded) in reader for name in NAME_FIELDS)

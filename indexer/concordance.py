"""A concordance (keyword in context) of a search: every occurrence of its words, one line each.

Researchers checking how a word or a name is used want every occurrence, not the best passage
of each letter. :func:`concordance` runs a search, reads its letters' passages and finds in
each the words the search itself marks in snippets (``ArchiveSession.highlight_terms``: stems,
name variants, phrases), so the concordance and the snippets agree. Each occurrence becomes a
:class:`Line` with its left context, the match and its right context, within one passage (¶),
so every line links to the exact paragraph.

It is bounded: at most ``max_letters`` letters are read, in the search's order, and reading
stops at the session's search time limit; :attr:`Concordance.complete` says whether every
matching letter was read. The CLI (``letters kwic``), the ``/kwic`` page and ``/kwic.csv``
share it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any
from urllib.parse import urlencode

from indexer.archive import ArchiveSession, Highlight, StoredLetter, match_passage, merge_spans
from indexer.letters.text import fold_text
from indexer.links import Links
from indexer.request import MAX_PAGE, BadRequest, SearchRequest, int_param, last_value

#: how a concordance can be ordered (``order`` parameter), and what each sorts by
ORDERS = {
    "date": "date, then letter and position",
    "left": "the words just before the match, nearest first",
    "match": "the matched words",
    "right": "the words just after the match",
}
DEFAULT_CONTEXT = 6
MAX_CONTEXT = 20
MAX_LETTERS = 2_000
MAX_LINES_PER_PAGE = 500
READ_PAGE = 100
_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True)
class Line:
    """One occurrence: ``left + match + right`` is the text around it in passage ¶``n``, as
    written (spaces collapsed), so ``left`` ends with a space where the text has one."""

    letter_id: str
    title: str
    date: str | None
    n: int
    left: str
    match: str
    right: str
    start: int  # character offset of the match in its passage, for a stable order

    def sort_key(self, order: str) -> tuple[object, ...]:
        position = (self.date or "9999", self.letter_id, self.n, self.start)
        if order == "left":
            return (_words_key(reversed(self.left.split())), *position)
        if order == "match":
            return (fold_text(self.match), _words_key(self.right.split()), *position)
        if order == "right":
            return (_words_key(self.right.split()), fold_text(self.match), *position)
        return position


@dataclass(frozen=True)
class ConcordanceRequest:
    """The concordance's own parameters beside the search's."""

    search: SearchRequest
    order: str = "date"
    context: int = DEFAULT_CONTEXT
    page: int = 1
    per_page: int = 50

    @classmethod
    def from_params(cls, params: dict[str, list[str]]) -> ConcordanceRequest:
        """Split ``order``, ``context``, ``page`` and ``per_page`` (lines) from the search's
        parameters; the search is read all pages at once, so its own paging is not used."""
        own = {
            name: last_value(params.pop(name, []))
            for name in ("order", "context", "page", "per_page")
        }
        search = SearchRequest.from_params(params)
        order = own["order"] or "date"
        if order not in ORDERS:
            raise BadRequest(f"order must be one of {', '.join(ORDERS)}, not {order!r}", "order")
        return cls(
            search=search,
            order=order,
            context=int_param("context", own["context"], DEFAULT_CONTEXT, 1, MAX_CONTEXT),
            page=int_param("page", own["page"], 1, 1, MAX_PAGE),
            per_page=int_param("per_page", own["per_page"], 50, 1, MAX_LINES_PER_PAGE),
        )

    def params(self, **changes: object) -> list[tuple[str, str]]:
        """The URL parameters of this concordance (with changes), defaults left out."""
        request = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        pairs = request.search.params(page=1, per_page=10)
        for name, value, default in (
            ("order", request.order, "date"),
            ("context", request.context, DEFAULT_CONTEXT),
            ("page", request.page, 1),
            ("per_page", request.per_page, 50),
        ):
            if value != default:
                pairs.append((name, str(value)))
        return pairs

    def query_string(self, **changes: object) -> str:
        return urlencode(self.params(**changes))


@dataclass
class Concordance:
    request: ConcordanceRequest
    lines: list[Line]  # every line found, in the requested order
    letters_matching: int  # letters the search finds
    letters_read: int  # letters whose passages were read
    timed_out: bool = False
    per_letter: list[tuple[str, str, int]] = field(default_factory=list)  # id, title, lines
    per_year: list[tuple[str, int]] = field(default_factory=list)  # year ("" undated), lines

    @property
    def complete(self) -> bool:
        return self.letters_read == self.letters_matching and not self.timed_out

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.lines) // self.request.per_page))

    def page_lines(self) -> list[Line]:
        start = (self.request.page - 1) * self.request.per_page
        return self.lines[start : start + self.request.per_page]

    def to_json(self, links: Links) -> dict[str, Any]:
        """The page of lines with their links, the counts and whether every letter was read."""
        q = self.request.search.q
        return {
            "q": q,
            "order": self.request.order,
            "lines_total": len(self.lines),
            "page": self.request.page,
            "pages": self.pages,
            "letters_matching": self.letters_matching,
            "letters_read": self.letters_read,
            "complete": self.complete,
            "lines": [
                {
                    "id": line.letter_id,
                    "title": line.title,
                    "date": line.date,
                    "n": line.n,
                    "left": line.left,
                    "match": line.match,
                    "right": line.right,
                    "url": links.passage(line.letter_id, line.n, q),
                }
                for line in self.page_lines()
            ],
            "per_letter": [{"id": i, "title": t, "lines": n} for i, t, n in self.per_letter],
            "per_year": [{"year": y or None, "lines": n} for y, n in self.per_year],
        }


def concordance(
    session: ArchiveSession,
    request: ConcordanceRequest,
    max_letters: int = MAX_LETTERS,
    clock: Callable[[], float] = time.monotonic,
) -> Concordance:
    """Every occurrence of the search's words in (at most ``max_letters`` of) its letters."""
    deadline = clock() + session.search_seconds
    search = request.search
    highlight = session.highlight_terms(search.q, search.concepts) if search.q.strip() else None
    lines: list[Line] = []
    total, hit_ids = _matching_ids(session, request.search, max_letters)
    read, timed_out = 0, False
    for hit_id in hit_ids:
        if clock() > deadline:
            timed_out = True
            break
        letter = session.letter(hit_id)
        read += 1
        if letter is None or highlight is None:
            continue
        lines.extend(_letter_lines(letter, highlight, request.context))
    lines.sort(key=lambda line: line.sort_key(request.order))
    result = Concordance(request, lines, total, read, timed_out)
    result.per_letter = _per_letter(lines)
    result.per_year = sorted(Counter((line.date or "")[:4] for line in lines).items())
    return result


def _matching_ids(
    session: ArchiveSession, search: SearchRequest, max_letters: int
) -> tuple[int, Iterator[str]]:
    """How many letters the search finds, and the ids of at most ``max_letters`` of them in
    its order (read a page at a time, as they are needed)."""
    first = session.search(replace(search, page=1, per_page=READ_PAGE, group=False))  # all

    def ids() -> Iterator[str]:
        result, seen = first, 0
        while True:
            for hit in result.hits[: max_letters - seen]:
                seen += 1
                yield hit.id
            if seen >= max_letters or result.request.page >= result.pages or not result.hits:
                return
            result = session.search(replace(result.request, page=result.request.page + 1))

    return first.total, ids()


def _letter_lines(letter: StoredLetter, highlight: Highlight, context: int) -> Iterator[Line]:
    metadata = letter.metadata()
    letter_id = letter.id
    title = str(metadata.get("title") or "")
    date = metadata.get("date") or metadata.get("date_from")
    for n, _kind, text in letter.passages:
        found = match_passage(n, text, highlight, letter.language_of(n))
        if found is None:
            continue
        for start, end in merge_spans(found.spans):
            yield Line(
                letter_id=letter_id,
                title=title,
                date=str(date) if date else None,
                n=n,
                left=_before(text, start, context),
                match=text[start:end],
                right=_after(text, end, context),
                start=start,
            )


def _before(text: str, start: int, words: int) -> str:
    """Up to ``words`` words before ``start``, as written up to the match (spaces collapsed)."""
    found = list(_WORD.finditer(text, 0, start))[-words:]
    return _SPACES.sub(" ", text[found[0].start() : start]) if found else ""


def _after(text: str, end: int, words: int) -> str:
    """Up to ``words`` words after ``end``, as written from the match on."""
    found = list(islice(_WORD.finditer(text, end), words))
    return _SPACES.sub(" ", text[end : found[-1].end()]) if found else ""


def _per_letter(lines: list[Line]) -> list[tuple[str, str, int]]:
    counts = Counter(line.letter_id for line in lines)
    titles = {line.letter_id: line.title for line in lines}
    return sorted(((i, titles[i], n) for i, n in counts.items()), key=lambda t: (-t[2], t[0]))


def _words_key(words: Iterable[str]) -> tuple[str, ...]:
    """Words compared as people read them: case, accents and edge punctuation ignored."""
    folded = (fold_text(_EDGE_PUNCTUATION.sub("", w)) for w in words)
    return tuple(w for w in folded if w) or ("\uffff",)  # nothing beside the match sorts last

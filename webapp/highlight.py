"""Which words of a letter to mark for a query (``?q=`` on a letter page).

The words of the query are analysed with the index's own analyzers for the letter's language
(folding, stop words, stemming), so "striking" marks strike, strikes and Striking, and "Hoie"
marks Høie. Terms after NOT or a leading minus are not marked; ``stri*`` marks words starting
with "stri"; ``term~`` (``~2``) marks words within one (two) edits of the term. A field prefix
decides whether a word is matched as prose (stemmed) or as a name (folded whole word), as the
search does.

This approximates, without the index, what the search marks in snippets: wildcards and fuzzy
terms are matched against the letter's own words rather than expanded over the index's
vocabulary. When the archive session offers ``highlight_terms(q)`` (the library's
``indexer.snippets.Highlight`` for a query), :func:`marker_for` uses that instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from indexer.analysis import fold, name_analyzer, prose_analyzer
from indexer.snippets import match_passage

OPERATORS = {"AND", "OR", "ANDMAYBE", "TO"}
NEGATIONS = {"NOT", "ANDNOT"}
PROSE_FIELDS = {"title", "subject", "summary", "body"}
MAX_TERMS = 64
MAX_QUERY_CHARS = 1000
_TOKEN_RE = re.compile(
    r"""(?P<neg>-)?(?:(?P<field>\w+):)?
        (?:"(?P<phrase>[^"]*)"?|(?P<open>\()|(?P<close>\))|(?P<word>[^\s"()]+))""",
    re.VERBOSE,
)
_FUZZY_RE = re.compile(r"^(?P<word>.+?)~(?P<dist>\d?)(?:/\d+)?$")

Span = tuple[int, int]


@dataclass(frozen=True)
class QueryTerms:
    """What to mark: stems of prose words, folded names, wildcard patterns, fuzzy stems."""

    stems: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    fuzzy: tuple[tuple[str, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.stems or self.names or self.patterns or self.fuzzy)


def query_terms(q: str, language: str | None = "en") -> QueryTerms:
    """The positive terms of a query, analysed for a letter in ``language``; never raises."""
    prose = prose_analyzer(language)
    stems: set[str] = set()
    names: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    fuzzy: list[tuple[str, int]] = []
    negate_next, depth, skip_depth = False, 0, 0
    for match in _TOKEN_RE.finditer(q[:MAX_QUERY_CHARS]):
        word, fieldname = match.group("word"), (match.group("field") or "").lower()
        if match.group("open") is not None:
            depth += 1
            if (negate_next or match.group("neg")) and not skip_depth:
                skip_depth = depth  # a negated group: nothing inside it is marked
            negate_next = False
            continue
        if match.group("close") is not None:
            if skip_depth and depth <= skip_depth:
                skip_depth = 0
            depth = max(0, depth - 1)
            continue
        if word in OPERATORS and not fieldname:
            continue
        if word in NEGATIONS and not fieldname:
            negate_next = True
            continue
        negated, negate_next = negate_next or bool(match.group("neg")), False
        if negated or skip_depth:
            continue
        if len(stems) + len(names) + len(patterns) + len(fuzzy) >= MAX_TERMS:
            break
        as_prose = not fieldname or fieldname in PROSE_FIELDS
        as_name = not fieldname or fieldname not in PROSE_FIELDS
        if word is not None and ("*" in word or "?" in word):
            pattern = _wildcard(word)
            if pattern is not None:
                patterns.append(pattern)
            continue
        fuzzy_match = _FUZZY_RE.match(word) if word else None
        if fuzzy_match:
            distance = min(int(fuzzy_match.group("dist") or 1), 2)
            targets = _analysed(prose, fuzzy_match.group("word")) or {
                fold(fuzzy_match.group("word"))
            }
            fuzzy.extend((t, distance) for t in sorted(targets))
            continue
        text = match.group("phrase") if match.group("phrase") is not None else word
        text = re.sub(r"\^[\d.]*$", "", text)  # a boost, strike^2
        if as_prose:
            stems.update(_analysed(prose, text))
        if as_name:
            names.update(_analysed(name_analyzer(), text))
    return QueryTerms(frozenset(stems), frozenset(names), tuple(patterns), tuple(fuzzy))


def _analysed(analyzer: Any, text: str) -> set[str]:
    return {t.text for t in analyzer(text, mode="query")}


def _wildcard(word: str) -> re.Pattern[str] | None:
    literal = re.sub(r"[^\w*?'-]", "", fold(word))
    if len(literal.replace("*", "").replace("?", "")) < 2:  # "*" alone would mark everything
        return None
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in literal)
    return re.compile(f"{regex}$")


class Marker:
    """Finds the words to mark in a letter's texts; one per rendering (it holds an analyzer)."""

    def __init__(self, terms: QueryTerms, language: str | None = "en") -> None:
        self.terms = terms
        self._analyzer = prose_analyzer(language) if terms else None

    def __bool__(self) -> bool:
        return bool(self.terms)

    def spans(self, text: str) -> list[Span]:
        """Character spans of the words in ``text`` to mark, in order, not overlapping."""
        if self._analyzer is None or not text.strip():
            return []
        found = [
            (token.startchar, token.endchar)
            for token in self._analyzer(text, positions=True, chars=True)
            if self._wanted(text[token.startchar : token.endchar], token.text)
        ]
        return merge(found)

    def _wanted(self, word: str, stem: str) -> bool:
        terms = self.terms
        if stem in terms.stems:
            return True
        surface = _surface(word)
        if surface in terms.names:
            return True
        if any(p.match(surface) or p.match(stem) for p in terms.patterns):
            return True
        return any(within(stem, t, d) or within(surface, t, d) for t, d in terms.fuzzy)


class LibraryMarker:
    """Marks what the library's own highlight terms (from the index) mark in a passage."""

    def __init__(self, highlight: Any, language: str | None = "en") -> None:
        self.highlight = highlight
        self.language = language or "en"

    def __bool__(self) -> bool:
        return bool(self.highlight)

    def spans(self, text: str) -> list[Span]:
        if not self.highlight or not text.strip():
            return []
        found = match_passage(0, text, self.highlight, self.language)
        return merge(found.spans) if found else []


def marker_for(session: object, q: str, language: str | None) -> Marker | LibraryMarker:
    """The best marker available: the library's terms if the session offers them."""
    q = q.strip()[:MAX_QUERY_CHARS]
    library: Callable[[str], Any] | None = getattr(session, "highlight_terms", None)
    if q and callable(library):
        return LibraryMarker(library(q), language)
    return Marker(query_terms(q, language) if q else QueryTerms(), language)


def _surface(word: str) -> str:
    """A word folded as the index folds it (case, accents, possessive 's, apostrophes)."""
    text = fold(word)
    if text.endswith("'s"):
        text = text[:-2]
    return text.replace("'", "")


def merge(spans: list[Span]) -> list[Span]:
    """Sorted spans with overlaps joined (a compound and its parts mark once)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance of ``a`` and ``b`` is at most ``limit`` (early exit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit

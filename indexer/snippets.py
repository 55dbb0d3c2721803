"""Choosing a letter's best-matching passages and marking the matched words in them.

Passages are re-analysed with the index's own analyzer, so a snippet marks exactly the words the
index matched (strikes, striking and Strike all mark for "strike"; Hoie marks Høie). Everything
that is not a mark is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.analysis import STEMMED_LANGUAGES, fold, fold_text, term_spans, translit_key

MAX_PASSAGES = 3
SNIPPET_CHARS = 280
CONTEXT_BEFORE = 80


@dataclass(frozen=True)
class Highlight:
    """What to mark: analysed (stemmed) terms, exact folded names, phrases as stem lists and
    cross-script name keys."""

    stems: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()
    keys: frozenset[str] = frozenset()
    name_phrases: tuple[str, ...] = ()  # multi-word names (authority variants) to mark whole

    def __bool__(self) -> bool:
        return bool(self.stems or self.names or self.keys or self.name_phrases)


@dataclass
class PassageMatch:
    n: int
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)


def _tokens(text: str, language: str) -> list[tuple[str, int, int]]:
    return term_spans(text, language if language in STEMMED_LANGUAGES else None)


def _name_form(word: str) -> str:
    """A word as name fields index it: folded, without a possessive 's or apostrophes."""
    folded = fold(word)
    return (folded[:-2] if folded.endswith("'s") else folded).replace("'", "")


def match_passage(
    n: int, text: str, highlight: Highlight, language: str = "en"
) -> PassageMatch | None:
    """Where the highlight terms occur in one passage, and how well it matches."""
    tokens = _tokens(text, language)
    spans, distinct = [], set()
    for stem, start, end in tokens:
        word = text[start:end]
        if (
            stem in highlight.stems
            or _name_form(word) in highlight.names
            or (highlight.keys and word[:1].isupper() and translit_key(word) in highlight.keys)
        ):
            spans.append((start, end))
            distinct.add(stem)
    stems = [t[0] for t in tokens]
    for phrase in highlight.name_phrases:
        words = _phrase_stems(phrase, language)
        for i in range(len(stems) - len(words) + 1):
            if words and tuple(stems[i : i + len(words)]) == words:
                spans.extend((start, end) for _s, start, end in tokens[i : i + len(words)])
                distinct.add(phrase)
    if not spans:
        return None
    phrase_hits = sum(_contains(stems, list(p)) for p in highlight.phrases)
    score = 10.0 * len(distinct) + min(len(spans), 5) + 25.0 * phrase_hits
    return PassageMatch(n=n, score=score, spans=spans)


def _contains(seq: Sequence[str], part: Sequence[str]) -> bool:
    k = len(part)
    return k > 0 and any(list(seq[i : i + k]) == list(part) for i in range(len(seq) - k + 1))


@lru_cache(maxsize=4096)
def _phrase_stems(phrase: str, language: str) -> tuple[str, ...]:
    """A name's analysed words, once per name and language rather than once per passage."""
    return tuple(t[0] for t in _tokens(phrase, language))


@lru_cache(maxsize=256)
def _probes(highlight: Highlight) -> tuple[str, ...]:
    """Short prefixes that any passage the highlight can match must contain (folded)."""
    words = [*highlight.stems, *highlight.names, *(p.split()[0] for p in highlight.name_phrases)]
    probes = {fold(w)[:3] for w in words if w}
    probes.update(k[:2] for k in highlight.keys if k)
    return tuple(sorted(probes))


def _may_match(text: str, probes: tuple[str, ...]) -> bool:
    """A cheap test before analysing a passage; Cyrillic text always goes to the analyzer,
    since its names meet Latin ones only through transliteration."""
    folded = text.casefold() if text.isascii() else fold_text(text)
    if not folded.isascii() and any("\u0400" <= c <= "\u04ff" for c in folded):
        return True
    return any(probe in folded for probe in probes)


def best_passages(
    passages: Iterable[tuple[int, str]],
    highlight: Highlight,
    language: str = "en",
    limit: int = MAX_PASSAGES,
) -> list[tuple[PassageMatch, str]]:
    """The best matching passages, best first (ties: earlier passage first)."""
    matches = []
    probes = _probes(highlight)
    for n, text in passages:
        if not _may_match(text, probes):
            continue
        found = match_passage(n, text, highlight, language)
        if found is not None:
            matches.append((found, text))
    matches.sort(key=lambda m: (-m[0].score, m[0].n))
    return matches[:limit]


def mark(text: str, spans: Sequence[tuple[int, int]], window: bool = True) -> str:
    """Escape ``text`` and wrap each span in ``<mark>``; cut a window around the first match."""
    spans = sorted(spans)
    start, end = 0, len(text)
    if window and len(text) > SNIPPET_CHARS:
        first = spans[0][0] if spans else 0
        start = _word_start(text, max(0, first - CONTEXT_BEFORE))
        end = _word_end(text, min(len(text), start + SNIPPET_CHARS))
    pieces, cursor = [], start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        pieces.append(html.escape(text[cursor:s]))
        pieces.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(html.escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces).strip() + suffix


def _word_start(text: str, i: int) -> int:
    if i == 0:
        return 0
    space = text.find(" ", i)
    return space + 1 if 0 <= space < i + 30 else i


def _word_end(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    space = text.rfind(" ", 0, i)
    return space if space > i - 30 else i

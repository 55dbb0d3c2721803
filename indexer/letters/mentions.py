"""Mentions: which entities of the authority file a text names, in the forms people write.

One recogniser serves the index (the ``mention`` field and facet, the letter page's Mentions
list) and the search (query words that name an entity also search ``mention:<id>``), so a
letter is found by ``mention:c087`` exactly when its page lists Convention 87. It reads:

- names: an entity's name or a variant, as whole folded words; a word ending in ``*`` matches
  every word it begins (``Токаев*``: Токаева, Токаеву);
- numbered references of a series, coordinated: a head word and numbers ("ILO Conventions
  Nos. 87 and 98", "the Conventions of the ILO No. 87 and 98", "Конвенции МОТ № 87 и 98"),
  numbers and then the head ("87 және 98 конвенцияларын"), or codes ("C87 and C98");
- articles of a law: references of a series whose numbers belong to a law, the one named next
  to them ("Article 402 of the Criminal Code", "ст. 402 УК РК", "Қылмыстық кодекстің
  402-бабы"), else the law named last before them in the text, else the series' default law.
  A reference next to another law's name ("Article 402 of the Labour Code") is no article of
  the default law.

The words of these forms (heads, codes, issuers, laws) come from the authority file; the
small words that join them (No., Nos., Nr., №, and, и, және, of the …) and the grammar of
number lists are in :mod:`indexer.letters.numbering`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from indexer.letters.numbering import (
    FILLERS,
    MARKERS,
    POSSESSIVE,
    SENTENCE_END,
    Token,
    code_number,
    ends_sentence,
    is_capitals,
    number_list,
    spaced_code,
    tokenize,
    within_article,
)
from indexer.letters.text import WORD_PATTERN, fold

if TYPE_CHECKING:
    from indexer.letters.authority import Entity, Series

_PREFIX_KEY = 3  # wildcard words are indexed by their first letters
_OPERATORS = frozenset({"AND", "OR", "NOT"})  # query syntax, as the parser reads it


def pattern_words(name: str) -> tuple[str, ...]:
    """A name as folded words; a trailing ``*`` (a wildcard) stays on its word."""
    return tuple(fold(w) + ("*" if star else "") for w, star in re.findall(r"(\w+)(\*)?", name))


@dataclass(frozen=True)
class _Name:
    words: tuple[str, ...]  # folded, maybe with a trailing *
    capitals: tuple[bool, ...]  # which words are acronyms: they match only capitals in a text
    entity: str


def _name(name: str, entity: str) -> _Name:
    written = re.findall(r"\w+", name)
    return _Name(pattern_words(name), tuple(is_capitals(w) for w in written), entity)


class WordSet:
    """Folded words and word beginnings (``конвенци*``), asked one word at a time."""

    def __init__(self, words: Iterable[str]):
        self.exact: set[str] = set()
        stems: dict[str, list[str]] = {}
        for word in words:
            if word.endswith("*"):
                stems.setdefault(word[:_PREFIX_KEY], []).append(word[:-1])
            else:
                self.exact.add(word)
        self.prefixes = {key: tuple(found) for key, found in stems.items()}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self.exact:
            return True
        stems = self.prefixes.get(word[:_PREFIX_KEY])
        return stems is not None and word.startswith(stems)


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


@dataclass(frozen=True)
class Span:
    """Tokens ``start``…``end`` (exclusive) name the entities ``ids``."""

    start: int
    end: int
    ids: tuple[str, ...]


@dataclass(frozen=True)
class _Series:
    id: str
    heads: WordSet
    codes: tuple[str, ...]
    issuers: frozenset[str]
    of_law: bool
    default: str | None
    law_words: WordSet


class Recogniser:
    """The entities a text names; built once from the authority file, then only read."""

    def __init__(self, entities: Iterable[Entity], series: Iterable[Series] = ()):
        self._exact: dict[str, list[_Name]] = {}
        self._prefix: dict[str, list[_Name]] = {}
        self._numbered: dict[tuple[str, str | None, int], str] = {}
        self.laws: set[str] = set()
        for entity in entities:
            for name in entity.names:
                pattern = _name(name, entity.id)
                if pattern.words:
                    first = pattern.words[0]
                    table, key = (
                        (self._prefix, first[:_PREFIX_KEY])
                        if first.endswith("*")
                        else (self._exact, first)
                    )
                    table.setdefault(key, []).append(pattern)
            if entity.series and entity.number is not None:
                self._numbered[(entity.series, entity.law, entity.number)] = entity.id
            elif entity.type == "law":
                self.laws.add(entity.id)
        self._series = [
            _Series(
                s.id,
                WordSet(w for h in s.heads for w in pattern_words(h)),
                tuple(fold(c) for c in s.codes),
                frozenset(s.issuers),
                s.of_law,
                s.default_law,
                WordSet(w for h in s.law_words for w in pattern_words(h)),
            )
            for s in series
        ]

    def mentions(self, texts: Iterable[str]) -> list[str]:
        """Ids of the entities named in these texts (a letter's title and passages), sorted.

        An article written without its law belongs to the law the texts named last before it.
        """
        found: set[str] = set()
        law: str | None = None
        for text in texts:
            spans, law = self.spans(tokenize(text), law)
            found.update(i for span in spans for i in span.ids)
        return sorted(found)

    def spans(
        self, tokens: Sequence[Token], law: str | None = None, any_case: bool = False
    ) -> tuple[list[Span], str | None]:
        """Every name and reference in ``tokens`` (names inside others too), and the law
        named last; ``law`` is the one named last before them. An acronym matches only
        capitals unless ``any_case`` (a query: people type "ilo" for the ILO)."""
        names = list(self._names(tokens, any_case))
        at: dict[int, list[Span]] = {}
        for span in names:
            at.setdefault(span.start, []).append(span)
        law_spans = sorted((s for s in names if s.ids[0] in self.laws), key=lambda s: s.end)
        refs: list[Span] = []
        for series in self._series:
            for start, end, numbers in self._references(tokens, series, at):
                owner = None
                if series.of_law:
                    before = [s.ids[0] for s in law_spans if s.end <= start]
                    implied = before[-1] if before else law
                    owner = self._law_of(tokens, start, end, series, at, law_spans, implied)
                    if owner is None:
                        continue
                ids = [self._numbered.get((series.id, owner, n)) for n in numbers]
                known = tuple(dict.fromkeys(i for i in ids if i))
                if known:
                    refs.append(Span(start, end, known))
        last = law_spans[-1].ids[0] if law_spans else law
        return names + refs, last

    def _names(self, tokens: Sequence[Token], any_case: bool) -> Iterator[Span]:
        for i, token in enumerate(tokens):
            options = [
                *self._exact.get(token.word, ()),
                *self._prefix.get(token.word[:_PREFIX_KEY], ()),
            ]
            for name in options:
                end = i + len(name.words)
                if end <= len(tokens) and all(
                    _word_matches(w, t.word) and (any_case or t.capitals or not caps)
                    for w, caps, t in zip(name.words, name.capitals, tokens[i:end], strict=True)
                ):
                    yield Span(i, end, (name.entity,))

    def _references(
        self, tokens: Sequence[Token], series: _Series, at: dict[int, list[Span]]
    ) -> Iterator[tuple[int, int, list[int]]]:
        """(start, end, numbers) of each reference of a series."""
        i = 0
        while i < len(tokens):
            word = tokens[i].word
            head = word in series.heads
            if not (head or word[0].isdigit() or word in MARKERS or word.startswith(series.codes)):
                i += 1  # most words: no reference starts here
                continue
            if head:
                start = self._after_head(tokens, i + 1, series, at)
                numbers, end = number_list(tokens, start, series.codes)
                if numbers:
                    yield i, end, numbers
                    i = end
                    continue
            numbers, end = number_list(tokens, i, series.codes)
            if numbers and _head_follows(tokens, end, series):
                yield i, end + 1, numbers
                i = end  # the head may open a reference of its own: "of 2016 Article 402"
                continue
            if numbers and (
                code_number(tokens[i].word, series.codes) is not None
                or spaced_code(tokens, i, series.codes)
            ):
                yield i, end, numbers
                i = end
                continue
            i += 1

    def _after_head(
        self, tokens: Sequence[Token], k: int, series: _Series, at: dict[int, list[Span]]
    ) -> int:
        """Where the numbers start after a head: past its issuer ("of the ILO", "МОТ")."""
        j = k
        while j < len(tokens) and j - k <= 2:
            issuer = next((s for s in at.get(j, ()) if s.ids[0] in series.issuers), None)
            if issuer is not None:
                return issuer.end
            if tokens[j].word not in FILLERS:
                break
            j += 1
        return k

    def _law_of(
        self,
        tokens: Sequence[Token],
        start: int,
        end: int,
        series: _Series,
        at: dict[int, list[Span]],
        law_spans: list[Span],
        implied: str | None,
    ) -> str | None:
        """The law whose article a reference is: named after it, before it, or implied."""
        j = end
        while j < len(tokens) and j - end < 8 and not ends_sentence(tokens, j):
            named = next((s.ids[0] for s in at.get(j, ()) if s.ids[0] in self.laws), None)
            if named is not None:
                return named
            if not within_article(tokens[j]):
                break
            j += 1
        p = start
        while p > 0 and tokens[p - 1].word in POSSESSIVE:
            p -= 1
        if not SENTENCE_END & set(tokens[start].gap):
            named = next((s.ids[0] for s in law_spans if s.end == p), None)
            if named is not None:
                return named
        after = range(end, min(j + 4, len(tokens)))
        words = [
            tokens[k].word
            for k in itertools.takewhile(lambda k: not ends_sentence(tokens, k), after)
        ]
        if any(w in series.law_words for w in words):
            return None  # another law, named in words the authority file does not know
        return implied or series.default


def _head_follows(tokens: Sequence[Token], end: int, series: _Series) -> bool:
    """Numbers written before their head: "87 және 98 конвенцияларын", "402-бабы"."""
    return end < len(tokens) and tokens[end].gap in ("", "-") and tokens[end].word in series.heads


def rewrite_query(recogniser: Recogniser, text: str) -> str:
    """``text`` with each run of words naming entities as ``(words OR mention:id)``.

    A list names all its entities: "Conventions 87 and 98" becomes
    ``("Conventions 87 and 98" OR (mention:c087 AND mention:c098))``. Only words outside
    quotes, not after ``field:`` and not before a colon (a field's name, known or not) are
    rewritten, and no name or list reaches across the operators AND, OR, NOT or a parenthesis
    ("C87 OR C98" is either), so the user's own syntax keeps its meaning; a rewrite takes whole
    tokens ("ХЕҰ-ның", never half of it).
    """
    if '"' in text:
        return text
    units = [m.span() for m in re.finditer(WORD_PATTERN, text)]
    fielded = [(a, b) for a, b in units if text[a - 1 : a] == ":" or text[b : b + 1] == ":"]
    found: list[tuple[int, int, tuple[str, ...]]] = []  # character spans and their entities
    for group in _query_groups(text, fielded):
        spans, _law = recogniser.spans(group, any_case=True)
        for span in spans:
            first, last = group[span.start], group[span.end - 1]
            start = next((a for a, b in units if a <= first.start < b), first.start)
            end = next((b for a, b in units if a < last.end <= b), last.end)
            found.append((start, end, span.ids))
    pieces, cursor = [], 0
    for start, end, ids in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if start < cursor:
            continue
        words = text[start:end]
        inner = f'"{words}"' if re.search(r"\W", words) else words
        named = " AND ".join(f"mention:{i}" for i in ids)
        named = f"({named})" if len(ids) > 1 else named
        pieces += [text[cursor:start], f"({inner} OR {named})"]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _query_groups(text: str, fielded: Sequence[tuple[int, int]]) -> list[list[Token]]:
    """A query's plain words, cut where an operator, a parenthesis or a field value stands."""
    groups: list[list[Token]] = [[]]
    for token in tokenize(text):
        typed = text[token.start : token.end]
        barrier = typed in _OPERATORS or any(a <= token.start < b for a, b in fielded)
        if barrier or "(" in token.gap or ")" in token.gap:
            groups.append([])
        if not barrier:
            groups[-1].append(token)
    return [g for g in groups if g]

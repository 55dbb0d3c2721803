"""Choosing a letter's best-matching passages and marking the matched words in them.

Passages are re-analysed with the index's own analyzer, so a snippet marks exactly the words the
index matched (strikes, striking and Strike all mark for "strike"; Hoie marks Høie). A quoted
phrase marks only where it stands as written, whole, in one mark; its words alone mark nothing.
Everything that is not a mark is HTML-escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.engine.analysis import (
    JOINERS,
    exact_spans,
    stemmed_language,
    term_spans,
    word_form,
)
from indexer.engine.budget import Budget
from indexer.letters.mentions import Recogniser
from indexer.letters.numbering import tokenize
from indexer.letters.text import (
    PLAIN_WORD,
    fold,
    fold_text,
    name_keys,
    split_particles,
    translit_key,
)

MAX_PASSAGES = 3


@dataclass(frozen=True)
class Highlight:
    """What to mark: analysed (stemmed) terms, exact folded names, phrases as stem lists and
    cross-script name keys."""

    stems: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()  # marked only where the words stand together
    keys: frozenset[str] = frozenset()
    name_phrases: tuple[str, ...] = ()  # multi-word names (authority variants) to mark whole
    exact: tuple[tuple[str, ...], ...] = ()  # quoted phrases, as exact words, to mark whole
    key_phrases: tuple[tuple[str, ...], ...] = ()  # quoted names, as cross-script keys
    #: entities searched by ``mention:``, marked where the recogniser finds them in a passage
    #: ("Conventions of the ILO No. 87 and 98" for mention:c087)
    entities: frozenset[str] = frozenset()
    recogniser: Recogniser | None = field(default=None, compare=False, hash=False)
    #: how many other words may stand among each phrase's words (its slop), in order
    phrase_slops: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        marked = (self.stems, self.names, self.keys, self.name_phrases, self.exact, self.phrases)
        return any(marked) or bool(self.key_phrases) or bool(self.entities and self.recogniser)


@dataclass
class PassageMatch:
    n: int
    score: float
    spans: list[tuple[int, int]] = field(default_factory=list)


def _tokens(text: str, language: str) -> list[tuple[str, int, int]]:
    return term_spans(text, stemmed_language(language))


def _marked_name(word: str, names: frozenset[str], keys: frozenset[str]) -> bool:
    """Whether a word as written is one of the highlight's names or carries one of its keys."""
    return word_form(word) in names or bool(keys and word[:1].isupper() and _named(word, keys))


def match_passage(
    n: int, text: str, highlight: Highlight, language: str = "en"
) -> PassageMatch | None:
    """Where the highlight terms occur in one passage, and how well it matches."""
    tokens = _tokens(text, language)
    spans, distinct = [], set()
    stems_marked, names, keys = highlight.stems, highlight.names, highlight.keys
    for stem, start, end in tokens:
        if stem in stems_marked or ((names or keys) and _marked_name(text[start:end], names, keys)):
            spans.append((start, end))
            distinct.add(stem)
    stems = [t[0] for t in tokens]
    for phrase in highlight.name_phrases:
        words = _phrase_stems(phrase, language)
        for i in range(len(stems) - len(words) + 1):
            if words and tuple(stems[i : i + len(words)]) == words:  # marked whole, once
                spans.append((tokens[i][1], tokens[i + len(words) - 1][2]))
                distinct.add(phrase)
    for words, slop in zip(highlight.phrases, _slops(highlight), strict=True):
        for positions in _near(stems, words, slop):
            if positions[-1] - positions[0] == len(positions) - 1:  # side by side: one mark
                spans.append((tokens[positions[0]][1], tokens[positions[-1]][2]))
            else:
                spans.extend(tokens[i][1:] for i in positions)
            distinct.add(" ".join(words))
    for entity, start, end in _entity_spans(text, highlight):
        spans.append((start, end))
        distinct.add(entity)
    exact_hits = _exact_matches(text, highlight.exact, highlight.key_phrases)
    for words, start, end in exact_hits:
        spans.append((start, end))
        distinct.add(" ".join(words))
    if not spans:
        return None
    phrase_hits = sum(
        bool(_near(stems, p, slop))
        for p, slop in zip(highlight.phrases, _slops(highlight), strict=True)
    )
    phrase_hits += len({words for words, _s, _e in exact_hits})
    return PassageMatch(n=n, score=_score(len(distinct), len(spans), phrase_hits), spans=spans)


def _slops(highlight: Highlight) -> tuple[int, ...]:
    return highlight.phrase_slops or (1,) * len(highlight.phrases)


def _near(stems: Sequence[str], words: Sequence[str], slop: int) -> list[list[int]]:
    """Where all ``words`` occur within ``len(words) + slop`` tokens of each other (in any
    order, as the search's near queries match): the token positions of each occurrence, the
    nearest ones, so a word of a phrase or of a concept's term is marked only there."""
    found: list[list[int]] = []
    wanted = set(words)
    width = len(words) + slop
    last: dict[str, int] = {}  # where each word was seen last
    for k, stem in enumerate(stems):
        if stem not in wanted:
            continue
        last[stem] = k
        if len(last) == len(wanted) and k - min(last.values()) < width:
            found.append(sorted(last.values()))
            last = {}
    return found


def _entity_spans(text: str, highlight: Highlight) -> list[tuple[str, int, int]]:
    """(entity, start, end) of each name or reference of a searched entity in ``text``."""
    if not highlight.entities or highlight.recogniser is None:
        return []
    tokens = tokenize(text)
    spans, _law = highlight.recogniser.spans(tokens)
    return [
        (entity, tokens[span.start].start, tokens[span.end - 1].end)
        for span in spans
        for entity in highlight.entities.intersection(span.ids)
    ]


def _named(word: str, keys: frozenset[str]) -> bool:
    """Whether a capitalised word is one of the names (by any of its keys: Қазақстанның)."""
    return any(key in keys for key in name_keys(word))


def _exact_matches(
    text: str, phrases: Sequence[tuple[str, ...]], key_phrases: Sequence[tuple[str, ...]] = ()
) -> list[tuple[tuple[str, ...], int, int]]:
    """Where each phrase stands in ``text`` as written (each key phrase, as capitalised words
    with those keys, in any script): (phrase, start, end) of each match.

    The text's words as a query reads them: a compound by its parts, not also whole.
    """
    if not phrases and not key_phrases:
        return []
    tokens = [t for t in exact_spans(text) if not JOINERS.search(t[0])]
    found = _sequences([t[0] for t in tokens], tokens, phrases)
    if key_phrases:
        keys = [translit_key(w) if (w := text[s:e])[:1].isupper() else "" for _t, s, e in tokens]
        found += _sequences(keys, tokens, key_phrases)
    return found


def _sequences(
    words: list[str], tokens: list[tuple[str, int, int]], phrases: Sequence[tuple[str, ...]]
) -> list[tuple[tuple[str, ...], int, int]]:
    found = []
    for phrase in phrases:
        k = len(phrase)
        for i, word in enumerate(words[: len(words) - k + 1]):
            if word == phrase[0] and tuple(words[i : i + k]) == phrase:
                found.append((phrase, tokens[i][1], tokens[i + k - 1][2]))
    return found


def _score(distinct: int, spans: int, phrases: int) -> float:
    """A passage's score: distinct terms first, then phrases, then (a few) repetitions."""
    return 10.0 * distinct + min(spans, 5) + 25.0 * phrases


def _contains(seq: Sequence[str], part: Sequence[str]) -> bool:
    k, first, whole = len(part), part[0] if part else None, list(part)
    return k > 0 and any(
        word == first and list(seq[i : i + k]) == whole for i, word in enumerate(seq)
    )


@lru_cache(maxsize=4096)
def _phrase_stems(phrase: str, language: str) -> tuple[str, ...]:
    """A name's analysed words, once per name and language rather than once per passage."""
    return tuple(t[0] for t in _tokens(phrase, language))


@dataclass(frozen=True)
class _Probes:
    """Where the words a highlight can match may start (in folded text)."""

    starts: tuple[str, ...]  # the start of every stem, name and phrase word
    pattern: re.Pattern[str] | None  # any of them at the start of a word
    terms: tuple[str, ...]  # the start of each stem and name (a start may serve several)
    phrases: tuple[frozenset[str], ...]  # the starts of each distinct phrase's words
    exact: tuple[frozenset[str], ...]  # the same for each quoted phrase
    keys: frozenset[str]  # cross-script keys, found in capitalised words
    phrase_keys: frozenset[str]  # the keys of quoted names: where one is, no bound
    other: re.Pattern[str] | None  # the first words of name phrases
    entities: bool  # entities to find: any passage may name one


@lru_cache(maxsize=256)
def _probes(highlight: Highlight) -> _Probes:
    """The start of a word that begins with each term minus its last letter (stemming changes
    at most the end of a word: strikes -> strike, happy -> happi, cry -> cri)."""
    terms = tuple(_stem_start(fold(w)) for w in sorted({*highlight.stems, *highlight.names}) if w)
    phrases = {frozenset(_stem_start(fold(w)) for w in p if w) for p in highlight.phrases}
    exact = {frozenset(_stem_start(_folded(w)) for w in p if w) for p in highlight.exact}
    every = {*terms, *(x for p in (*phrases, *exact) for x in p)}
    starts = tuple(sorted(every, key=lambda x: (-len(x), x)))
    pattern = _word_starts(starts)
    other = _word_starts({_stem_start(fold(p.split()[0])) for p in highlight.name_phrases})
    phrase_keys = frozenset(k for p in highlight.key_phrases for k in p)
    keys = highlight.keys | phrase_keys
    entities = bool(highlight.entities)
    return _Probes(
        starts, pattern, terms, tuple(phrases), tuple(exact), keys, phrase_keys, other, entities
    )


def _word_starts(starts: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = "|".join(re.escape(x) for x in starts)
    return re.compile(rf"(?<!\w)(?:{alternatives})") if alternatives else None


#: words that may start with a capital (Latin, Greek, Cyrillic capitals), as the analyzer
#: cuts words
_CAPITALISED = re.compile(rf"(?<!\w)(?=[A-Z\u00c0-\u024f\u0370-\u052f]){PLAIN_WORD}")
_UNBOUNDED = float("inf")
_WORD_AT = re.compile(PLAIN_WORD)


def _stem_start(term: str) -> str:
    return term[: max(len(term) - 1, 2)]


def _folded(text: str) -> str:
    """Folded text without apostrophes; with a name's particle cut off too (O'Brien: obrien
    and o brien), so that both its whole and its core are found."""
    split = split_particles(text)
    whole = _fold_plain(text)
    return whole if split == text else f"{whole}\n{_fold_plain(split)}"


def _fold_plain(text: str) -> str:
    return (text.casefold() if text.isascii() else fold_text(text)).replace("'", "")


def _cyrillic(folded: str) -> bool:
    return not folded.isascii() and any("\u0400" <= c <= "\u04ff" for c in folded)


def _bounds(texts: list[str], probes: _Probes) -> list[float | None]:
    """For each passage, an upper bound of its score (None: it cannot match), from where the
    starts of the highlight's words occur and which capitalised words carry a highlight key.

    One pattern scan over the whole letter; unbounded for Cyrillic passages (their names meet
    Latin ones only through transliteration) and where a name phrase may occur.
    """
    folded = [_folded(text) for text in texts]
    counts: list[dict[str, int]] = [{} for _ in texts]
    words: list[set[str]] = [set() for _ in texts]  # the (folded) words found
    if probes.pattern is not None:
        joined, offsets = _joined(folded)
        for match in probes.pattern.finditer(joined):
            at = match.start()
            i = bisect_right(offsets, at) - 1
            found = counts[i]
            for start in probes.starts:
                if joined.startswith(start, at):
                    found[start] = found.get(start, 0) + 1
            words[i].add(_WORD_AT.match(joined, at).group())  # type: ignore[union-attr]
    named: list[set[str]] = [set() for _ in texts]  # capitalised words with a key
    unbounded = [_cyrillic(text) for text in folded]
    if probes.keys:
        joined, offsets = _joined(texts)
        for match in _CAPITALISED.finditer(joined):
            word = match.group()
            keys = name_keys(word) if word[:1].isupper() else ()
            key = next((k for k in keys if k in probes.keys), "")
            if key:
                i = bisect_right(offsets, match.start()) - 1
                named[i].add(_folded(word))
                unbounded[i] = unbounded[i] or key in probes.phrase_keys
    bounds: list[float | None] = []
    for text, found, seen, names, free in zip(folded, counts, words, named, unbounded, strict=True):
        if free or probes.entities or (probes.other and (found or probes.other.search(text))):
            bounds.append(_UNBOUNDED)
        elif not found and not names:
            bounds.append(None)
        else:
            # each distinct term marked comes from a distinct word found
            terms = sum(1 for start in probes.terms if start in found) + len(names)
            phrases = sum(1 for starts in probes.phrases if starts <= found.keys())
            distinct = min(terms, len(seen | names)) + phrases
            exact = sum(1 for starts in probes.exact if starts <= found.keys())
            spans = sum(found.values()) + (5 if names else 0)
            bounds.append(_score(distinct + exact, spans, phrases + exact))
    return bounds


def _joined(texts: list[str]) -> tuple[str, list[int]]:
    """The texts joined by line breaks (never inside a word), and where each one starts."""
    offsets, at = [], 0
    for text in texts:
        offsets.append(at)
        at += len(text) + 1
    return "\n".join(texts), offsets


def best_passages(
    passages: Iterable[tuple[int, str]],
    highlight: Highlight,
    language: str = "en",
    limit: int = MAX_PASSAGES,
    budget: Budget | None = None,
    languages: Mapping[int, str] | None = None,
) -> list[tuple[PassageMatch, str]]:
    """The best matching passages, best first (ties: earlier passage first); a passage in
    ``languages`` (¶ number -> language) is analysed in its own language, not ``language``.

    Analysing every passage of a long letter was the slow part of a search, so passages are
    looked at in the order of an upper bound of their score (from a pattern scan) and the rest
    skipped once none can beat the ``limit`` best found, or once the budget is spent.
    """
    numbered = list(passages)
    bounds = _bounds([text for _n, text in numbered], _probes(highlight))
    pending = [(bound, n, text) for (n, text), bound in zip(numbered, bounds, strict=True) if bound]
    pending.sort(key=lambda item: (-item[0], item[1]))
    matches: list[tuple[PassageMatch, str]] = []
    for bound, n, text in pending:
        if len(matches) >= limit and bound < matches[limit - 1][0].score:
            break
        if budget is not None and budget.spent():
            break
        own = languages.get(n, language) if languages else language
        found = match_passage(n, text, highlight, own)
        if found is not None:
            matches.append((found, text))
            matches.sort(key=lambda m: (-m[0].score, m[0].n))
    return matches[:limit]

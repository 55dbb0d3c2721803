"""A fixed, seeded mix of search requests, each in our query language and in FTS5's.

Words come from the corpus itself (so every query has hits in both engines): random words of
random letters, letter-only, 4–14 characters, no English stop words (ours drops them, FTS5
keeps them, so a query with one would differ between the engines).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.lang import stopwords_for_language

from bench.fts5 import PeerLetter, quote_term, read_letter

SEED = 20_240_110
MIX = {"single": 60, "multi": 50, "phrase": 40, "fielded": 25, "filtered": 25}
#: our word tokens (``haven't`` and ``e-mail`` are one token each); only plain ones are used
_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*(?:[-‐‑/.]\w+(?:['’]\w+)*)*")
_PLAIN_RE = re.compile(r"[A-Za-z]+")
_PAIR_RE = re.compile(r"(?<![\w'’/.-])(?=([A-Za-z]+) ([A-Za-z]+)(?![\w'’-]|[/.]\w))")
_STOP = frozenset(stopwords_for_language("en"))


@dataclass(frozen=True)
class Query:
    kind: str
    q: str  # ours, as a person types it
    match: str  # FTS5 MATCH expression
    sender: str | None = None  # facet filter (exact value)
    date_from: str | None = None  # ISO day range filter (overlap)
    date_to: str | None = None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def params(self) -> list[tuple[str, str]]:
        """As URL parameters of the web API."""
        pairs = [("q", self.q)]
        pairs += [("sender", self.sender)] if self.sender else []
        pairs += [("from", self.date_from)] if self.date_from else []
        pairs += [("to", self.date_to)] if self.date_to else []
        return pairs


def _ok(word: str) -> bool:
    return 4 <= len(word) <= 14 and word.lower() not in _STOP


def _words(text: str) -> list[str]:
    return [w.lower() for w in _TOKEN_RE.findall(text) if _PLAIN_RE.fullmatch(w) and _ok(w)]


def _pairs(text: str) -> list[tuple[str, str]]:
    """Adjacent word pairs (nothing but a space between them), both usable words."""
    pairs = []
    for match in _PAIR_RE.finditer(text):
        a, b = match.group(1), match.group(2)
        if _ok(a) and _ok(b):
            pairs.append((a.lower(), b.lower()))
    return pairs


Maker = Callable[[PeerLetter], "Query | None"]


class LetterPicker:
    """Letters of a corpus drawn at random with ``rng`` (seeded: the same ones every run),
    each read once, and the first query a maker makes of one."""

    def __init__(self, files: list[Path], rng: random.Random) -> None:
        self.ordered = sorted(files)
        self.rng = rng
        self.cache: dict[Path, PeerLetter] = {}

    def letter(self) -> PeerLetter:
        path = self.ordered[self.rng.randrange(len(self.ordered))]
        if path not in self.cache:
            self.cache[path] = read_letter(path)
        return self.cache[path]

    def pick(self, maker: Maker, what: str) -> Query:
        for _ in range(1000):
            made = maker(self.letter())
            if made is not None:
                return made
        raise ValueError(f"the corpus has too few usable words for {what}")


def build_mix(
    files: list[Path], seed: int = SEED, mix: dict[str, int] | None = None
) -> list[Query]:
    """The query mix for a corpus: the same files and seed always give the same queries."""
    rng = random.Random(seed)
    mix = mix or MIX
    letters = LetterPicker(files, rng)

    def pick(maker: Maker) -> Query:
        return letters.pick(maker, "the query mix")

    def single(doc: PeerLetter) -> Query | None:
        words = _words(doc.body)
        if not words:
            return None
        w = rng.choice(words)
        return Query("single", w, quote_term(w))

    def multi(doc: PeerLetter) -> Query | None:
        words = sorted(set(_words(doc.body)))
        if len(words) < 3:
            return None
        chosen = rng.sample(words, rng.choice((2, 2, 3)))
        return Query("multi", " ".join(chosen), " AND ".join(map(quote_term, chosen)))

    def phrase(doc: PeerLetter) -> Query | None:
        pairs = _pairs(doc.body)
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        return Query("phrase", f'"{a} {b}"', quote_term(f"{a} {b}"))

    def fielded(doc: PeerLetter) -> Query | None:
        if rng.random() < 0.6:
            words = _words(doc.title)
            if not words:
                return None
            w = rng.choice(words)
            return Query("fielded", f"title:{w}", f"title : {quote_term(w)}")
        words = [w for s in doc.senders for w in _words(s)]
        if not words:
            return None
        w = rng.choice(words)
        return Query("fielded", f"sender:{w}", f"senders : {quote_term(w)}")

    def filtered(doc: PeerLetter) -> Query | None:
        words = _words(doc.body)
        if not words or not doc.date_from:
            return None
        w = rng.choice(words)
        if rng.random() < 0.5 and doc.senders:
            sender = doc.senders[0]
            return Query("filtered", w, quote_term(w), sender=sender, filters={"sender": (sender,)})
        year, month = int(doc.date_from[:4]), int(doc.date_from[5:7])
        first = max(1, month - 1)
        last = min(12, month + 1)
        return Query(
            "filtered",
            w,
            quote_term(w),
            date_from=f"{year}-{first:02d}-01",
            date_to=_month_end(year, last),
        )

    makers = {
        "single": single,
        "multi": multi,
        "phrase": phrase,
        "fielded": fielded,
        "filtered": filtered,
    }
    queries = [pick(makers[kind]) for kind, count in mix.items() for _ in range(count)]
    rng.shuffle(queries)
    return queries


def _month_end(year: int, month: int) -> str:
    from indexer.letters.dates import last_day

    return last_day(f"{year}-{month:02d}")

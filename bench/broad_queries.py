"""A second, broader query set: words and pairs drawn as people meet them, zero-hit words,
phrases, a filter and a facet click — each kind reported on its own, tail included.

The main mix (:mod:`bench.queries`) picks distinct usable words; people type common words as
often as they occur ("would", "since", "know"), which are the expensive ones. Here a word is a
random token of a random letter (so frequent words come up as often as they are written), a
pair two tokens of one letter, a zero-hit word a seeded nonsense word (its cost is the spelling
suggestion), and a facet click a word with its letter's year selected. English stop words are
left out of words and pairs because ours does not search them and FTS5 does.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

from bench.fts5 import PeerLetter, quote_term
from bench.queries import LetterPicker, Query, _month_end, _pairs, _words

SEED = 20_261_201
BROAD_MIX = {"word": 150, "pair": 50, "zero_hit": 20, "phrase": 20, "filtered": 20, "facet": 20}


def build_broad_mix(
    files: list[Path], seed: int = SEED, mix: dict[str, int] | None = None
) -> list[Query]:
    """The broad set for a corpus: the same files and seed always give the same queries."""
    rng = random.Random(seed)
    letters = LetterPicker(files, rng)

    def word(doc: PeerLetter) -> Query | None:
        words = _words(doc.body)  # every occurrence: frequent words as often as written
        if not words:
            return None
        w = rng.choice(words)
        return Query("word", w, quote_term(w))

    def pair(doc: PeerLetter) -> Query | None:
        words = _words(doc.body)
        if len(set(words)) < 2:
            return None
        a, b = rng.choice(words), rng.choice(words)
        if a == b:
            return None
        return Query("pair", f"{a} {b}", f"{quote_term(a)} AND {quote_term(b)}")

    def zero_hit(_doc: PeerLetter) -> Query | None:
        w = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(7, 11)))
        return Query("zero_hit", w, quote_term(w))

    def phrase(doc: PeerLetter) -> Query | None:
        pairs = _pairs(doc.body)
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        return Query("phrase", f'"{a} {b}"', quote_term(f"{a} {b}"))

    def filtered(doc: PeerLetter) -> Query | None:
        words = _words(doc.body)
        if not words or not doc.senders:
            return None
        w, sender = rng.choice(words), doc.senders[0]
        return Query("filtered", w, quote_term(w), sender=sender, filters={"sender": (sender,)})

    def facet(doc: PeerLetter) -> Query | None:
        words = _words(doc.body)
        if not words or not doc.date_from:
            return None
        w, year = rng.choice(words), doc.date_from[:4]
        return Query(
            "facet",
            w,
            quote_term(w),
            date_from=f"{year}-01-01",
            date_to=_month_end(int(year), 12),
            filters={"year": (year,)},
        )

    makers = {
        "word": word,
        "pair": pair,
        "zero_hit": zero_hit,
        "phrase": phrase,
        "filtered": filtered,
        "facet": facet,
    }
    queries = [
        letters.pick(makers[kind], f"{kind} queries")
        for kind, count in (mix or BROAD_MIX).items()
        for _ in range(count)
    ]
    rng.shuffle(queries)
    return queries

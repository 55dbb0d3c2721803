"""Adversarial requests for the load test: what a careless or hostile client sends.

Each is a :class:`HostileCase` (a label, a target and what the server should answer: ``"200"``
for queries that are odd but valid, ``"4xx"`` for bad parameters and odd paths). A server that
answers any of them with a 5xx, or drops the connection, fails the load test.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from indexer.request import MAX_QUERY_CHARS

CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b[31m\x7f\u0085\u2028\ufeff"
UNICODE = "Токаев 東京 ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202egnirts\u202c e\u0301\u0301\u0301 ß İ"
ODD_PATHS = (
    "/letters/%FF%FE%00",
    "/letters/..%2F..%2Fetc%2Fpasswd",
    "/letters/" + "%C0%AF" * 20,
    "/api/letters/%ED%A0%80",
    "/search/%00",
    "/%E2%80%AE%00%FF",
)


@dataclass(frozen=True)
class HostileCase:
    label: str  # what kind of hostility: "fuzzy", "wildcard", "bad parameter", …
    target: str
    expect: str  # "200" or "4xx"


def _search(path: str, params: Sequence[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}"


def case(rng: random.Random, words: Sequence[str]) -> HostileCase:
    """One adversarial request, drawn with ``rng`` from the archive's ``words``."""
    word = rng.choice(words).split()[0]
    other = rng.choice(words).split()[-1]
    path = rng.choice(("/search", "/api/search", "/api/search"))
    valid = {
        "fuzzy": f"{word}~9 {other}~{rng.randint(2, 9)}",
        "wildcard": rng.choice(("*a*", f"*{word[:2]}*", "?*?*e*", f"{word[:1]}*")),
        "nested": "(" * rng.randint(30, 300) + f"{word} OR {other}" + ")" * rng.randint(0, 300),
        "long": " ".join([word, other] * MAX_QUERY_CHARS)[: MAX_QUERY_CHARS - 1],
        "control": f"{word}{CONTROL}{other}",
        "unicode": f"{word} {UNICODE}",
        "operators": f'NOT OR AND "" ({word} -{other} sender: date:9999..0000 "{other}',
    }
    bad = {
        "too long": [("q", word * (MAX_QUERY_CHARS // len(word) + 2))],
        "from after to": [("q", word), ("from", "2024"), ("to", "1990")],
        "page -1": [("q", word), ("page", "-1")],
        "huge per_page": [("q", word), ("per_page", str(10**9))],
        "bad page": [("q", word), ("page", "1e3")],
        "unknown facet": [("q", word), ("colour", "red")],
        "bad sort": [("q", word), ("sort", "sideways")],
        "bad year": [("year", "19x3")],
        "bad date": [("from", "2021-02-30")],
    }
    roll = rng.random()
    if roll < 0.55:
        label = rng.choice(sorted(valid))
        return HostileCase(label, _search(path, [("q", valid[label])]), "200")
    if roll < 0.9:
        label = rng.choice(sorted(bad))
        return HostileCase(label, _search(path, bad[label]), "4xx")
    return HostileCase("odd path", rng.choice(ODD_PATHS), "4xx")

"""The load test's workload: what is asked, in which proportions, drawn from what.

:func:`discover` asks the running server for facet values and letter ids; :func:`plan` turns
them and bench's seeded words into the same list of requests for the same seed.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from bench.hostile import case

SEED = 20_251_124
KINDS = ("search", "facet", "letter", "api", "hostile")
#: 90% the ordinary mix (search pages 50 : facet clicks 20 : letter pages 20 : API 10), 10% hostile
SHARES = {"search": 0.45, "facet": 0.18, "letter": 0.18, "api": 0.09, "hostile": 0.10}
CLICK_FACETS = ("recipient", "sender")
PROBE_WORDS = 12  # words searched in discovery for letter ids and facet values
FACET_VALUES = 5  # values taken from each facet of each discovery response

Get = Callable[[str], tuple[int, bytes]]


class LoadFailed(Exception):
    """The run could not be made (exit 1: an error answer during discovery)."""


@dataclass(frozen=True)
class Request:
    kind: str  # one of KINDS
    target: str  # path and query string
    label: str = ""  # hostile requests: which kind of hostility (see :mod:`bench.hostile`)
    expect: str = "200"  # "200", or "4xx" for a hostile request with bad parameters


@dataclass(frozen=True)
class Material:
    """What the workload draws from: words, facet clicks and letters, all found in the archive."""

    words: tuple[str, ...]
    clicks: tuple[tuple[str, str, str], ...]  # (q, facet, value); q "" browses the archive
    letters: tuple[tuple[str, str], ...]  # (letter id, the word that found it)

    def summary(self) -> dict[str, int]:
        by_facet = {f: sum(1 for c in self.clicks if c[1] == f) for f in CLICK_FACETS}
        return {"words": len(self.words), "letters": len(self.letters), **by_facet}


def allocate(total: int, shares: dict[str, float] | None = None) -> dict[str, int]:
    """``total`` requests split by ``shares`` (largest remainder: counts sum to ``total``)."""
    shares = shares or SHARES
    exact = {kind: total * share / sum(shares.values()) for kind, share in shares.items()}
    counts = {kind: int(value) for kind, value in exact.items()}
    by_remainder = sorted(shares, key=lambda kind: (-(exact[kind] - counts[kind]), kind))
    for kind in by_remainder[: total - sum(counts.values())]:
        counts[kind] += 1
    return counts


def _url(path: str, params: Sequence[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def plan(material: Material, total: int, seed: int = SEED) -> list[Request]:
    """The seeded workload: the same material, total and seed always give the same requests.

    Kinds in the proportions of :data:`SHARES`, shuffled. Hostile requests come from
    :func:`bench.hostile.case`. Search pages: 20% ``sort=newest``,
    15% ``page=2``. Facet clicks: ``recipient`` or ``sender`` (evenly, as available), with the
    word whose results offered the value. Letter pages: 30% with ``?q=`` (the word that found
    the letter). API searches: 20% ``sort=newest``, 20% ``page=2``.
    """
    if not material.words or not material.letters or not material.clicks:
        raise ValueError(f"the workload needs words, letters and facet values: {material}")
    rng = random.Random(seed)
    kinds = [kind for kind, count in allocate(total).items() for _ in range(count)]
    rng.shuffle(kinds)
    facets = [f for f in CLICK_FACETS if any(c[1] == f for c in material.clicks)]
    clicks = {f: [c for c in material.clicks if c[1] == f] for f in facets}

    def variant(
        params: list[tuple[str, str]], newest: float, page2: float
    ) -> list[tuple[str, str]]:
        roll = rng.random()
        if roll < newest:
            params.append(("sort", "newest"))
        elif roll < newest + page2:
            params.append(("page", "2"))
        return params

    requests = []
    for kind in kinds:
        if kind == "search":
            params = variant([("q", rng.choice(material.words))], 0.20, 0.15)
            target = _url("/search", params)
        elif kind == "facet":
            q, facet, value = rng.choice(clicks[rng.choice(facets)])
            target = _url("/search", [("q", q)] * bool(q) + [(facet, value)])
        elif kind == "letter":
            letter_id, q = rng.choice(material.letters)
            path = "/letters/" + quote(letter_id, safe="")
            target = _url(path, [("q", q)] if rng.random() < 0.30 else [])
        elif kind == "api":
            params = variant([("q", rng.choice(material.words))], 0.20, 0.20)
            target = _url("/api/search", params)
        else:
            hostile = case(rng, material.words)
            requests.append(Request(kind, hostile.target, hostile.label, hostile.expect))
            continue
        requests.append(Request(kind, target))
    return requests


def plan_digest(requests: Sequence[Request]) -> str:
    digest = hashlib.sha256()
    for request in requests:
        digest.update(f"{request.kind} {request.target}\n".encode())
    return digest.hexdigest()[:16]


def words_for(corpus: Path) -> tuple[str, ...]:
    """The fixed, seeded word list: bench's query mix's single words and word groups."""
    from bench.fts5 import letter_files
    from bench.queries import build_mix

    mix = build_mix(letter_files(corpus))
    return tuple(dict.fromkeys(q.q for q in mix if q.kind in ("single", "multi")))


def discover(get: Get, words: Sequence[str], probes: int = PROBE_WORDS) -> Material:
    """Facet values and letter ids from the server's own ``/api/search`` answers.

    The whole archive's facets (browsing clicks, no query), then one search per probe word: its
    hits (letter pages) and its facets (clicks with that word). Raises :class:`LoadFailed` on any
    answer but a 200 with JSON.
    """

    def search(q: str) -> dict[str, Any]:
        target = _url("/api/search", [("q", q)] if q else [])
        status, body = get(target)
        if status != 200:
            raise LoadFailed(f"discovery: {target} answered {status}: {body[:200]!r}")
        try:
            return dict(json.loads(body))
        except ValueError as exc:
            raise LoadFailed(f"discovery: {target} answered no JSON: {body[:200]!r}") from exc

    clicks: list[tuple[str, str, str]] = []
    letters: dict[str, str] = {}  # letter id -> the first word that found it
    for q in ("", *words[:probes]):
        data = search(q)
        for facet in CLICK_FACETS:
            values = [v["value"] for v in data.get("facets", {}).get(facet, [])]
            clicks += [(q, facet, value) for value in values[:FACET_VALUES]]
        if q:
            for hit in data.get("hits", []):
                letters.setdefault(hit["id"], q)
    material = Material(tuple(words), tuple(dict.fromkeys(clicks)), tuple(letters.items()))
    if not material.letters or not material.clicks:
        raise LoadFailed(f"discovery found too little to load with: {material.summary()}")
    return material

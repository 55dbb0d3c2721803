"""Shared passages between letters (text re-use), found through the index itself.

At index time each passage's shingles (``indexer.letters.shingles``) get a MinHash signature
(datasketch), cut into :data:`BANDS` bands of :data:`ROWS` values; each band becomes a term of
the letter's ``reuse`` field. Passages that share text share a band with high probability
(locality-sensitive hashing: with 32 bands of 2, a pair whose shingle sets have Jaccard 0.2 — a
two-sentence quotation in a long paragraph — shares one 73% of the time, a pair with 0.4 99.6%),
so finding the letters that may share a passage with this one is one term lookup per band, and
the index stays incremental: a new letter needs no pass over the others. Candidates are then
compared exactly (:func:`indexer.letters.shingles.overlap`), so what is shown is never a hash
collision.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable

from datasketch import MinHash
from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.letters.shingles import overlap, shingles
from indexer.results import SharedPassage

FIELD = "reuse"
BANDS = 32
ROWS = 2
THRESHOLD = 0.5  # shared wording (overlap of shingles) from which two passages share text
MAX_CANDIDATES = 50  # letters compared exactly per letter page
#: one fixed set of hash permutations (seed 1): every index and every process agree on them,
#: and making them once is most of a small MinHash's cost
_TEMPLATE = MinHash(num_perm=BANDS * ROWS, seed=1)


def band_terms(texts: Iterable[str]) -> list[str]:
    """The ``reuse`` terms of a letter's passages: one per band of each passage's signature."""
    terms: set[str] = set()
    for text in texts:
        words = shingles(text)
        if not words:
            continue
        signature = MinHash(
            num_perm=BANDS * ROWS,
            hashfunc=zlib.crc32,  # stable across processes, unlike hash(); C speed
            permutations=_TEMPLATE.permutations,
            scheme=_TEMPLATE.scheme,
        )
        signature.update_batch([w.encode("utf-8") for w in words])
        values = [int(v) for v in signature.hashvalues]
        for band in range(BANDS):
            rows = values[band * ROWS : (band + 1) * ROWS]
            terms.add(f"{band:02d}" + "".join(f"{v:08x}" for v in rows))
    return sorted(terms)


def shared_passages(searcher: Searcher, letter_id: str) -> list[SharedPassage]:
    """Every passage of this letter that recurs in another letter, best match per passage
    and other letter, most alike first."""
    docnum = searcher.document_number(id=letter_id)
    if docnum is None:
        return []
    own = _passage_shingles(json.loads(searcher.stored_fields(docnum)["doc"]))
    terms = band_terms(text for _n, text in own.values()) if own else []
    if not terms:
        return []
    candidates = searcher.search(
        wq.Or([wq.Term(FIELD, t) for t in terms]), limit=MAX_CANDIDATES + 1, scored=True
    )
    found: list[SharedPassage] = []
    for hit in candidates:
        if hit.docnum == docnum:
            continue
        record = json.loads(hit["doc"])
        other = _passage_shingles(record)
        for n, (words, _text) in own.items():
            best = max(((overlap(words, w), m) for m, (w, _t) in other.items()), default=(0.0, 0))
            if best[0] >= THRESHOLD:
                found.append(
                    SharedPassage(
                        n=n,
                        other_id=str(record["id"]),
                        other_n=best[1],
                        similarity=round(best[0], 3),
                        other_title=str(record.get("title") or ""),
                    )
                )
    return sorted(found, key=lambda s: (s.n, -s.similarity, s.other_id))


def _passage_shingles(record: dict[str, object]) -> dict[int, tuple[frozenset[str], str]]:
    passages = record.get("passages") or []
    out = {}
    for n, _kind, text in passages:  # type: ignore[attr-defined]
        words = shingles(str(text))
        if words:
            out[int(n)] = (words, str(text))
    return out

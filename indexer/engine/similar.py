"""Letters like this one ("more like this"): by the letter's most distinctive words.

The words that are frequent in this letter and rare in the archive (Whoosh's
``key_terms_from_text``, Bo1 weighting, analysed as the letter's body field) are searched as one
weighted OR over the body of letters in the same language. Letters that merely copy this one —
those sharing most of its paragraphs (``reuse.shared_passages``) — are left out: a reader
looking for related letters has already found the copies in "also in".
"""

from __future__ import annotations

import json
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.engine.reuse import shared_passages
from indexer.engine.schema import prose_field
from indexer.letters.dates import span
from indexer.letters.shingles import shingles
from indexer.results import SimilarLetter

KEY_TERMS = 25
COPY_SHARE = 0.5  # sharing at least this share of the letter's long paragraphs: a copy


def similar_letters(searcher: Searcher, letter_id: str, limit: int = 5) -> list[SimilarLetter]:
    docnum = searcher.document_number(id=letter_id)
    if docnum is None:
        return []
    record = json.loads(searcher.stored_fields(docnum)["doc"])
    field = prose_field("body", str(record.get("language") or "en"))
    text = "\n\n".join(str(text) for _n, _kind, text in record.get("passages", []))
    if field not in searcher.schema.names() or not text.strip():
        return []
    terms = searcher.key_terms_from_text(field, text, numterms=KEY_TERMS)
    if not terms:
        return []
    query = wq.Or([wq.Term(field, term, boost=float(weight)) for term, weight in terms])
    copies = _copies(searcher, letter_id, record)
    hits = searcher.search(query, limit=limit + len(copies) + 1)
    found = []
    for hit in hits:
        other = json.loads(hit["doc"])
        if hit.docnum == docnum or other["id"] in copies:
            continue
        start, end = span(other)
        title = str(other.get("title") or "")
        found.append(SimilarLetter(str(other["id"]), title, start, end, float(hit.score or 0.0)))
        if len(found) == limit:
            break
    return found


def _copies(searcher: Searcher, letter_id: str, record: dict[str, Any]) -> set[str]:
    """Letters sharing at least ``COPY_SHARE`` of this letter's long paragraphs."""
    long_passages = sum(1 for _n, _kind, text in record.get("passages", []) if shingles(text))
    by_letter: dict[str, set[int]] = {}
    for shared in shared_passages(searcher, letter_id):
        by_letter.setdefault(shared.other_id, set()).add(shared.n)
    return {
        other
        for other, passages in by_letter.items()
        if long_passages and len(passages) >= COPY_SHARE * long_passages
    }

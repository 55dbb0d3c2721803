"""Letters like this one ("more like this"): by the letter's most distinctive words.

The words that are frequent in this letter and rare in the archive (Whoosh's
``key_terms_from_text``, Bo1 weighting, analysed as the letter's body field) are searched as one
weighted OR over the body of letters in the same language. Near-duplicates of this one (the
same letter again, :mod:`indexer.letters.duplicates`) are left out: they rank first by
construction and tell a reader nothing new. A letter that quotes this one or shares a paragraph
with it is no copy and may be listed (its shared paragraphs are also in "also in").
"""

from __future__ import annotations

import json

from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.engine.schema import prose_field
from indexer.letters.dates import span
from indexer.letters.duplicates import signature
from indexer.results import SimilarLetter

KEY_TERMS = 25
MAX_COPIES = 50  # near-duplicates skipped at most (more: the list is shorter than asked)


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
    own = signature(record.get("passages", []))
    hits = searcher.search(query, limit=limit + MAX_COPIES + 1)
    found = []
    for hit in hits:
        other = json.loads(hit["doc"])
        if hit.docnum == docnum or own.duplicates(signature(other.get("passages", []))):
            continue
        start, end = span(other)
        title = str(other.get("title") or "")
        found.append(SimilarLetter(str(other["id"]), title, start, end, float(hit.score or 0.0)))
        if len(found) == limit:
            break
    return found

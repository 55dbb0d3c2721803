"""One index generation, opened for reading: a Whoosh searcher and the authorities and concept
thesaurus of that generation, so that every read of one request sees the same letters."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from whoosh.searching import Searcher

from indexer.correspondents import Directory, Network, PersonProfile
from indexer.engine import correspondence
from indexer.engine.budget import Budget
from indexer.engine.concepts import ConceptTerms
from indexer.engine.dateorder import date_table
from indexer.engine.facets import facet_tables
from indexer.engine.gencache import generation_key
from indexer.engine.lexicon import lexicon
from indexer.engine.matching import matching_ids
from indexer.engine.query import parse_query
from indexer.engine.reuse import shared_passages
from indexer.engine.schema import NO_DATE, date_iso, present_prose_fields
from indexer.engine.search import SearchResult, highlight_terms, hit_of, search
from indexer.engine.similar import similar_letters
from indexer.engine.snippets import Highlight
from indexer.letters.authority import Authorities
from indexer.letters.people import person_key
from indexer.request import SearchRequest
from indexer.results import Hit, SharedPassage, SimilarLetter

Record = dict[str, Any]  # a letter as stored: metadata, body, passages, html


class Snapshot:
    """Close it when done (``contextlib.closing``). ``searcher`` is for the engine's own code
    and tests; the facade never hands it out."""

    def __init__(
        self,
        searcher: Searcher,
        authorities: Authorities,
        seconds: float,
        concepts: ConceptTerms | None = None,
    ) -> None:
        self.searcher = searcher
        self.authorities = authorities
        self.seconds = seconds  # the time limit of each search
        self.concepts = concepts  # the concept thesaurus (None: none)

    def close(self) -> None:
        self.searcher.close()

    @property
    def generation(self) -> tuple[object, ...]:
        """Identifies the letters this snapshot sees (equal for equal index states)."""
        return generation_key(self.searcher.reader())

    def search(self, request: SearchRequest) -> SearchResult:
        return search(self.searcher, request, self.authorities, self.seconds, self.concepts)

    def matching_ids(self, request: SearchRequest) -> set[str]:
        return matching_ids(self.searcher, request, self.authorities, self.seconds, self.concepts)

    def highlight(self, q: str, concepts: bool = True) -> Highlight:
        terms = self.concepts if concepts else None
        present = present_prose_fields(self.searcher.reader())
        parsed = parse_query(q, self.searcher.schema, self.authorities, terms, present)
        return highlight_terms(self.searcher, parsed, Budget(self.seconds), self.authorities)

    def prepare_suggestions(self) -> None:
        """Build this generation's lexicon of spellings now (the warmer does, off requests)."""
        lexicon(self.searcher.reader())

    def person_key(self, name: str) -> str:
        return person_key(name, self.authorities)

    def person_name(self, key: str) -> str:
        return correspondence.name_of(self.searcher, self.authorities, key)

    def profile(self, key: str) -> PersonProfile | None:
        return correspondence.profile(self.searcher, self.authorities, key, Budget(self.seconds))

    def directory(self, q: str, sort: str, page: int, per_page: int) -> Directory:
        return correspondence.directory(self.searcher, self.authorities, q, sort, page, per_page)

    def network(self, request: SearchRequest) -> Network:
        budget = Budget(self.seconds)
        return correspondence.network(self.searcher, self.authorities, request, budget)

    def date_range(self) -> tuple[str | None, str | None]:
        """The first and last day the archive's letters cover (None, None: none is dated)."""
        dates = date_table(self.searcher.reader())
        if dates.earliest == NO_DATE:
            return None, None
        return date_iso(dates.earliest), date_iso(dates.latest)

    def facet_values(self, facet: str) -> dict[str, int]:
        """Every value of a facet in the whole archive with its number of letters."""
        table = facet_tables(self.searcher.reader())[facet]
        return {value: len(docs) for value, docs in table.postings.items()}

    def record(self, letter_id: str) -> Record | None:
        fields = self.searcher.document(id=letter_id)
        return json.loads(fields["doc"]) if fields else None

    def hits(self, letter_ids: Iterable[str]) -> list[Hit | None]:
        """The letters with these ids as hits, in that order (None: no such letter)."""
        records = (self.record(letter_id) for letter_id in letter_ids)
        return [hit_of(record, None, []) if record else None for record in records]

    def shared_passages(self, letter_id: str) -> list[SharedPassage]:
        return shared_passages(self.searcher, letter_id)

    def similar(self, letter_id: str, limit: int) -> list[SimilarLetter]:
        return similar_letters(self.searcher, letter_id, limit)

    def neighbours(self, letter_id: str) -> tuple[Record | None, Record | None]:
        """The letters just before and after this one in date order (undated ones last)."""
        doc = self.searcher.document_number(id=letter_id)
        if doc is None:
            return None, None
        before, after = date_table(self.searcher.reader()).neighbours(doc)
        return self._record_at(before), self._record_at(after)

    def identified(self, identity: str) -> Record | None:
        """The letter another letter's ``correspContext`` points to (its edition id or
        address, with or without a leading "#"), if the archive holds it."""
        for candidate in dict.fromkeys((identity.strip(), identity.strip().lstrip("#"))):
            if candidate:
                doc = self.searcher.document_number(identity=candidate)
                if doc is not None:
                    return self._record_at(doc)
        return None

    def _record_at(self, doc: int | None) -> Record | None:
        if doc is None:
            return None
        return json.loads(self.searcher.stored_fields(doc)["doc"])

"""Which words of a letter to mark for a query (``?q=`` on a letter page).

The library decides, so a letter page marks exactly what the search marks in its snippets:
``ArchiveSession.highlight_terms(q)`` gives the :class:`indexer.archive.Highlight` of a query
(its positive terms analysed with the index's analyzers, wildcards and fuzzy terms expanded over
the index's vocabulary, authority variants included), and
:func:`indexer.archive.match_passage` finds those terms in a text in the letter's language.
"""

from __future__ import annotations

from collections.abc import Mapping

from indexer.archive import ArchiveSession, Highlight, match_passage, merge_spans

MAX_QUERY_CHARS = 1000

Span = tuple[int, int]


class Marker:
    """Finds the words to mark in the texts of one letter, each passage in its language
    (``languages``: ¶ number -> language, for the passages not in the letter's)."""

    def __init__(
        self,
        highlight: Highlight | None = None,
        language: str | None = "en",
        languages: Mapping[int, str] | None = None,
    ) -> None:
        self.highlight = highlight or Highlight()
        self.language = language or "en"
        self.languages = dict(languages or {})

    def __bool__(self) -> bool:
        return bool(self.highlight)

    def spans(self, text: str, passage: int | None = None) -> list[Span]:
        """Character spans of the words in ``text`` (of ¶``passage``) to mark, in order, not
        overlapping."""
        if not self.highlight or not text.strip():
            return []
        language = self.languages.get(passage, self.language) if passage else self.language
        found = match_passage(0, text, self.highlight, language)
        return merge_spans(found.spans) if found else []


def marker_for(
    session: ArchiveSession,
    q: str,
    language: str | None,
    languages: Mapping[int, str] | None = None,
    concepts: bool = True,
) -> Marker:
    """The marker for query ``q`` (nothing is marked without a query), with the concept terms
    the search also searched unless ``concepts`` is off."""
    q = q.strip()[:MAX_QUERY_CHARS]
    return Marker(session.highlight_terms(q, concepts) if q else None, language, languages)

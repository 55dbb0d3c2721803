"""The concept thesaurus: labour-rights concepts with their terms in several languages.

``corpus/concepts.yaml`` (format in corpus/README.md) says that *strike*, *забастовка*,
*ереуіл* and *Streik* are one concept, so that a search in one language also finds letters
written in another. Terms are base forms: inflection is left to each language's analysis.
This module only reads and checks the file; how queries use it is the engine's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.letters.text import fold
from indexer.letters.yamlfile import read_entries

CONCEPT_FILE = "concepts.yaml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
#: characters of the query syntax, which a term may not hold (it is searched as plain words)
_SYNTAX = re.compile(r'["():*?~^\[\]{}\\]')


def concept_file(corpus: Path) -> Path:
    """Where a corpus keeps its concept thesaurus (it may have none)."""
    return corpus / CONCEPT_FILE


class ConceptError(ValueError):
    """The concept file cannot be used; the message names the entry and the problem."""


@dataclass(frozen=True)
class Concept:
    id: str
    terms: tuple[tuple[str, tuple[str, ...]], ...]  # (language, its terms), in file order

    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _terms in self.terms)

    def all_terms(self) -> Iterable[tuple[str, str]]:
        """(language, term) for every term, in file order."""
        for language, terms in self.terms:
            for term in terms:
                yield language, term


@dataclass(frozen=True)
class Concepts:
    concepts: tuple[Concept, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.concepts)

    def __len__(self) -> int:
        return len(self.concepts)

    def get(self, concept_id: str) -> Concept | None:
        return next((c for c in self.concepts if c.id == concept_id), None)


def load_concepts(path: Path) -> Concepts:
    """Read and check a concept file; a missing file means no concepts."""
    if not path.is_file():
        return Concepts()
    _data, entries = read_entries(path, "concepts", ConceptError)
    concepts = [_concept(f"{path}: concept {n}", raw) for n, raw in enumerate(entries, 1)]
    _check_unique(path, concepts)
    return Concepts(tuple(concepts))


def _concept(where: str, raw: Any) -> Concept:
    if not isinstance(raw, dict):
        raise ConceptError(f"{where}: expected a mapping with id and terms")
    unknown = set(raw) - {"id", "terms", "note"}
    if unknown:
        raise ConceptError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    concept_id = raw.get("id")
    if not isinstance(concept_id, str) or not _ID.match(concept_id):
        raise ConceptError(f"{where}: 'id' must be lowercase letters, digits and hyphens")
    where = f"{where} ({concept_id})"
    terms = raw.get("terms")
    if not isinstance(terms, dict) or not terms:
        raise ConceptError(f"{where}: 'terms' must map language codes (en, ru, …) to terms")
    checked = tuple((_language(where, lang), _terms(where, lang, t)) for lang, t in terms.items())
    if sum(len(t) for _lang, t in checked) < 2:
        raise ConceptError(f"{where}: a concept needs at least two terms to connect")
    return Concept(concept_id, checked)


def _language(where: str, language: Any) -> str:
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise ConceptError(
            f"{where}: {language!r} is not a language code (ISO 639-1, lowercase: en, ru, kk)"
        )
    return language


def _terms(where: str, language: str, raw: Any) -> tuple[str, ...]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not values:
        raise ConceptError(f"{where}: terms in '{language}' must be a term or a list of terms")
    terms = []
    for value in values:
        if not isinstance(value, str) or not re.search(r"\w", value):
            raise ConceptError(f"{where}: a term in '{language}' is empty or not text: {value!r}")
        syntax = _SYNTAX.search(value)
        if syntax:
            raise ConceptError(
                f"{where}: term {value!r} in '{language}' holds query syntax "
                f"({syntax.group(0)}); write plain words"
            )
        terms.append(" ".join(value.split()))
    return tuple(dict.fromkeys(terms))


def _check_unique(path: Path, concepts: list[Concept]) -> None:
    """Ids are unique, and a term belongs to one concept per language (else a query for it
    could not say which concept it means)."""
    ids: set[str] = set()
    owner: dict[tuple[str, str], str] = {}
    for concept in concepts:
        if concept.id in ids:
            raise ConceptError(f"{path}: concept id '{concept.id}' is used twice")
        ids.add(concept.id)
        for language, term in concept.all_terms():
            key = (language, " ".join(fold(w) for w in re.findall(r"\w+", term)))
            other = owner.setdefault(key, concept.id)
            if other != concept.id:
                raise ConceptError(
                    f"{path}: term {term!r} in '{language}' belongs to both "
                    f"'{other}' and '{concept.id}'"
                )


def to_json(concepts: Concepts) -> list[dict[str, Any]]:
    return [
        {"id": c.id, "terms": {lang: list(terms) for lang, terms in c.terms}}
        for c in concepts.concepts
    ]


def from_json(entries: list[dict[str, Any]]) -> Concepts:
    return Concepts(
        tuple(
            Concept(e["id"], tuple((lang, tuple(t)) for lang, t in e["terms"].items()))
            for e in entries
        )
    )

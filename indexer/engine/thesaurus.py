"""The concept thesaurus a generation searches with, kept beside its Whoosh files.

Concepts change how queries read, not what the index holds, so a changed
``corpus/concepts.yaml`` needs no rebuild: every ``letters index`` run copies it into the
current generation (atomically), and readers pick it up by the copy's modification time.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from indexer.engine.concepts import ConceptTerms
from indexer.engine.errors import IndexProblem
from indexer.letters.concepts import ConceptError, Concepts, concept_file, from_json, load_concepts
from indexer.letters.concepts import to_json as concepts_to_json

CONCEPTS_SNAPSHOT = "concepts.json"


def corpus_concepts(corpus: Path) -> Concepts:
    """The corpus's concept file, or an IndexProblem that says how to fix it."""
    try:
        return load_concepts(concept_file(corpus))
    except ConceptError as exc:
        raise IndexProblem(f"{exc}; fix the concept file and index again") from exc


def store_concepts(target: Path, concepts: Concepts) -> None:
    """Keep ``concepts`` beside generation ``target`` (unchanged content is not rewritten)."""
    text = json.dumps(concepts_to_json(concepts), ensure_ascii=False)
    path = target / CONCEPTS_SNAPSHOT
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    tmp = target / f"{CONCEPTS_SNAPSHOT}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class ConceptCache:
    """The concept terms of the generation last asked for, built once per stored copy."""

    def __init__(self) -> None:
        self._cached: tuple[tuple[Path, int] | None, ConceptTerms | None] = (None, None)
        # one build per stored copy, whatever the number of threads asking at once: each
        # build is a new object, and the results cache tells generations apart by it
        self._lock = threading.Lock()

    def at(self, target: Path) -> ConceptTerms | None:
        """The concept terms of generation ``target`` (None: it has none). OSError or
        ValueError when its copy vanished mid-swap or is damaged."""
        path = target / CONCEPTS_SNAPSHOT
        try:
            key: tuple[Path, int] | None = (target, path.stat().st_mtime_ns)
        except FileNotFoundError:
            return None
        with self._lock:
            cached_key, terms = self._cached
            if cached_key != key:
                concepts = from_json(json.loads(path.read_text(encoding="utf-8")))
                terms = ConceptTerms(concepts) if concepts else None
                self._cached = (key, terms)
            return terms

"""A rebuild: a fresh generation from the whole corpus, written beside the one in use.

Nothing changes for readers until the caller swaps the new folder in; a failure removes it.
A file that is broken now keeps its previous version, which ``previous`` looks up in the old
generation for that file alone, so the old index is never held in memory.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.engine import writing
from indexer.engine.generations import corpus_authorities, new_generation, write_snapshot
from indexer.engine.manifest import Entry, Manifest
from indexer.engine.schema import build_schema
from indexer.engine.thesaurus import corpus_concepts, store_concepts
from indexer.letters.corpus import walk_corpus
from indexer.letters.letter import Letter

#: corpus path -> the letter the index in use holds for it (None: none)
PreviousVersion = Callable[[str], Letter | None]


def build_generation(
    root: Path,
    corpus: Path,
    progress: writing.Progress | None,
    previous: PreviousVersion,
    earlier: Mapping[str, Entry],
) -> tuple[Path, writing.IndexReport]:
    """Write a new generation folder under ``root``; return it (not yet current) and the report.

    ``earlier`` is the record of the generation in use: a file whose content it holds keeps the
    time that content arrived, so a rebuild does not make every letter look new."""
    arrival = writing.now()
    report = writing.IndexReport(rebuilt=True)
    scan = walk_corpus(corpus)  # raises before anything is created if the corpus is missing
    files = scan.files
    writing.report_refused(scan, report)
    authorities = corpus_authorities(corpus)
    concepts = corpus_concepts(corpus)
    target = new_generation(root)
    try:
        index = whoosh_index.create_in(str(target), build_schema())
        claimed = writing.Claims()
        entries: dict[str, Entry] = {}
        with writing.writer(index, bulk=True) as w:
            for f in progress(files) if progress else files:
                letter = writing.load_file(f, corpus, claimed, report)
                checked: tuple[int | None, int | None] = (f.mtime_ns, f.size)
                if letter is None:
                    letter = previous(f.relative)  # broken now: keep what we had
                    if letter is None or claimed.holder(letter.id) is not None:
                        continue
                    claimed.claim(letter.id, f.relative)
                    report.kept.append(letter.id)
                    checked = (None, None)  # looked at again by the next update
                else:
                    report.added.append(letter.id)
                old = earlier.get(f.relative)
                same = old is not None and old.sha256 == letter.content_hash and old.arrived
                arrived = old.arrived if same and old else arrival
                w.add_document(**writing.index_document(letter, authorities, arrived))
                entries[f.relative] = Entry(letter.id, letter.content_hash, *checked, arrived)
        write_snapshot(target, corpus, authorities)
        store_concepts(target, concepts)
        Manifest(target).write(index.latest_generation(), entries, replace_all=True)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target, report

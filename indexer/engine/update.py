"""An incremental update of the current generation: new, changed and removed files only.

The manifest says what each file was when last indexed; a file whose mtime and size (or,
failing that, content hash) still match is not read again. The update writes into the current
generation: Whoosh commits are atomic, the old table of contents stays valid until the new one
is complete. A file that is broken now keeps its indexed version and its manifest entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from indexer.engine.manifest import Entry, Manifest
from indexer.engine.writing import (
    Claims,
    IndexReport,
    Progress,
    index_document,
    load_file,
    now,
    report_refused,
    writer,
)
from indexer.letters.authority import Authorities
from indexer.letters.corpus import named_files, walk_corpus
from indexer.letters.letter import Letter, LetterError


def update_generation(
    index: whoosh_index.Index,
    folder: Path,
    authorities: Authorities,
    corpus: Path,
    progress: Progress | None,
    only: Iterable[str | Path] | None,
) -> IndexReport:
    """Bring the generation in ``folder`` in line with the corpus (or the files ``only`` names)."""
    report = IndexReport()
    manifest = Manifest(folder)
    trusted = manifest.generation() == index.latest_generation()
    # the named files, else the whole corpus (also when the record cannot be trusted)
    named = only is not None and trusted
    scan = named_files(corpus, only) if only is not None and named else walk_corpus(corpus)
    files, deleted = scan.files, scan.missing
    present = {f.relative for f in files}
    refused = {r.relative for r in scan.refused}  # in scope: their entries go
    scope = present | deleted | refused
    report_refused(scan, report)
    if named:
        entries = manifest.entries(scope)
    else:
        entries = manifest.entries() if trusted else _entries_from_index(index)
    for relative in sorted(deleted - entries.keys()):
        report.errors.append(LetterError(relative, "no such file, and not in the index"))
    dirty: dict[str, Entry] = {}  # entries to record
    unchanged: set[str] = set()
    for f in files:
        old = entries.get(f.relative)
        if old and (old.mtime_ns, old.size) == (f.mtime_ns, f.size):
            unchanged.add(f.relative)
        elif old and old.sha256 == f.digest():
            dirty[f.relative] = old._replace(mtime_ns=f.mtime_ns, size=f.size)  # touched only
            unchanged.add(f.relative)
    # id -> path, for duplicate detection; files outside the scope are asked for by id
    claimed = Claims(
        {entries[p].id: p for p in unchanged},
        (lambda letter_id: manifest.path_of(letter_id, excluding=scope)) if named else None,
    )
    report.unchanged = len(unchanged)
    changes: list[Letter] = []
    arrival = now()
    arrivals: dict[str, str | None] = {}  # id -> when its content entered the archive
    replaced: set[str] = set()  # ids that changed files no longer carry
    for f in progress(files) if progress else files:
        if f.relative in unchanged:
            continue
        letter = load_file(f, corpus, claimed, report)
        if letter is None:
            continue  # broken: its indexed version (if any) stays, and so does its entry
        changes.append(letter)
        old = entries.get(f.relative)
        (report.updated if old and old.id == letter.id else report.added).append(letter.id)
        if old and old.id != letter.id:
            replaced.add(old.id)
        arrived = old.arrived if old and old.sha256 == letter.content_hash else arrival
        dirty[f.relative] = Entry(letter.id, letter.content_hash, f.mtime_ns, f.size, arrived)
        arrivals[letter.id] = arrived
    changed_ids = {letter.id for letter in changes}
    gone_paths = [p for p in entries if p not in present]
    gone = {entries[p].id for p in gone_paths}
    stale = (gone | replaced) - changed_ids
    if changes or stale:
        with writer(index) as w:
            for doc_id in stale:
                w.delete_by_term("id", doc_id)
            for letter in changes:
                w.update_document(**index_document(letter, authorities, arrivals[letter.id]))
    if dirty or gone_paths or not trusted:
        if trusted:
            manifest.write(index.latest_generation(), dirty, gone_paths)
        else:
            kept = {p: e for p, e in entries.items() if p in present}
            manifest.write(index.latest_generation(), kept | dirty, replace_all=True)
    report.removed = sorted(gone - changed_ids)
    return report


def _entries_from_index(index: whoosh_index.Index) -> dict[str, Entry]:
    """path -> entry rebuilt from the stored fields, when the manifest cannot be trusted
    (missing, or written for another commit by a process killed in between)."""
    with index.searcher() as searcher:
        return {f["path"]: Entry(f["id"], f["hash"], None, None) for f in _light_fields(searcher)}


def _light_fields(searcher: Searcher) -> Iterator[dict[str, Any]]:
    reader = searcher.reader()
    for docnum in reader.all_doc_ids():
        fields = reader.stored_fields(docnum)
        yield {"id": fields["id"], "path": fields["path"], "hash": fields["hash"]}

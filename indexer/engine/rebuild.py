"""A rebuild: a fresh generation from the whole corpus, written beside the one in use.

Nothing changes for readers until the caller swaps the new folder in; a failure removes it.
A file that is broken now keeps its previous version, which ``previous`` looks up in the old
generation for that file alone, so the old index is never held in memory.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import IndexWriter

from indexer.engine import parallel_build, writing
from indexer.engine.generations import corpus_authorities, new_generation, write_snapshot
from indexer.engine.manifest import Entry, Manifest
from indexer.engine.schema import build_schema
from indexer.engine.thesaurus import corpus_concepts, store_concepts
from indexer.engine.writing import Progress
from indexer.letters.authority import Authorities
from indexer.letters.corpus import CorpusFile, walk_corpus
from indexer.letters.letter import Letter, LetterError

#: corpus path -> the letter the index in use holds for it (None: none)
PreviousVersion = Callable[[str], Letter | None]


def build_generation(
    root: Path,
    corpus: Path,
    progress: writing.Progress | None,
    previous: PreviousVersion,
    earlier: Mapping[str, Entry],
    jobs: int = 1,
) -> tuple[Path, writing.IndexReport]:
    """Write a new generation folder under ``root``; return it (not yet current) and the report.

    ``earlier`` is the record of the generation in use: a file whose content it holds keeps the
    time that content arrived, so a rebuild does not make every letter look new. ``jobs``
    allows that many worker processes (``parallel_build``) for a large corpus."""
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
        build = _Build(index, authorities, previous, earlier, arrival, report)
        workers = parallel_build.worker_count(jobs, len(files))
        if workers > 1:
            build.in_workers(target, corpus, files, workers, progress)
        else:
            build.here(corpus, files, progress)
        write_snapshot(target, corpus, authorities)
        store_concepts(target, concepts)
        Manifest(target).write(index.latest_generation(), build.entries, replace_all=True)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target, report


class _Build:
    """The letters of one build and their record, decided file by file in corpus order
    (the first file with an id keeps it; a file broken now keeps its previous version)."""

    def __init__(
        self,
        index: whoosh_index.Index,
        authorities: Authorities,
        previous: PreviousVersion,
        earlier: Mapping[str, Entry],
        arrival: str,
        report: writing.IndexReport,
    ) -> None:
        self.index, self.authorities, self.previous = index, authorities, previous
        self.earlier, self.arrival, self.report = earlier, arrival, report
        self.claimed = writing.Claims()
        self.entries: dict[str, Entry] = {}

    def here(self, corpus: Path, files: Sequence[CorpusFile], progress: Progress | None) -> None:
        """Read and write every file in this process."""
        with writing.writer(self.index, bulk=True) as w:
            for f in progress(files) if progress else files:
                letter = writing.load_file(f, corpus, self.claimed, self.report)
                if letter is None:
                    self._keep_previous(w, f)
                    continue
                self.report.added.append(letter.id)
                arrived = self._arrived(f, letter.content_hash)
                w.add_document(**writing.index_document(letter, self.authorities, arrived))
                self._record(f, letter.id, letter.content_hash, arrived)

    def in_workers(
        self,
        folder: Path,
        corpus: Path,
        files: Sequence[CorpusFile],
        workers: int,
        progress: Progress | None,
    ) -> None:
        """Let worker processes read and write the files, one segment each; keep the letters
        the order of the files says, delete the others from their segments."""
        outcomes, segments = parallel_build.write_shares(
            str(folder), str(corpus), files, workers, self.authorities, self.earlier,
            self.arrival, progress,
        )  # fmt: skip
        with writing.writer(self.index, bulk=True, merge=False) as w:
            parallel_build.add_segments(w, segments)
            for f, (share, outcome) in zip(files, outcomes, strict=True):
                if outcome.problem:
                    self.report.errors.append(LetterError(outcome.problem_at, outcome.problem))
                    self._keep_previous(w, f)
                elif not writing.claim(self.claimed, outcome.id, f.relative, self.report):
                    segments[share].delete_document(outcome.docnum)
                else:
                    self.report.warnings.extend(outcome.warnings)
                    self.report.added.append(outcome.id)
                    self._record(f, outcome.id, outcome.content_hash, outcome.arrived)

    def _keep_previous(self, w: IndexWriter, f: CorpusFile) -> None:
        """A file broken now keeps the letter the index in use holds for it, if any."""
        letter = self.previous(f.relative)
        if letter is None or self.claimed.holder(letter.id) is not None:
            return
        self.claimed.claim(letter.id, f.relative)
        self.report.kept.append(letter.id)
        arrived = self._arrived(f, letter.content_hash)
        w.add_document(**writing.index_document(letter, self.authorities, arrived))
        # no mtime and size: looked at again by the next update
        self.entries[f.relative] = Entry(letter.id, letter.content_hash, None, None, arrived)

    def _arrived(self, f: CorpusFile, content_hash: str) -> str | None:
        return writing.arrival_time(self.earlier.get(f.relative), content_hash, self.arrival)

    def _record(
        self, f: CorpusFile, letter_id: str, content_hash: str, arrived: str | None
    ) -> None:
        self.entries[f.relative] = Entry(letter_id, content_hash, f.mtime_ns, f.size, arrived)

"""Generation folders of an index root: which one is current, swapping, cleanup and the lock.

Layout of an index root::

    <root>/current -> gen-20261124T081500-1a2b   (symlink, swapped atomically)
    <root>/gen-…                                  (one Whoosh index per generation)
    <root>/write.lock                             (flock: only one writer at a time)

Beside its Whoosh files a generation keeps the schema version and the authority file it was
built with, so that an index of another version or of changed authorities is rebuilt, not
misread. A process killed mid-write leaves a stale folder, cleaned up by the next writer; the
flock dies with its process, so there are no stale locks.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.engine.errors import IndexBusy, IndexProblem
from indexer.engine.schema import SCHEMA_VERSION
from indexer.letters.authority import Authorities, AuthorityError, authority_file, load_authorities
from indexer.letters.authority import from_json as authority_from_json
from indexer.letters.authority import to_json as authority_to_json

AUTHORITIES_SNAPSHOT = "authorities.json"
AUTHORITIES_HASH = "authorities.sha256"
SCHEMA_MARKER = "schema-version"


def current_generation(root: Path) -> Path | None:
    """The folder ``current`` points to, if it holds a committed Whoosh index."""
    link = root / "current"
    if not link.is_symlink() and not link.is_dir():
        return None
    target = link.resolve()
    has_toc = target.is_dir() and any(p.suffix == ".toc" for p in target.iterdir())
    return target if has_toc else None


def is_current_version(folder: Path | None) -> bool:
    """Whether ``folder`` was built with this version's schema (else it needs a rebuild)."""
    marker = folder / SCHEMA_MARKER if folder else None
    return bool(marker and marker.is_file() and marker.read_text().strip() == SCHEMA_VERSION)


@contextmanager
def write_lock(root: Path) -> Iterator[None]:
    """Hold the root's single-writer lock, or raise IndexBusy at once."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "write.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusy(root) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_generation(root: Path) -> Path:
    target = root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.urandom(3).hex()}"
    target.mkdir(parents=True)
    return target


def swap_in(root: Path, target: Path) -> None:
    """Point ``current`` at ``target`` atomically; readers of the old one keep working."""
    link, tmp = root / "current", root / f"current.{os.getpid()}.tmp"
    if link.exists() and not link.is_symlink():  # an index folder from an older layout
        shutil.rmtree(link)
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target.name)
    os.replace(tmp, link)
    remove_stale_generations(root, keep_previous=True)


def remove_stale_generations(root: Path, keep_previous: bool = False) -> None:
    """Delete generation folders that are neither current nor (optionally) the last one."""
    link = root / "current"
    current = link.resolve() if link.is_symlink() else current_generation(root)
    generations = sorted(p.resolve() for p in root.glob("gen-*") if p.is_dir())
    keep = {current} if current else set()  # never the folder "current" points to
    if keep_previous:
        older = [g for g in generations if g != current]
        keep.update(older[-1:])
    for folder in generations:
        if folder not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    for tmp in root.glob("current.*.tmp"):
        tmp.unlink(missing_ok=True)


def corpus_authorities(corpus: Path) -> Authorities:
    """The corpus's authority file, or an IndexProblem that says how to fix it."""
    try:
        return load_authorities(authority_file(corpus))
    except AuthorityError as exc:
        raise IndexProblem(f"{exc}; fix the authority file and index again") from exc


def read_authorities(folder: Path) -> Authorities:
    """The authorities a generation was built with, for searching it."""
    path = folder / AUTHORITIES_SNAPSHOT
    entries = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    return authority_from_json(entries)


def authorities_changed(folder: Path | None, corpus: Path) -> bool:
    """Whether the corpus's authority file differs from the one ``folder`` was built with."""
    recorded = folder / AUTHORITIES_HASH if folder else None
    old = recorded.read_text().strip() if recorded and recorded.is_file() else ""
    return old != _file_hash(authority_file(corpus))


def write_snapshot(target: Path, corpus: Path, authorities: Authorities) -> None:
    """Keep the schema version and the authorities a generation was built with beside it."""
    snapshot = json.dumps(authority_to_json(authorities), ensure_ascii=False)
    (target / AUTHORITIES_SNAPSHOT).write_text(snapshot, encoding="utf-8")
    (target / AUTHORITIES_HASH).write_text(_file_hash(authority_file(corpus)))
    (target / SCHEMA_MARKER).write_text(SCHEMA_VERSION)


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "none"

"""Loading IR test collections: the BEIR layout and the Cranfield layout.

Both give a :class:`Collection` whose qrels map query id -> {doc id: grade}, a grade above 0
meaning relevant and higher meaning more relevant. Only queries that have judgments are kept.

BEIR (``PATH/corpus.jsonl``, ``PATH/queries.jsonl``, ``PATH/qrels/SPLIT.tsv``): the grade is the
qrels score as written.

Cranfield (``PATH/cran.all.1400``, ``PATH/cran.qry``, ``PATH/cranqrel``):

* ``cranqrel`` numbers queries by their position (1-225) in ``cran.qry``, not by their ``.I``
  number, so query ids here are those positions (as strings).
* Codes follow Cleverdon's scale from the collection's readme: 1 = complete answer ... 4 = of
  minimum interest, -1 (and 5) = of no interest. Codes 1-4 are relevant with grade 5 - code
  (4, 3, 2, 1); -1 and 5 are dropped.
* A few documents have a stray ``.A``/``.B``/``.W`` line inside their abstract (240, 576, 578);
  a field marker seen a second time in one record is skipped and the text goes on.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

BEIR_FILES = ("corpus.jsonl", "queries.jsonl")
CRANFIELD_FILES = ("cran.all.1400", "cran.qry", "cranqrel")
CRANFIELD_NO_INTEREST = {-1, 5}
CRANFIELD_RELEVANT = {1, 2, 3, 4}

DEPTH = 100  # documents an engine retrieves per query
Run = dict[str, list[str]]  # an engine's rankings: query id -> doc ids, best first


class CollectionError(Exception):
    """A collection folder or file is missing or malformed; the message names file and line."""


class UnknownSplit(CollectionError):
    """A BEIR folder has no ``qrels/SPLIT.tsv`` for the split asked for."""

    def __init__(self, message: str, available: list[str]) -> None:
        super().__init__(message)
        self.available = available


@dataclass
class Collection:
    name: str
    docs: dict[str, tuple[str, str]]  # doc id -> (title, text)
    queries: dict[str, str]  # query id -> text, only queries that have judgments
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: grade}
    split: str | None = None  # BEIR qrels file used; None for Cranfield
    notes: list[str] = field(default_factory=list)


def is_cranfield(path: Path) -> bool:
    return (Path(path) / "cran.all.1400").is_file()


def load_collection(path: Path | str, split: str = "train") -> Collection:
    """Load a BEIR or (auto-detected) Cranfield collection; Cranfield has no splits."""
    path = Path(path)
    if not path.is_dir():
        raise CollectionError(f"{path}: not a folder")
    if is_cranfield(path):
        return load_cranfield(path)
    return load_beir(path, split)


# --- BEIR -------------------------------------------------------------------------------------


def available_splits(path: Path) -> list[str]:
    folder = Path(path) / "qrels"
    return sorted(p.stem for p in folder.glob("*.tsv")) if folder.is_dir() else []


def load_beir(path: Path | str, split: str = "train") -> Collection:
    """Load ``corpus.jsonl``, ``queries.jsonl`` and ``qrels/SPLIT.tsv`` from a BEIR folder."""
    path = Path(path)
    missing = [name for name in BEIR_FILES if not (path / name).is_file()]
    if missing:
        raise CollectionError(
            f"{path}: missing {', '.join(missing)} (expected a BEIR folder with corpus.jsonl, "
            f"queries.jsonl and qrels/SPLIT.tsv, or a Cranfield folder with cran.all.1400)"
        )
    qrels_file = path / "qrels" / f"{split}.tsv"
    if not qrels_file.is_file():
        splits = available_splits(path)
        known = f"; available: {', '.join(splits)}" if splits else "; there is no qrels/*.tsv"
        raise UnknownSplit(f"{qrels_file}: no such qrels file{known}", splits)

    docs: dict[str, tuple[str, str]] = {}
    for line_no, record in _jsonl(path / "corpus.jsonl"):
        doc_id = _record_id(record, path / "corpus.jsonl", line_no)
        if doc_id in docs:
            raise CollectionError(f"{path / 'corpus.jsonl'} line {line_no}: duplicate _id {doc_id}")
        docs[doc_id] = (
            _text(record, "title", path / "corpus.jsonl", line_no),
            _text(record, "text", path / "corpus.jsonl", line_no),
        )
    all_queries: dict[str, str] = {}
    for line_no, record in _jsonl(path / "queries.jsonl"):
        query_id = _record_id(record, path / "queries.jsonl", line_no)
        all_queries[query_id] = _text(record, "text", path / "queries.jsonl", line_no)

    qrels = _beir_qrels(qrels_file, all_queries)
    queries = {qid: text for qid, text in all_queries.items() if qid in qrels}
    qrels = {qid: qrels[qid] for qid in queries}  # queries.jsonl order, deterministic
    return Collection(path.name, docs, queries, qrels, split=split, notes=_notes(docs, qrels))


def _jsonl(file: Path) -> list[tuple[int, dict[str, object]]]:
    records = []
    with file.open(encoding="utf-8") as stream:
        for line_no, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CollectionError(f"{file} line {line_no}: not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise CollectionError(f"{file} line {line_no}: expected a JSON object")
            records.append((line_no, record))
    return records


def _record_id(record: dict[str, object], file: Path, line_no: int) -> str:
    value = record.get("_id")
    if value is None or str(value).strip() == "":
        raise CollectionError(f"{file} line {line_no}: no _id")
    return str(value)


def _text(record: dict[str, object], key: str, file: Path, line_no: int) -> str:
    value = record.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CollectionError(f"{file} line {line_no}: {key} is not a string")
    return value


def _beir_qrels(file: Path, queries: dict[str, str]) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with file.open(encoding="utf-8") as stream:
        for line_no, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            parts = line.split()
            if line_no == 1 and parts[:1] == ["query-id"]:
                continue  # header
            if len(parts) != 3:
                raise CollectionError(
                    f"{file} line {line_no}: expected 'query-id corpus-id score', got {line!r}"
                )
            query_id, doc_id, score = parts
            try:
                grade = int(float(score))
            except ValueError as exc:
                raise CollectionError(
                    f"{file} line {line_no}: score {score!r} is not a number"
                ) from exc
            if query_id not in queries:
                raise CollectionError(
                    f"{file} line {line_no}: query {query_id} not in queries.jsonl"
                )
            qrels.setdefault(query_id, {})[doc_id] = grade
    return qrels


# --- Cranfield --------------------------------------------------------------------------------

_MARKER = re.compile(r"^\.([A-Z])(?:\s+(.*))?$")


def load_cranfield(path: Path | str) -> Collection:
    """Load ``cran.all.1400``, ``cran.qry`` and ``cranqrel`` (ordinal query ids, see above)."""
    path = Path(path)
    missing = [name for name in CRANFIELD_FILES if not (path / name).is_file()]
    if missing:
        raise CollectionError(f"{path}: missing {', '.join(missing)} (Cranfield layout)")
    docs = {
        doc_id: (fields.get("T", ""), fields.get("W", ""))
        for doc_id, fields in _cranfield_records(path / "cran.all.1400", "TABW")
    }
    query_records = _cranfield_records(path / "cran.qry", "W")
    # cranqrel counts queries 1, 2, 3 ... in file order, whatever their .I says.
    all_queries = {str(n): fields.get("W", "") for n, (_, fields) in enumerate(query_records, 1)}
    qrels = _cranfield_qrels(path / "cranqrel", len(all_queries))
    queries = {qid: text for qid, text in all_queries.items() if qid in qrels}
    qrels = {qid: qrels[qid] for qid in queries}
    return Collection(path.name, docs, queries, qrels, split=None, notes=_notes(docs, qrels))


def _cranfield_records(file: Path, allowed: str) -> list[tuple[str, dict[str, str]]]:
    """Records of a SMART-format file: ``.I id`` then field markers each on their own line."""
    records: list[tuple[str, dict[str, list[str]]]] = []
    seen_ids: set[str] = set()
    current: str | None = None
    with file.open(encoding="utf-8", errors="replace") as stream:
        for line_no, raw in enumerate(stream, start=1):
            line = raw.rstrip("\n")
            marker = _MARKER.match(line)
            if marker and marker.group(1) == "I":
                record_id = (marker.group(2) or "").strip()
                if not record_id.isdigit():
                    raise CollectionError(f"{file} line {line_no}: .I needs a number, got {line!r}")
                record_id = str(int(record_id))
                if record_id in seen_ids:
                    raise CollectionError(f"{file} line {line_no}: duplicate .I {record_id}")
                seen_ids.add(record_id)
                records.append((record_id, {}))
                current = None
                continue
            if marker and not marker.group(2) and marker.group(1) in "TABWX":
                name = marker.group(1)
                if not records:
                    raise CollectionError(f"{file} line {line_no}: .{name} before the first .I")
                if name not in allowed:
                    raise CollectionError(f"{file} line {line_no}: unexpected field .{name}")
                fields = records[-1][1]
                if name not in fields:
                    fields[name] = []
                    current = name
                # else: a stray repeated marker inside the text; skip it and go on
                continue
            if not records:
                if line.strip():
                    raise CollectionError(f"{file} line {line_no}: text before the first .I")
                continue
            if current is None:
                if line.strip():
                    raise CollectionError(f"{file} line {line_no}: text outside a field")
                continue
            records[-1][1][current].append(line)
    return [
        (record_id, {name: " ".join(" ".join(lines).split()) for name, lines in fields.items()})
        for record_id, fields in records
    ]


def _cranfield_qrels(file: Path, query_count: int) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with file.open(encoding="utf-8") as stream:
        for line_no, line in enumerate(stream, start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 3:
                raise CollectionError(
                    f"{file} line {line_no}: expected 'query doc code', got {line.strip()!r}"
                )
            try:
                query_no, doc_no, code = (int(p) for p in parts)
            except ValueError as exc:
                raise CollectionError(f"{file} line {line_no}: expected three integers") from exc
            if not 1 <= query_no <= query_count:
                raise CollectionError(
                    f"{file} line {line_no}: query {query_no} out of range "
                    f"(cran.qry has {query_count} queries, numbered by position)"
                )
            if code in CRANFIELD_NO_INTEREST:
                continue
            if code not in CRANFIELD_RELEVANT:
                raise CollectionError(f"{file} line {line_no}: unknown relevance code {code}")
            qrels.setdefault(str(query_no), {})[str(doc_no)] = 5 - code
    return qrels


def _notes(docs: dict[str, tuple[str, str]], qrels: dict[str, dict[str, int]]) -> list[str]:
    notes = []
    empty = sorted((d for d, (t, x) in docs.items() if not (t.strip() or x.strip())), key=_natural)
    if empty:
        notes.append(f"{len(empty)} empty document(s): {', '.join(empty[:10])}")
    unknown = {d for judged in qrels.values() for d in judged if d not in docs}
    if unknown:
        notes.append(f"{len(unknown)} judged document(s) not in the corpus")
    return notes


def _natural(text: str) -> tuple[int, str]:
    return (int(text), text) if text.isdigit() else (1 << 62, text)

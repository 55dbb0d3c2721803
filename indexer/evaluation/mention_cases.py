"""The mention test set: sentences with the entities a reader sees in them.

A mention file (YAML, ``tests/quality/mentions.yaml``) names an authority file and sentences,
each with its language and the ids of every entity it names. The recogniser
(:mod:`indexer.letters.mentions`, the one the index and the search use) reads each sentence;
precision and recall are counted over (sentence, entity) pairs, overall and per language, so
a negative sentence ("87 workers") costs precision when it is given an entity.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from indexer.letters.authority import AuthorityError, load_authorities

SENTENCE_KEYS = {"id", "lang", "text", "expect", "note"}


class MentionFileError(ValueError):
    """The mention file cannot be read or is not of the documented shape."""


@dataclass(frozen=True)
class Sentence:
    id: str
    lang: str
    text: str
    expect: frozenset[str]


def is_mention_file(path: Path) -> bool:
    """Whether a YAML file is a mention set (it has ``sentences``), not a search case file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and "sentences" in data


def evaluate_mentions(path: Path) -> dict[str, Any]:
    """Precision, recall and the wrong sentences of the recogniser on a mention file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MentionFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("authorities"), str):
        raise MentionFileError(f"{path}: needs 'authorities' (a path) and 'sentences' (a list)")
    authority_path = path.parent / data["authorities"]
    if not authority_path.is_file():
        raise MentionFileError(f"{path}: no authority file at {authority_path}")
    try:
        authorities = load_authorities(authority_path)
    except AuthorityError as exc:
        raise MentionFileError(str(exc)) from exc
    sentences = _sentences(path, data.get("sentences"), set(authorities.entities))
    rows = []
    for s in sentences:
        found = set(authorities.mentions([s.text]))
        rows.append((s, found))
    languages = sorted({s.lang for s in sentences})
    return {
        "file": str(path),
        "authorities": os.path.normpath(authority_path),
        "sentences": len(sentences),
        "overall": _scores(rows),
        "languages": {lang: _scores(r for r in rows if r[0].lang == lang) for lang in languages},
        "wrong": [
            {
                "id": s.id,
                "lang": s.lang,
                "text": s.text,
                "missed": sorted(s.expect - found),
                "extra": sorted(found - s.expect),
            }
            for s, found in rows
            if found != s.expect
        ],
    }


def _sentences(path: Path, raw: Any, known: set[str]) -> list[Sentence]:
    if not isinstance(raw, list) or not raw:
        raise MentionFileError(f"{path}: 'sentences' must be a non-empty list")
    out: list[Sentence] = []
    for n, item in enumerate(raw, 1):
        where = f"{path}: sentence {n}"
        if not isinstance(item, dict):
            raise MentionFileError(f"{where}: not a mapping")
        unknown = sorted(set(item) - SENTENCE_KEYS)
        if unknown:
            raise MentionFileError(f"{where}: unknown key(s) {', '.join(unknown)}")
        for key in ("id", "lang", "text"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise MentionFileError(f"{where}: '{key}' must be a non-empty string")
        expect = item.get("expect")
        if not isinstance(expect, list) or not all(isinstance(e, str) for e in expect):
            raise MentionFileError(f"{where} ({item['id']}): 'expect' must be a list of ids")
        strangers = sorted(set(expect) - known)
        if strangers:
            raise MentionFileError(
                f"{where} ({item['id']}): not in the authority file: {', '.join(strangers)}"
            )
        out.append(Sentence(item["id"], item["lang"], item["text"], frozenset(expect)))
    ids = [s.id for s in out]
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    if doubles:
        raise MentionFileError(f"{path}: sentence ids used twice: {', '.join(doubles)}")
    return out


def _scores(rows: Iterable[tuple[Sentence, set[str]]]) -> dict[str, Any]:
    sentences = expected = found = correct = 0
    for sentence, got in rows:
        sentences += 1
        expected += len(sentence.expect)
        found += len(got)
        correct += len(sentence.expect & got)
    return {
        "sentences": sentences,
        "expected": expected,
        "found": found,
        "correct": correct,
        "precision": round(correct / found, 4) if found else 1.0,
        "recall": round(correct / expected, 4) if expected else 1.0,
    }


def format_mention_report(summary: dict[str, Any]) -> str:
    """The figures as a small table, then each sentence with a missed or an extra entity."""
    lines = [
        f"{summary['file']}: {summary['sentences']} sentences, "
        f"authorities {summary['authorities']}",
        f"{'':<8} {'sentences':>9} {'expected':>8} {'found':>6} {'correct':>7} "
        f"{'precision':>9} {'recall':>7}",
    ]
    for name, scores in [("all", summary["overall"]), *summary["languages"].items()]:
        lines.append(
            f"{name:<8} {scores['sentences']:>9} {scores['expected']:>8} {scores['found']:>6} "
            f"{scores['correct']:>7} {scores['precision']:>9.3f} {scores['recall']:>7.3f}"
        )
    for wrong in summary["wrong"]:
        missed = f" missed: {', '.join(wrong['missed'])}" if wrong["missed"] else ""
        extra = f" extra: {', '.join(wrong['extra'])}" if wrong["extra"] else ""
        lines.append(f"  {wrong['id']} ({wrong['lang']}):{missed}{extra}  {wrong['text']}")
    return "\n".join(lines)

"""``letters eval --languages DIR``: the language detector against the languages TEI letters
state (``langUsage``, ``@xml:lang``), letter by letter, as the importer would detect them.

Letters whose TEI states no language (the Escher edition states none) cannot be scored; their
detected languages are counted, so a reader sees what the detector made of them.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from indexer.formats.tei import read_tei
from indexer.letters.language import detect_language
from indexer.letters.letter import LetterError

UNKNOWN = "?"  # too little text to tell


class LanguageEvalError(ValueError):
    """A folder that holds no TEI letters to measure."""


def tei_files(folder: Path, every: int = 1) -> list[Path]:
    """The XML files under ``folder`` in name order, every ``every``-th (a sample)."""
    if not folder.is_dir():
        raise LanguageEvalError(f"{folder}: no such folder (give a folder of TEI letters)")
    files = sorted(folder.rglob("*.xml"))[::every]
    if not files:
        raise LanguageEvalError(f"{folder}: no .xml files (give a folder of TEI letters)")
    return files


def evaluate_languages(folder: Path, every: int = 1) -> dict[str, Any]:
    """Accuracy of :func:`detect_language` on the letters under ``folder`` that state their
    language, the confusions, and what it detected in the others."""
    started = time.perf_counter()
    stated: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    unstated: Counter[str] = Counter()
    unreadable = chars = 0
    seconds = 0.0
    for path in tei_files(folder, every):
        try:
            letter = read_tei(path)
        except LetterError:
            unreadable += 1
            continue
        chars += len(letter.body)
        clock = time.perf_counter()
        detected = detect_language(letter.body) or UNKNOWN
        seconds += time.perf_counter() - clock
        if "language" in letter.missing:
            unstated[detected] += 1
            continue
        truth = str(letter.front["language"])
        stated[truth] += 1
        if detected != truth:
            confusions[(truth, detected)] += 1
    scored = sum(stated.values())
    return {
        "folder": str(folder),
        "letters": scored + sum(unstated.values()),
        "unreadable": unreadable,
        "stated": dict(stated.most_common()),
        "correct": scored - sum(confusions.values()),
        "accuracy": (scored - sum(confusions.values())) / scored if scored else None,
        "confusions": [
            {"stated": truth, "detected": found, "letters": n}
            for (truth, found), n in confusions.most_common()
        ],
        "unstated": dict(unstated.most_common()),
        "detect_seconds": seconds,
        "chars_per_second": chars / seconds if seconds else None,
        "seconds": time.perf_counter() - started,
    }


def format_languages(result: dict[str, Any]) -> str:
    """The result as a few lines of text."""
    lines = [f"{result['folder']}: {result['letters']} letters ({result['unreadable']} unreadable)"]
    if result["accuracy"] is None:
        lines.append("no letter states its language: accuracy cannot be measured")
    else:
        stated = ", ".join(f"{lang} {n}" for lang, n in result["stated"].items())
        lines.append(
            f"stated languages: {stated}; detected right: {result['correct']} "
            f"({result['accuracy']:.1%})"
        )
        lines += [
            f"  stated {c['stated']}, detected {c['detected']}: {c['letters']}"
            for c in result["confusions"]
        ]
    if result["unstated"]:
        found = ", ".join(f"{lang} {n}" for lang, n in result["unstated"].items())
        lines.append(f"letters stating no language, detected as: {found} (?: too little text)")
    speed = result["chars_per_second"]
    lines.append(
        f"detection: {result['detect_seconds']:.1f} s"
        + (f" ({speed / 1e6:.2f} M characters/s)" if speed else "")
        + f"; whole run {result['seconds']:.1f} s"
    )
    return "\n".join(lines)

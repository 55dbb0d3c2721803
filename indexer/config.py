"""Where the corpus and the index live (option, then environment variable, then a default), and
the time limit of a search.

The defaults suit a checkout: ``corpus/`` of the checkout and ``var/index`` beside it (outside
the corpus and ignored by git). Nothing is read at import time.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CORPUS_ENV = "LETTERS_CORPUS"
INDEX_ENV = "LETTERS_INDEX"


def project_root() -> Path:
    """The checkout holding this package when it has a corpus, else the working directory."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / "corpus").is_dir() else Path.cwd()


def corpus_path(option: str | os.PathLike[str] | None = None) -> Path:
    if option:
        return Path(option)
    if os.environ.get(CORPUS_ENV):
        return Path(os.environ[CORPUS_ENV])
    return project_root() / "corpus"


def index_path(option: str | os.PathLike[str] | None = None) -> Path:
    if option:
        return Path(option)
    if os.environ.get(INDEX_ENV):
        return Path(os.environ[INDEX_ENV])
    return project_root() / "var" / "index"


CMIF_LICENCE_ENV = "LETTERS_CMIF_LICENCE"


def cmif_licence(option: str | None = None) -> str:
    """The licence address exported CMIF states (option, then environment variable; ''
    for the default, CC BY 4.0 — see indexer.formats.cmif)."""
    return (option or os.environ.get(CMIF_LICENCE_ENV) or "").strip()


SEARCH_SECONDS_ENV = "LETTERS_SEARCH_SECONDS"


def search_seconds(value: object) -> float:
    """A configured search time limit (a number or its text) in seconds.

    Raises ValueError with a message naming the bad value: a limit of zero, a negative one,
    or no number at all would make every search fail or never stop.
    """
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"search time limit: {value!r} is not a number of seconds") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"search time limit: {value!r} must be more than 0 seconds")
    return seconds


RESULT_CACHE_MB = 32.0  # of complete results kept per process (archive.py, webapp, serve)


def result_cache_megabytes(value: object) -> float:
    """A configured size of the results cache (a number or its text) in megabytes; 0 turns
    it off. Raises ValueError with a message naming the bad value."""
    try:
        megabytes = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"result cache: {value!r} is not a number of megabytes") from None
    if not math.isfinite(megabytes) or megabytes < 0:
        raise ValueError(f"result cache: {value!r} must be 0 (off) or more megabytes")
    return megabytes

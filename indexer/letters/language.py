"""Guessing a letter's language when its front matter does not say, to pick the stemmer."""

from __future__ import annotations

import re
from collections import Counter

from indexer.letters.text import fold

_KAZAKH_LETTERS = set("әғқңөұүһі")
_MARKERS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "with", "we", "our", "are"},
    "de": {"der", "die", "und", "das", "nicht", "ist", "mit", "wir", "ein", "eine", "zu", "den"},
    "fr": {"le", "la", "les", "et", "des", "est", "nous", "une", "pour", "dans", "que", "du"},
    "it": {"il", "di", "che", "della", "per", "non", "sono", "una", "gli", "con", "lo", "ho"},
    "ru": {"и", "в", "не", "на", "что", "с", "по", "мы", "для", "это", "как", "к"},
    "kk": {"және", "мен", "бұл", "үшін", "біз", "емес", "бойынша", "туралы", "деп", "да"},
}


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the most likely language among en, de, fr, it, ru and kk."""
    words = [fold(w) for w in re.findall(r"\w+", text[:20_000])]
    if not words:
        return default
    letters = Counter(c for w in words for c in w if c.isalpha())
    total = sum(letters.values()) or 1
    cyrillic = sum(n for c, n in letters.items() if "\u0400" <= c <= "\u04ff") / total
    if cyrillic > 0.5:
        kazakh = sum(letters[c] for c in _KAZAKH_LETTERS)
        marker_kk = sum(1 for w in words if w in _MARKERS["kk"])
        marker_ru = sum(1 for w in words if w in _MARKERS["ru"])
        return "kk" if kazakh / total > 0.01 or marker_kk > marker_ru else "ru"
    scores = {
        lang: sum(1 for w in words if w in markers)
        for lang, markers in _MARKERS.items()
        if lang in ("en", "de", "fr", "it")
    }
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else default

"""A letter's language, and its passages' languages, from the text when the letter does not say.

The model is py3langid's (naive Bayes over byte n-grams, 140 languages, a 4.6 MB wheel). It was
chosen over lingua (a 96 MB wheel, 16 s to load its models, several times slower) after both
were run on the letters1916 and Escher letters: they agree on 99.6 % of the letters and both
read every passage of the tests right (README, "Languages and scripts").

Only the languages in :data:`CANDIDATES` are considered: those the archive's letters are
written in and those the index stems. The restriction removes confusions with languages no
letter is in (an English telegram in capitals read as Nigerian Pidgin) and halves the time.

A letter's language is the one most of its passages are written in; a passage gets its own
language only where it is long enough to tell and clearly another language than its letter's
(a Russian statement quoted in an English letter); a short passage (a greeting, a signature, a
date) is in the letter's language. Each passage is classified once for both.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: Snowball-stemmed languages, Kazakh, and other languages letters to the archive come in
CANDIDATES = (
    *("ar", "da", "de", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru"),
    *("sv", "tr", "kk", "uk", "be", "ky", "uz", "pl", "cs", "el", "ga", "la"),
)
#: what an importer says of a language it did not read but detected
DETECTED = "detected from the text, not stated by the source"
MAX_CHARS = 20_000  # the start of a long letter tells its language as well as the whole
MIN_LETTERS = 12  # fewer letters (as in "12.03.2021" or "C087") say nothing
LETTER_CONFIDENCE = 0.8  # below this, a letter's language is not known ("Спасибо за письмо.")
MIN_PASSAGE_LETTERS = 60  # a shorter passage is in its letter's language
PASSAGE_CONFIDENCE = 0.95  # how sure the model must be that a passage is in another language
PASSAGE_SAMPLE = 2_000  # characters of a passage classified: its start tells its language
MAX_LETTER_CHARS = 200_000  # classified per letter; passages after are in the letter's language

_LETTER = re.compile(r"[^\W\d_]")
_lock = threading.Lock()
_identifier: LanguageIdentifier | None = None


def _model() -> LanguageIdentifier:
    """The model, loaded once (0.3 s) when the first text is classified."""
    global _identifier
    with _lock:
        if _identifier is None:
            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(CANDIDATES))
            _identifier = identifier
        return _identifier


def _letters(text: str) -> int:
    """Letters (not digits or signs) in the text's first thousand characters: enough to tell
    whether there are enough, at a fraction of the cost of counting them all."""
    return len(_LETTER.findall(text[:1000]))


def classify(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` (ISO 639-1) and the model's confidence (0-1)."""
    language, confidence = _model().classify(text[:MAX_CHARS])
    return str(language), float(confidence)


def detect_language(text: str, default: str = "") -> str:
    """ISO 639-1 code of the text's language (that of most of its paragraphs), or ``default``
    when there is too little text to tell."""
    paragraphs = re.split(r"\n\s*\n", text[:MAX_CHARS])
    return read_languages(paragraphs)[0] or default


def read_languages(texts: Sequence[str], stated: str = "") -> tuple[str, list[str]]:
    """A letter's language and its passages' own languages, from the passages' ``texts``.

    The letter's language is ``stated``, else the one most of its text is written in (by
    letters, over the passages long enough to tell: the whole text would count a Cyrillic
    letter twice, as two bytes), else that of the whole text if the model is sure of it. A
    passage's own language is "" unless it is long enough and clearly another.
    """
    found, budget = [], MAX_LETTER_CHARS
    for text in texts:
        sample = text[:PASSAGE_SAMPLE]
        long_enough = budget > 0 and _letters(sample) >= MIN_PASSAGE_LETTERS
        found.append(classify(sample) if long_enough else ("", 0.0))
        budget -= len(sample) if long_enough else 0
    language = stated
    if not language:
        weights: dict[str, int] = {}
        for text, (lang, _confidence) in zip(texts, found, strict=True):
            if lang:
                weights[lang] = weights.get(lang, 0) + len(text)
        language = max(weights, key=weights.__getitem__) if weights else _sure("\n".join(texts))
    own = [
        lang if lang != language and confidence >= PASSAGE_CONFIDENCE else ""
        for lang, confidence in found
    ]
    return language, own


def _sure(text: str) -> str:
    """The language of a short text, if it has enough letters and the model is sure of it."""
    if _letters(text) < MIN_LETTERS:
        return ""
    language, confidence = classify(text)
    return language if confidence >= LETTER_CONFIDENCE else ""

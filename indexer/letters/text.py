"""Plain text normalisation: what counts as a word, and when two spellings are the same.

One definition for letters, authorities, language detection and the engine's analysis, so that
what the index matched is what a snippet marks:

- Folding removes case, accents (also letters that do not decompose: ø, æ, ß, ł, đ, ё) and
  typographic quotes and dashes.
- A word may hold inner apostrophes (O'Brien); a token joins words with - / . (21/386-1).
- Names across scripts meet in a transliteration key (Токаев and Tokayev both give ``tokaev``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Letters that Unicode does not decompose into base letter + accent, and typography.
_SPECIAL_FOLDS = str.maketrans(
    {
        "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ẞ": "ss",
        "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
        "ı": "i", "ё": "е", "Ё": "е",
        "‘": "'", "’": "'", "‛": "'", "ʼ": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-",
    }
)  # fmt: skip


#: A plain word: letters and digits, with inner apostrophes (o'clock, O’Brien).
PLAIN_WORD = r"\w+(?:['’]\w+)*"
#: A token: a word, or words joined by - / . without spaces (an identifier or compound name).
WORD_PATTERN = rf"{PLAIN_WORD}(?:[-‐‑/.]{PLAIN_WORD})*"


def fold_text(text: str) -> str:
    """Case-fold and strip accents so Høie, HOIE and hoie compare equal (any length)."""
    text = text.translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # й and ё decompose too; restore й so Russian stems and transliteration stay right
    return unicodedata.normalize("NFC", stripped.replace("и\u0306", "й")).casefold()


#: The same for words, cached: analysis folds the same words over and over.
fold = lru_cache(maxsize=200_000)(fold_text)


_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
        "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
        "і": "i", "ї": "i", "є": "e", "ў": "u",
    }
)  # fmt: skip
_KEY_RULES = (
    (re.compile(r"dzh|zh|dj"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(?<=[aeiou])i(?=[aeiou])"), ""),  # Tokayev/Токаев: the glide between vowels
    (re.compile(r"^i(?=[aeou])"), ""),  # Yerlan/Ерлан, Yuriy/Юрий
    (re.compile(r"(.)\1+"), r"\1"),  # Kassym/Касым
)


@lru_cache(maxsize=100_000)
def translit_key(word: str) -> str:
    """A loose Latin key on which spellings of one name in Cyrillic and Latin script agree."""
    key = fold(word).translate(_CYRILLIC).replace("'", "")
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    return key

"""Plain text normalisation: what counts as a word, and when two spellings are the same.

One definition for letters, authorities, language detection and the engine's analysis, so that
what the index matched is what a snippet marks:

- Folding removes case, accents (also letters that do not decompose: ø, æ, ß, ł, đ, ё) and
  typographic quotes and dashes.
- A word may hold inner apostrophes (O'Brien); a token joins words with - / . (21/386-1).
- A name's particle may be cut off: O'Brien, O’Brien and OBrien are Brien with the particle O;
  l'union is union after an elided article. Particles written apart (de Valera, van der Berg,
  O Brien, Mac Neill) are joined into the whole form.
- Names across scripts meet in a transliteration key: Russian and Kazakh Cyrillic, the three
  Kazakh Latin alphabets (2017: Toqaev, Jan'aozen; 2018: Jańaózen; 2021: Jañaözen, Şymkent) and
  English spellings (Tokayev, Zhanaozen, Shymkent) give one key (Токаев, Тоқаев: ``tokaev``).
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
    # й decomposes too: keep it whole (before the accents go) so Russian and Kazakh stems stay
    decomposed = unicodedata.normalize("NFKD", text).replace("и\u0306", "й")
    decomposed = decomposed.replace("И\u0306", "Й")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


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
#: Kazakh Latin letters for one Cyrillic sound that English writes with two (2021: ş, ç;
#: 2017: s', c'), read before folding takes their marks off
_KAZAKH_LATIN = ((re.compile(r"ş|s'"), "sh"), (re.compile(r"ç|c'"), "ch"))
_KEY_RULES = (
    (re.compile(r"dzh|zh|dj"), "j"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    # қ is q in Kazakh Latin, к or х in Russian, k or kh in English (Қазақстан, Qazaqstan,
    # Казахстан, Kazakhstan), and Russian х is h or kh (Хасан, Hasan): one letter for all
    (re.compile(r"kh|ck|q|(?<![sc])h"), "k"),  # sh and ch stay
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(?<=[aeiou])i(?=[aeiou])"), ""),  # Tokayev/Токаев: the glide between vowels
    (re.compile(r"^i(?=[aeou])"), ""),  # Yerlan/Ерлан, Yuriy/Юрий
    (re.compile(r"(.)\1+"), r"\1"),  # Kassym/Касым
)


@lru_cache(maxsize=100_000)
def translit_key(word: str) -> str:
    """A loose Latin key on which spellings of one name in Cyrillic and Latin script agree."""
    key = word.lower()
    for pattern, replacement in _KAZAKH_LATIN:
        key = pattern.sub(replacement, key.replace("’", "'"))
    key = fold(key).translate(_CYRILLIC).replace("'", "")
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    return key


#: Case endings of Russian and Kazakh names (Казахстана, Токаеву; Қазақстанның, Жаңаөзенде,
#: Тоқаевқа): a name in Cyrillic also has the keys of its forms without one
_NAME_ENDINGS = (
    *("ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі", "ның", "нің", "дың", "дің", "тың", "тің"),
    *("нан", "нен", "дан", "ден", "тан", "тен", "нда", "нде", "мен", "бен", "пен", "ого", "ому"),
    *("ами", "ах", "ам", "ым", "ом", "ем", "ой", "ою", "ей", "да", "де", "та", "те", "ға", "ге"),
    *("қа", "ке", "ны", "ні", "ды", "ді", "ты", "ті", "а", "у", "е", "ы", "и", "я", "ю"),
)
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
MIN_NAME_CORE = 4  # letters left when an ending is cut (Ала stays Ала)


@lru_cache(maxsize=100_000)
def name_keys(word: str) -> tuple[str, ...]:
    """The transliteration keys a capitalised word is indexed under: its own and, for a
    Cyrillic word, those of the word without each case ending it may have (Қазақстанның:
    kazakstanin, kazakstan), so Qazaqstan and Kazakhstan find the inflected forms too."""
    keys = {translit_key(word): None}
    if _CYRILLIC_LETTER.search(word):
        folded = fold(word)
        for ending in _NAME_ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= MIN_NAME_CORE:
                keys[translit_key(word[: -len(ending)])] = None
    return tuple(keys)


#: Before an apostrophe, in any case: French elision (l'union, d'accord, qu'il) and the
#: particles D', L', M' of names (D'Arcy, L'Estrange, M'Donald).
_ELISIONS = frozenset({"c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu"})
#: Before an apostrophe and a capital only (O'Brien, but o'clock stays one word).
_NAME_APOSTROPHE = frozenset({"o", "mc", "mac"})
#: Written joined to a name that keeps its capital (OBrien, McCarthy, MacNeill, DeValera).
_JOINED = ("Fitz", "Mac", "Van", "Von", "Mc", "De", "Di", "Da", "Du", "La", "Le", "O", "D", "L")
#: Written as a separate word before a capitalised name (de Valera, van der Berg, Mac Neill).
SPACED_PARTICLES = frozenset(
    {"o", "mac", "mc", "fitz", "de", "del", "della", "der", "den", "di", "da", "du", "la", "le"}
    | {"van", "von", "ten", "ter"}
)
_APOSTROPHE = re.compile(r"(\w+)['’‘ʼ`´](\w.*)")
_POSSESSIVE = re.compile(r"['’]s$")
#: a word that may begin with a particle (an apostrophe inside, or a capital after one)
_CANDIDATE = re.compile(rf"(?<!\w)(?=\w+['’]\w|(?:{'|'.join(_JOINED)})[A-Z][a-z]){PLAIN_WORD}")


def starts_name(word: str) -> bool:
    """A capital followed by a small letter: Brien, Valera (not O, not BBC)."""
    return len(word) > 1 and word[0].isupper() and word[1].islower()


@lru_cache(maxsize=100_000)
def particle_core(word: str) -> str | None:
    """The word without the particle it begins with, or None (O'Brien, O’Brien, OBrien: Brien;
    l'union: union; McCarthy: Carthy; don't, o'clock, Macoun: None)."""
    word = _POSSESSIVE.sub("", word)
    apostrophe = _APOSTROPHE.fullmatch(word)
    if apostrophe:
        particle, core = fold(apostrophe.group(1)), apostrophe.group(2)
        if particle in _ELISIONS or (particle in _NAME_APOSTROPHE and core[0].isupper()):
            return core
        return None
    for particle in _JOINED:
        if word.startswith(particle) and starts_name(word[len(particle) :]):
            return word[len(particle) :]
    return None


def particle_names(text: str) -> list[tuple[str, str]]:
    """The names with a particle in a text, as (whole, core): the whole folded and without
    apostrophes or spaces (O'Brien and O Brien: obrien), the core as written (Brien)."""
    names = []
    for match in _CANDIDATE.finditer(text):
        core = particle_core(match.group())
        if core:
            names.append((fold(_POSSESSIVE.sub("", match.group())).replace("'", ""), core))
    for match in spaced_names(text):
        names.append((fold("".join(match.group().split())), match.group("core")))
    return names


_SPACED = re.compile(
    rf"(?<![\w'’:])(?:(?i:{'|'.join(sorted(SPACED_PARTICLES))})[ \t]+)+(?P<core>[A-Z][a-z]\w*)"
)


def spaced_names(text: str) -> list[re.Match[str]]:
    """Names written after separate particles (de Valera, van der Berg, O Brien)."""
    return list(_SPACED.finditer(text))


def split_particles(text: str) -> str:
    """The text with a space after each particle a word begins with (O'Brien: O' Brien)."""
    if not _CANDIDATE.search(text):
        return text

    def split(match: re.Match[str]) -> str:
        word = match.group()
        core = particle_core(word)
        if core is None:
            return word
        cut = len(_POSSESSIVE.sub("", word)) - len(core)
        return f"{word[:cut]} {word[cut:]}"

    return _CANDIDATE.sub(split, text)


_NOT_SLUG = re.compile(r"[^\w]+")
MAX_SLUG_CHARS = 120


def slug(text: str) -> str:
    """The folded words of a name joined by hyphens: 'Sharan Burrow' -> 'sharan-burrow', the key
    of a person or a place named so (case, accents and punctuation make no second one).

    Idempotent (a slug gives itself), so a key given where a name is expected finds the same
    party. Scripts other than Latin keep their letters (Токаев -> 'токаев')."""
    words = _NOT_SLUG.sub(" ", fold(text).replace("_", " ").replace("'", "")).split()
    return "-".join(words)[:MAX_SLUG_CHARS].strip("-")

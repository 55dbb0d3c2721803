"""A light suffix stemmer for Kazakh prose (Cyrillic), as Snowball stemmers are for others.

Kazakh builds a noun as stem + plural + possessive + case (кәсіподақ-тар-ымыз-дың, "of our
unions"), so the stemmer takes off at most one case ending, then one possessive, then one plural,
from the end (and again while that cuts, at most :data:`MAX_PASSES` times), and keeps at least
:data:`MIN_STEM` letters: кәсіподақтың, кәсіподақтар and кәсіподағымыз all become кәсіподақ.
It is conservative where a suffix could be the end of a stem:

- a suffix is taken only where its first sound can follow the stem's last (Kazakh assimilates
  endings: кәсіподақ-тың, ереуіл-дің, Алматы-ның; Президенті has no accusative -ті);
- a bare possessive -ы/-і is taken only after ғ, г or б, which a stem's final қ, к or п become
  before a vowel (кәсіподағы: кәсіподақ), after т, or after a plural (жұмысшылары); жұмысшы
  keeps its ы;
- the dative and locative -на/-не/-нда/-нде follow a possessive vowel only (үйіне, but Астана);
- the stem's final ғ/г/б becomes қ/к/п, so the voiced and the voiceless forms meet.

Words are folded before stemming (lower case; Kazakh letters are kept as they are).
"""

from __future__ import annotations

MIN_STEM = 3  # letters a stem keeps: ата, ана and мен are not cut

_CASES = (
    # genitive, ablative, locative, dative, accusative, instrumental
    *("ның", "нің", "дың", "дің", "тың", "тің"),
    *("дан", "ден", "тан", "тен", "нан", "нен"),
    *("да", "де", "та", "те", "ға", "ге", "қа", "ке"),
    *("ны", "ні", "ды", "ді", "ты", "ті"),
    *("мен", "бен", "пен"),
)
#: the locative's adjective (Жаңаөзендегі), after a consonant or а/е/ы/і only: кәсіподағы
#: is "its union", not кәсіпо-дағы
_LOCATIVE_ADJECTIVES = ("дағы", "дегі", "тағы", "тегі")
#: after a possessive -ы/-і: үйіндегі, үйінде, үйіне, төрағасын
_AFTER_POSSESSIVE = ("ндағы", "ндегі", "нда", "нде", "на", "не", "н")
_POSSESSIVES = (
    *("ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз"),  # our, your (polite)
    *("ым", "ім", "ың", "ің", "сы", "сі"),  # my, your, its (after a vowel)
)
_PLURALS = ("лар", "лер", "дар", "дер", "тар", "тер")
_VOWELS = frozenset("аәеиоөуұүыіэюя")
_VOICED = str.maketrans({"ғ": "қ", "г": "к", "б": "п"})
MAX_PASSES = 3


def _longest_first(suffixes: tuple[str, ...]) -> list[str]:
    return sorted(suffixes, key=len, reverse=True)


_ORDERED = {name: _longest_first(s) for name, s in
            (("cases", _CASES), ("possessives", _POSSESSIVES), ("plurals", _PLURALS))}  # fmt: skip


_VOICELESS = frozenset("кқпстфхцчшщһ")


def _fits(suffix: str, stem: str) -> bool:
    """Whether the suffix's first sound can follow the stem's last (Kazakh assimilation):
    т- after a voiceless consonant only, д-, л- and ғ-/г- never after one, н- after a vowel
    or м, н, ң. Президенті is then no accusative (-ті cannot follow н)."""
    last, first = stem[-1], suffix[0]
    if first == "т":  # and after в, said [ф] at the end of a Russian name: Тоқаевтың
        return last in _VOICELESS or last == "в"
    if first in "длғг":
        return last not in _VOICELESS
    if first == "н":
        return last in _VOWELS or last in "мнң"
    return True


def _cut(word: str, suffixes: list[str]) -> str:
    for suffix in suffixes:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= MIN_STEM and _fits(suffix, stem):
            return stem
    return word


def _cut_case(word: str) -> str:
    for suffix in _LOCATIVE_ADJECTIVES:
        stem = word[: -len(suffix)]
        fits = word.endswith(suffix) and len(stem) >= MIN_STEM and _fits(suffix, stem)
        if fits and (stem[-1] not in _VOWELS or stem[-1] in "аеыі"):  # not кәсіпо-дағы
            return stem
    for suffix in _AFTER_POSSESSIVE:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem[-1:] in ("ы", "і") and len(stem) >= MIN_STEM + 1:
            return stem
    return _cut(word, _ORDERED["cases"])


def _cut_bare_possessive(word: str) -> str:
    """-ы/-і after a voiced final consonant (кәсіподағы), after т (Президенті, whose -ті is
    no accusative) or after a plural (жұмысшылары); not after other sounds (жұмысшы)."""
    if len(word) <= MIN_STEM + 1 or word[-1] not in ("ы", "і"):
        return word
    if word[-2] in "ғгбт" or any(word[:-1].endswith(p) for p in _PLURALS):
        return word[:-1]
    return word


def _pass(word: str) -> str:
    cased = _cut_case(word)
    owned = _cut(cased, _ORDERED["possessives"])
    if owned == cased:
        owned = _cut_bare_possessive(cased)
    return _cut(owned, _ORDERED["plurals"])


def stem(word: str) -> str:
    """The stem of a folded Kazakh word (other words come back as they are, or nearly).

    Passes repeat while they cut (at most :data:`MAX_PASSES`), so that a word and the same word
    with endings meet even where the word's own end looks like an ending (Алматы, Алматыда:
    алма; төраға, төрағасы: төра).
    """
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    for _ in range(MAX_PASSES):
        cut = _pass(word)
        if cut == word:
            break
        word = cut
    return word[:-1] + word[-1].translate(_VOICED)

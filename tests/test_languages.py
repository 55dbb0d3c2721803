"""Languages and scripts: detection of letters and passages, a stemmer for every Snowball
language, the Kazakh stemmer, and names across Cyrillic and the Kazakh Latin alphabets."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.engine.analysis import STEMMED_LANGUAGES, prose_analyzer
from indexer.engine.kazakh import stem
from indexer.evaluation.languages import evaluate_languages
from indexer.letters.language import (
    MAX_LETTER_CHARS,
    PASSAGE_SAMPLE,
    detect_language,
    read_languages,
)
from indexer.letters.text import fold, name_keys, translit_key

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
LETTERS1916 = SHARED / "corpora" / "letters1916" / "editions"
ESCHER = SHARED / "corpora" / "escher-briefe" / "letters"

#: short passages as letters to the archive write them, by language
PASSAGES = {
    "ru": [
        "Мы, работники нефтяных месторождений Жанаозена, объявляем забастовку в связи с "
        "многомесячными задержками заработной платы.",
        "Требуем немедленно прекратить уголовное преследование председателя независимого "
        "профсоюза и освободить задержанных рабочих.",
        "Суд признал забастовку незаконной, хотя работодатель так и не выплатил долги по зарплате.",
    ],
    "kk": [
        "Біз, Жаңаөзен мұнайшылары, жалақыны уақытында төлемегені үшін ереуілге шықтық.",
        "Кәсіподақтың төрағасы қамауға алынды, жұмысшылар оны босатуды талап етеді.",
        "Жұмыс берушілер ереуілдерге қатысқан жұмысшыларды жұмыстан шығарды.",
    ],
    "de": [
        "Wir protestieren gegen die Entlassung der streikenden Arbeiter und fordern die sofortige "
        "Auszahlung der ausstehenden Löhne.",
        "Die Gewerkschaft wurde vom Gericht aufgelöst, obwohl sie alle gesetzlichen "
        "Anforderungen erfüllt hatte.",
    ],
    "no": [
        "Vi er dypt bekymret over at fagforeningens leder har blitt arrestert og at arbeiderne "
        "ikke har fått lønn på flere måneder.",
        "Vi krever at myndighetene slutter å forfølge fagforeningsaktivister og løslater de "
        "fengslede arbeiderne.",
    ],
    "es": [
        "Nos preocupa profundamente la detención del presidente del sindicato independiente y "
        "exigimos su liberación inmediata.",
        "Los trabajadores del petróleo llevan meses sin cobrar sus salarios y han convocado una "
        "huelga.",
    ],
    "en": [
        "We are writing to express our deep concern about the dismissal of striking oil workers "
        "in Zhanaozen.",
        "The court ordered the liquidation of the independent trade union despite its full "
        "compliance with the law.",
    ],
    "fr": ["Nous vous demandons de libérer le dirigeant syndical et de mettre fin aux poursuites."],
    "sv": ["Vi uppmanar regeringen att respektera rätten att strejka och frige de fackliga."],
    "da": ["Vi opfordrer regeringen til at respektere retten til at strejke og løslade lederne."],
    "nl": ["Wij vragen de regering het stakingsrecht te respecteren en de leiders vrij te laten."],
    "it": ["Chiediamo al governo di rispettare il diritto di sciopero e liberare i sindacalisti."],
    "pt": ["Pedimos ao governo que respeite o direito à greve e liberte os dirigentes sindicais."],
}


@pytest.mark.parametrize(
    ("language", "text"), [(lang, text) for lang, texts in PASSAGES.items() for text in texts]
)
def test_each_passage_is_detected_in_its_language(language: str, text: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text",
    ["", "12.03.2021, № 21/386-1", "C087 C098", "Спасибо за письмо.", "Dear Sir,"],
)
def test_too_little_text_has_no_language_rather_than_a_guess(text: str) -> None:
    assert detect_language(text) == ""
    assert detect_language(text, default="en") == "en"


def test_a_passage_has_its_own_language_only_when_long_and_clearly_another() -> None:
    letter = [
        "Dear President Tokayev,",
        "We write to you about the strike of the oil workers in Zhanaozen and the dismissal of "
        "their leaders, and we attach their appeal.",
        PASSAGES["ru"][1],
        "Привет!",  # too short to tell: the letter's language
        PASSAGES["kk"][0],
        "Yours sincerely,",
    ]
    assert read_languages(letter, "en") == ("en", ["", "", "ru", "", "kk", ""])
    assert read_languages(letter, "ru") == ("ru", ["", "en", "", "", "kk", ""])
    # stated by no one: the language most of the text is in, though Cyrillic takes more bytes
    assert read_languages(letter) == ("en", ["", "", "ru", "", "kk", ""])
    assert read_languages(["Привет!", "Dear Sir,"]) == ("", ["", ""])


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", "dismissals dismissed dismissal"),
        ("da", "strejken strejker"),
        ("de", "Gewerkschaften Gewerkschaft"),
        ("es", "huelgas huelga"),
        ("fi", "lakko lakon lakossa"),
        ("fr", "syndicats syndicat"),
        ("hu", "sztrájkot sztrájk"),
        ("it", "sindacati sindacato"),
        ("nl", "vakbonden vakbond"),
        ("no", "fagforeningens fagforeninger fagforening"),
        ("pt", "greves greve"),
        ("ro", "grevele greva"),
        ("ru", "забастовка забастовку забастовки"),
        ("sv", "fackföreningarna fackförening"),
        ("kk", "ереуіл ереуілдер ереуілге"),
    ],
)
def test_every_stemmed_language_meets_its_word_forms(language: str, forms: str) -> None:
    stems = {t.text for t in prose_analyzer(language)(forms)}
    assert len(stems) == 1, stems


def test_the_stemmed_languages_are_whooshs_snowball_ones_and_kazakh() -> None:
    assert sorted(STEMMED_LANGUAGES) == sorted(
        ["da", "de", "en", "es", "fi", "fr", "hu", "it", "kk", "nl", "no", "pt", "ro", "ru", "sv"]
    )


def test_a_language_without_a_stemmer_is_folded_not_stemmed() -> None:
    assert [t.text for t in prose_analyzer("xx")("İşçiler GREVLER yaptı")] == [
        "isciler",
        "grevler",
        "yapti",
    ]


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        ("ереуіл ереуілдер ереуілге ереуілдерге ереуілдің", "ереуіл"),
        ("кәсіподақ кәсіподақтар кәсіподақтың кәсіподағы кәсіподағымыз кәсіподаққа", "кәсіподақ"),
        ("жұмысшы жұмысшылар жұмысшыларды жұмысшылары жұмысшылармен жұмысшының", "жұмысшы"),
        ("Жаңаөзен Жаңаөзенде Жаңаөзендегі Жаңаөзеннің Жаңаөзенге", "жаңаөзен"),
        ("Тоқаев Тоқаевқа Тоқаевтың", "тоқаев"),
        ("Президент Президенті Президентке Президентінің", "президент"),
        ("бостандық бостандығы", "бостандық"),
        ("жалақы жалақыны жалақысы", "жалақы"),
        ("Астана Астанада Астанаға Астанадағы", "астана"),
        ("назар назарыңызды", "назар"),
    ],
)
def test_kazakh_word_forms_share_one_stem(forms: str, expected: str) -> None:
    assert {stem(fold(word)) for word in forms.split()} == {expected}


@pytest.mark.parametrize("word", ["ата", "ана", "мен", "ұйым", "жұмысшы", "Астана", "адам"])
def test_the_kazakh_stemmer_keeps_short_and_unsuffixed_words(word: str) -> None:
    assert stem(fold(word)) == fold(word)


def test_kazakh_prose_is_analysed_as_kazakh() -> None:
    words = [t.text for t in prose_analyzer("kk")(PASSAGES["kk"][2])]
    assert words == [
        "жұмыс",
        "беруші",
        "ереуіл",
        "қатысқан",
        "жұмысшы",
        "жұмыс",
        "шығар",  # the verb's past -ды goes as the accusative would: its stem
    ]


@pytest.mark.parametrize(
    "spellings",
    [
        # Kazakh Cyrillic, Russian, 2017 apostrophes, 2018 acute, 2021, English
        "Жаңаөзен Жанаозен Jan'aozen Jańaózen Jañaözen Zhanaozen",
        "Қазақстан Казахстан Qazaqstan Kazakhstan",
        "Тоқаев Токаев Toqaev Tokayev",
        "Шымкент S'ymkent Şymkent Shymkent",
        "Ақтау Актау Aqtau Aktau",
        "Хасан Һасан Hasan",
    ],
)
def test_names_meet_across_scripts_and_kazakh_alphabets(spellings: str) -> None:
    assert len({translit_key(word) for word in spellings.split()}) == 1, spellings


@pytest.mark.parametrize(
    ("inflected", "name"),
    [
        ("Қазақстанның", "Qazaqstan"),
        ("Казахстане", "Kazakhstan"),
        ("Жаңаөзенде", "Zhanaozen"),
        ("Жанаозена", "Jañaözen"),
        ("Тоқаевқа", "Tokayev"),
        ("Токаеву", "Toqaev"),
    ],
)
def test_an_inflected_cyrillic_name_also_has_the_key_of_the_name(inflected: str, name: str) -> None:
    assert translit_key(name) in name_keys(inflected)
    assert name_keys(name) == (translit_key(name),)  # a Latin word has its own key only


@pytest.mark.skipif(not LETTERS1916.is_dir(), reason="../shared/corpora is absent")
def test_detection_on_letters1916_matches_the_tei_languages() -> None:
    result = evaluate_languages(LETTERS1916, every=5)
    assert result["letters"] == 96 and result["stated"] == {"en": 96}
    assert result["accuracy"] >= 0.98


@pytest.mark.skipif(not ESCHER.is_dir(), reason="../shared/corpora is absent")
def test_escher_letters_are_detected_as_the_editions_languages() -> None:
    """The edition states no language; it says its letters are German, some French and
    Italian: nearly all must be detected as one of those."""
    result = evaluate_languages(ESCHER, every=50)
    assert result["accuracy"] is None and result["letters"] == 101
    found = result["unstated"]
    assert found["de"] > found["fr"] > 0
    assert sum(found.get(lang, 0) for lang in ("de", "fr", "it")) >= 0.97 * result["letters"]


def test_a_huge_letter_has_its_passages_classified_within_a_bound() -> None:
    """An 8 MB letter must not take minutes: passages are sampled, and after
    MAX_LETTER_CHARS characters the rest count as the letter's language."""
    passage = (PASSAGES["ru"][0] + " ") * 30  # about 3,700 characters, sampled to 2,000
    languages = read_languages([passage] * 150, "en")[1]
    classified = -(-MAX_LETTER_CHARS // PASSAGE_SAMPLE)
    assert languages == ["ru"] * classified + [""] * (150 - classified)

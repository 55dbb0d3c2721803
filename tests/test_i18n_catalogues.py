"""The interface's catalogues: every string of the code is in them, every one is translated
into Russian and Kazakh (no fuzzy, no empty plural form, the same placeholders), and each
committed .mo is exactly what its .po compiles to, so the two can never drift apart."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from webapp.uilanguage import LANGUAGES

REPO = Path(__file__).resolve().parent.parent
TRANSLATIONS = REPO / "webapp" / "translations"
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def catalogue(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def msgids(catalog: Catalog) -> set[object]:
    return {m.id for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The strings the code holds now, extracted as `make translations` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    keywords = ["-k", "_l", "-k", "plural_forms:1,2", "-k", "counted:1,2"]
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         *keywords, "--no-location", "-o", str(pot), "."],
        cwd=REPO, check=True,
    )  # fmt: skip
    with pot.open("rb") as f:
        return read_po(f)


def test_the_languages_offered_are_english_russian_and_kazakh() -> None:
    assert LANGUAGES == {"en": "English", "ru": "Русский", "kk": "Қазақша"}
    assert sorted(p.name for p in TRANSLATIONS.iterdir() if p.is_dir()) == sorted(TRANSLATED)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_holds_exactly_the_strings_of_the_code(
    language: str, extracted: Catalog
) -> None:
    assert msgids(catalogue(language)) == msgids(extracted)
    assert len(msgids(extracted)) > 300


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_without_fuzzy_or_empty_forms(language: str) -> None:
    catalog = catalogue(language)
    untranslated = [
        m.id for m in catalog
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    ]  # fmt: skip
    assert untranslated == []
    plural_messages = [m for m in catalog if m.id and m.pluralizable]
    assert plural_messages, "the catalogue has plural messages"
    assert {len(m.string) for m in plural_messages} == {catalog.num_plurals}


def test_russian_has_three_plural_forms_and_kazakh_two() -> None:
    assert (catalogue("ru").num_plurals, catalogue("kk").num_plurals) == (3, 2)
    forms = {m.id: m.string for m in catalogue("ru") if m.id}
    assert forms[("%(num)s letter", "%(num)s letters")] == (
        "%(num)s письмо", "%(num)s письма", "%(num)s писем",
    )  # fmt: skip


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_their_strings(language: str) -> None:
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue(language).check()]
    assert problems == []


def placeholders(text: str) -> set[str]:
    """``%(name)s`` for Python and the templates, ``{name}`` for the scripts."""
    return set(re.findall(r"%\(\w+\)s|\{\w+\}", text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_form_has_the_placeholders_of_the_english(language: str) -> None:
    """Babel's check allows a translation to drop a placeholder; a dropped count or name
    would leave the page without it, so every form must have them all."""
    wrong = []
    for m in catalogue(language):
        if not m.id:
            continue
        english = m.id[-1] if isinstance(m.id, tuple) else m.id
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        wrong += [(english, form) for form in forms if placeholders(form) != placeholders(english)]
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_what_the_po_compiles_to(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language), use_fuzzy=False)
    committed = (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert committed == compiled.getvalue(), f"run `make translations` ({language})"

"""The language of a request's page, and writing in it: which of the interface languages the
request gets, counts and plurals as that language writes them, data kept apart from the
interface text (dates: :mod:`webapp.localdates`; the switch and Flask's wiring: :mod:`webapp.i18n`).

An explicit choice (the switch on every page, remembered in a cookie) wins; otherwise the
browser's Accept-Language picks the best of the offered languages; otherwise English. A value
that is no offered language (in the cookie or the switch) is ignored, never an error.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import format_decimal, get_locale, get_translations
from markupsafe import Markup

#: the interface languages, each named in itself (the switch shows these)
LANGUAGES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600


def offered(code: str | None) -> str | None:
    """``code`` if it is an interface language, else None."""
    return code if code in LANGUAGES else None


def select_locale() -> str:
    """The cookie's choice, else the best match of Accept-Language, else English."""
    chosen = offered(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    return request.accept_languages.best_match(tuple(LANGUAGES), default=DEFAULT)


def current() -> str:
    """The language of this request's page (its ``<html lang>``)."""
    return str(get_locale() or DEFAULT)


def number(value: Any, grouped: bool = False) -> str:
    """A count as the page's language writes it (1 234 in Russian and Kazakh). English pages
    keep the bare digits they have always shown (1234), which the load test and other tools
    read back; ``grouped`` writes English's 1,234 too."""
    if current() == DEFAULT and not grouped:
        return str(value)
    return str(format_decimal(value))


def counted(singular: str, plural: str, n: int, **variables: Any) -> str:
    """The plural form of the page's language for ``n``, with ``%(num)s`` the number as that
    language writes it (Flask-Babel's ``ngettext`` fills in the bare number)."""
    form = get_translations().ungettext(singular, plural, n)
    return str(form % {"num": number(n), **variables})


def data(value: Any) -> Markup:
    """Letter content or user input inside a translated sentence: escaped, and marked as no
    interface text (``translate="no"``, which the catalogue tests skip)."""
    return Markup('<span translate="no">{}</span>').format(value)


def code(value: Any) -> Markup:
    """A piece of query syntax inside a translated sentence, as code."""
    return Markup("<code>{}</code>").format(value)

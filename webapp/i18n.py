"""The interface's languages: which one a request gets, the switch between them, and counts
written the way that language writes them (dates: :mod:`webapp.localdates`).

An explicit choice (the switch on every page, remembered in a cookie) wins; otherwise the
browser's Accept-Language picks the best of the offered languages; otherwise English. A value
that is no offered language (in the cookie or the switch) is ignored, never an error. Letter
content, names and user input are never translated: only the interface is.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, redirect, request, url_for
from flask_babel import Babel, format_decimal, get_locale, get_translations
from markupsafe import Markup
from werkzeug.wrappers import Response

from webapp import labels

#: the interface languages, each named in itself (the switch shows these)
LANGUAGES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)


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


def local_path(target: str | None) -> str:
    """``target`` when it is a path of this site, else the search page (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("pages.search")
    return target


@bp.get("/language")
def choose() -> Response:
    """The switch: remember ``lang`` (an offered language) and go back to ``next``."""
    response = redirect(local_path(request.args.get("next")), code=303)
    chosen = offered(request.args.get("lang"))
    if chosen:
        response.set_cookie(
            COOKIE, chosen, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True, path="/"
        )
    return response


def switch_links() -> list[dict[str, Any]]:
    """One link per language back to this page, the current one marked."""
    here = request.full_path.rstrip("?") if request.query_string else request.path
    return [
        {"code": code, "name": name, "current": code == current(),
         "url": url_for("i18n.choose", lang=code, next=here)}
        for code, name in LANGUAGES.items()
    ]  # fmt: skip


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


def vary_by_language(response: Response) -> Response:
    """A page's language comes from the cookie or Accept-Language: caches must keep one copy
    per language (the JSON API and downloads are the same in every language)."""
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.after_request(vary_by_language)
    app.add_template_filter(number)
    app.add_template_filter(data)
    app.add_template_filter(code)
    app.add_template_filter(labels.kind)
    from webapp.problemtext import problem_text
    from webapp.uitext import ui_text

    app.add_template_filter(problem_text, "problem")

    app.context_processor(
        lambda: {"page_language": current, "language_switch": switch_links, "ui_text": ui_text}
    )

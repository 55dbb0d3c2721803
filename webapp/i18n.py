"""The interface's languages wired into the app: Flask-Babel, the switch between languages
(remembered in a cookie), the template filters, and caches told that pages vary by language.
Which language a page gets, and writing in it: :mod:`webapp.uilanguage`. Letter content, names
and user input are never translated: only the interface is.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, redirect, request, url_for
from flask_babel import Babel
from werkzeug.wrappers import Response

from webapp import labels
from webapp.problemtext import problem_text
from webapp.uilanguage import (
    COOKIE,
    COOKIE_SECONDS,
    DEFAULT,
    LANGUAGES,
    code,
    current,
    data,
    number,
    offered,
    select_locale,
)
from webapp.uitext import ui_text

bp = Blueprint("i18n", __name__)


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
    app.add_template_filter(problem_text, "problem")

    app.context_processor(
        lambda: {"page_language": current, "language_switch": switch_links, "ui_text": ui_text}
    )

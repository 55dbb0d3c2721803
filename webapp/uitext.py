"""The interface strings the scripts show (copy messages, "match 3 of 17", the working set,
the facet search, the network's labels), translated on the server and handed to the scripts as
one JSON block in every page (``<script type="application/json" id="ui-text">``).

A script fills ``{n}``-style placeholders itself. Strings that count something carry one form
per CLDR plural category of the page's language, which the script picks with
``Intl.PluralRules`` (Russian needs three: 1 письмо, 3 письма, 5 писем).
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask_babel import get_translations
from flask_babel import gettext as _

from webapp.uilanguage import current

#: a number of each plural category, to ask the catalogue for that category's form
SAMPLES = (1, 2, 5, 11, 21, 0, 100)


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """The form for each plural category of the page's language ("one", "few", "many", …)."""
    rule = Locale.parse(current()).plural_form
    translations = get_translations()
    forms: dict[str, str] = {}
    for n in SAMPLES:
        forms.setdefault(rule(n), translations.ungettext(singular, plural, n))
    forms.setdefault("other", translations.ungettext(singular, plural, 5))
    return forms


def ui_text() -> dict[str, Any]:
    """Every string the scripts may show, in the page's language."""
    return {
        "lang": current(),
        "copyHint": _("Selected: press Ctrl+C (⌘C) to copy"),
        "linkCopied": _("Link to ¶{n} copied"),
        "citationCopied": _("Citation copied"),
        "copyCitation": _("Copy citation"),
        "matchPosition": _("Match {n} of {total}"),
        "workingSet": _("Working set"),
        "workingSetCount": _("Working set ({n})"),
        "keep": _("Keep"),
        "keepLabel": _("Keep “{title}” in the working set"),
        "kept": _("Kept in the working set ({n})"),
        "removed": _("Removed from the working set"),
        "valuesMatch": plural_forms("{n} value matches", "{n} values match"),
        "edgeLabel": plural_forms(
            "{n} letter from {from} to {to}", "{n} letters from {from} to {to}"
        ),
        "nodeLabel": plural_forms("{name}: {n} letter", "{name}: {n} letters"),
    }

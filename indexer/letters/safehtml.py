"""What HTML a letter may show: the tags, attributes and URL schemes its rendering keeps (nh3).

Passage anchors (``id="p<n>"``, ``data-n``, the class ``passage``) are the renderer's, never a
letter's: while rendering, the passage numberer writes them with a random stamp, and
:func:`sanitize` with that stamp keeps only stamped ones (unstamping them) and drops any a
letter's raw HTML spells out, so ``#p4`` always names the fourth passage the index stored.
Without a stamp it keeps passage anchors as they are: for HTML that was sanitised with one.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

import nh3

TAGS = {
    "p", "div", "blockquote", "pre", "hr", "br", "a", "em", "strong", "ul", "ol", "li", "code",
    "h1", "h2", "h3", "h4", "h5", "h6", "sup", "sub", "table", "thead", "tbody", "tfoot", "tr",
    "th", "td", "caption",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "class", "data-n"},
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
CLASSES = {"footnote", "footnote-ref", "footnote-backref"}
PASSAGE_CLASS = "passage"
URL_SCHEMES = {"http", "https", "mailto"}
CLEAN_CONTENT_TAGS = {"script", "style"}
LINK_REL = "nofollow noopener"
_PASSAGE_ID_RE = re.compile(r"p\d{1,6}")
_FOOTNOTE_ID_RE = re.compile(r"fn(?:ref\d*)?:[\w-]{1,100}")
_NUMBER_RE = re.compile(r"\d{1,6}")


def new_stamp() -> str:
    """A prefix no letter can guess, marking the passage attributes of one rendering."""
    return f"s{secrets.token_hex(8)}-"


def _filter(stamp: str | None) -> Callable[[str, str, str], str | None]:
    def passage_value(value: str, pattern: re.Pattern[str]) -> str | None:
        if stamp is not None:
            if not value.startswith(stamp):
                return None
            value = value[len(stamp) :]
        return value if pattern.fullmatch(value) else None

    def keep(tag: str, name: str, value: str) -> str | None:
        if name == "id":
            if _FOOTNOTE_ID_RE.fullmatch(value):
                return value
            return passage_value(value, _PASSAGE_ID_RE)
        if name == "data-n":
            return passage_value(value, _NUMBER_RE)
        if name == "class":
            ours = (stamp or "") + PASSAGE_CLASS
            known = (c for c in value.split() if c in CLASSES or c == ours)
            return " ".join(PASSAGE_CLASS if c == ours else c for c in known) or None
        if name in {"colspan", "rowspan", "start"}:
            return value if _NUMBER_RE.fullmatch(value) else None
        return value

    return keep


def _options(stamp: str | None) -> dict[str, Any]:
    return {
        "tags": TAGS,
        "clean_content_tags": CLEAN_CONTENT_TAGS,
        "attributes": ATTRIBUTES,
        "attribute_filter": _filter(stamp),
        "link_rel": LINK_REL,
        "url_schemes": URL_SCHEMES,
    }


_PAGE_CLEANER = nh3.Cleaner(**_options(None))


def sanitize(unsafe_html: str, stamp: str | None = None) -> str:
    """Only the tags and attributes above; passage anchors only with ``stamp`` (if given)."""
    if stamp is None:
        return _PAGE_CLEANER.clean(unsafe_html)
    return nh3.clean(unsafe_html, **_options(stamp))
